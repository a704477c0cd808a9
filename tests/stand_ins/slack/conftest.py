"""A started FakeSlack with the example workspace, and a real slack_sdk client pointed at it."""

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack, example_workspace

GENERAL = "C0GENERAL"
APPROVALS = "C0APPROVE"
RANDOM = "C0RANDOM1"
ALICE = "U0ALICE01"
BOB = "U0BOB0001"
CAROL = "U0CAROL01"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(example_workspace()) as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=fake.token, base_url=fake.api_url)


def modal(*blocks: dict, **extra: object) -> dict:
    """A minimal valid modal holding `blocks` (a submit button when there are inputs)."""
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Create customer"}, "blocks": list(blocks)}
    if any(block["type"] == "input" for block in blocks):
        view["submit"] = {"type": "plain_text", "text": "Next"}
    view.update(extra)
    return view


def text_input(block_id: str, label: str, action_id: str = "value", optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "plain_text_input", "action_id": action_id},
    }


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
