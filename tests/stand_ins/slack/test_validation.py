"""Block Kit limits: what Slack refuses is refused here too, with a message that says where."""

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack

from .conftest import ALICE, GENERAL, modal, section, text_input


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def button(text: str = "Accept", action_id: str = "accept", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "action_id": action_id, **extra}


def actions(*elements: dict[str, Any], block_id: str = "actions") -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def select(options: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    element = {"type": "static_select", "action_id": "country", "options": options, **extra}
    return {"type": "input", "block_id": "country", "label": plain("Country"), "element": element}


def option(value: str, text: str = "France") -> dict[str, Any]:
    return {"text": plain(text), "value": value}


MESSAGE_CASES = {
    "51 blocks": ([{"type": "divider"}] * 51, "/blocks"),
    "section text over 3000": ([section("x" * 3001)], "/blocks/0/text/text"),
    "empty section text": ([section("")], "/blocks/0/text/text"),
    "header over 150": ([{"type": "header", "text": plain("x" * 151)}], "/blocks/0/text/text"),
    "mrkdwn header": ([{"type": "header", "text": {"type": "mrkdwn", "text": "*x*"}}], "/blocks/0/text/type"),
    "button text over 75": ([actions(button("x" * 76))], "/blocks/0/elements/0/text/text"),
    "mrkdwn button text": ([actions({**button(), "text": {"type": "mrkdwn", "text": "x"}})], "/elements/0/text/type"),
    "button value over 2000": ([actions(button(value="v" * 2001))], "/blocks/0"),
    "option value over 150": ([select([option("v" * 151)])], "/blocks/0/element/options/0/value"),
    "101 options": ([select([option(str(i)) for i in range(101)])], "/blocks/0/element/options"),
    "initial option not offered": ([select([option("fr")], initial_option=option("de"))], "/initial_option"),
    "unknown block type": ([{"type": "banana"}], "/blocks/0"),
    "unknown element type": ([actions({"type": "slider", "action_id": "s"})], "/blocks/0/elements/0"),
    "block_id over 255": ([{"type": "divider", "block_id": "b" * 256}], "/blocks/0/block_id"),
    "action_id over 255": ([actions(button(action_id="a" * 256))], "/blocks/0/elements/0/action_id"),
    "duplicate block_id": ([actions(button(), block_id="b"), actions(button(), block_id="b")], "/blocks/1/block_id"),
    "duplicate action_id in a block": ([actions(button(), button("Decline"))], "/blocks/0/elements/1/action_id"),
    "confirm label over 30": (
        [
            actions(
                button(
                    confirm={
                        "title": plain("Sure?"),
                        "text": plain("t"),
                        "confirm": plain("y" * 31),
                        "deny": plain("No"),
                    }
                )
            )
        ],
        "/confirm/confirm/text",
    ),
}


@pytest.mark.parametrize(("blocks", "pointer"), MESSAGE_CASES.values(), ids=MESSAGE_CASES.keys())
async def test_message_blocks_over_a_limit_are_invalid_blocks(
    client: AsyncWebClient, fake: FakeSlack, blocks: list[dict[str, Any]], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel=GENERAL, text="fallback", blocks=blocks)

    assert raised.value.response["error"] == "invalid_blocks"
    messages = raised.value.response["response_metadata"]["messages"]
    assert any(pointer in message for message in messages), messages
    assert fake.messages(GENERAL) == []


async def test_limits_themselves_are_accepted(client: AsyncWebClient, fake: FakeSlack) -> None:
    blocks = [
        {"type": "header", "text": plain("x" * 150)},
        section("x" * 3000),
        actions(button("x" * 75, value="v" * 2000), button("Decline", "decline")),
        select([option("v" * 150)] + [option(str(i), f"Country {i}") for i in range(99)]),
        *[{"type": "divider"}] * 46,
    ]

    await client.chat_postMessage(channel=GENERAL, text="fallback", blocks=blocks)

    assert len(fake.messages(GENERAL)[0].blocks) == 50


async def test_blocks_without_text_are_accepted_with_a_warning(client: AsyncWebClient, fake: FakeSlack) -> None:
    with pytest.warns(UserWarning):
        await client.chat_postMessage(channel=GENERAL, blocks=[section("no fallback")])

    assert [(w.method, w.code) for w in fake.warnings] == [("chat.postMessage", "missing_text_in_blocks")]


async def test_neither_text_nor_blocks_is_no_text(client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as raised, pytest.warns(UserWarning):
        await client.chat_postMessage(channel=GENERAL)

    assert raised.value.response["error"] == "no_text"


VIEW_CASES = {
    "101 blocks": (modal(*[{"type": "divider"}] * 101), "/view/blocks"),
    "title over 24": (modal(section("x"), title=plain("x" * 25)), "/view/title/text"),
    "mrkdwn title": (modal(section("x"), title={"type": "mrkdwn", "text": "x"}), "/view/title/type"),
    "submit over 24": (modal(text_input("n", "Name"), submit=plain("x" * 25)), "/view/submit/text"),
    "close over 24": (modal(section("x"), close=plain("x" * 25)), "/view/close/text"),
    "private_metadata over 3000": (modal(section("x"), private_metadata="x" * 3001), "/view/private_metadata"),
    "inputs without submit": (
        {"type": "modal", "title": plain("Create"), "blocks": [text_input("n", "Name")]},
        "/view/submit",
    ),
    "mrkdwn input label": (
        modal({**text_input("n", "Name"), "label": {"type": "mrkdwn", "text": "*Name*"}}),
        "/view/blocks/0/label/type",
    ),
    "section text over 3000": (modal(section("x" * 3001)), "/view/blocks/0/text/text"),
    "home as a modal": ({"type": "home", "blocks": [section("x")]}, "/view/type"),
}


@pytest.mark.parametrize(("view", "pointer"), VIEW_CASES.values(), ids=VIEW_CASES.keys())
async def test_views_over_a_limit_are_refused(
    client: AsyncWebClient, fake: FakeSlack, view: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=view)

    assert raised.value.response["error"] == "invalid_arguments"
    messages = raised.value.response["response_metadata"]["messages"]
    assert any(pointer in message for message in messages), messages
    assert fake.open_views(ALICE) == []


async def test_a_modal_at_the_limits_opens(client: AsyncWebClient, fake: FakeSlack) -> None:
    view = modal(
        *[{"type": "divider"}] * 99,
        text_input("n", "Name"),
        title=plain("x" * 24),
        submit=plain("y" * 24),
        close=plain("z" * 24),
        private_metadata="m" * 3000,
    )

    await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=view)

    assert len(fake.top_view(ALICE).view["blocks"]) == 100
