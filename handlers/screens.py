"""Which modal a listener updates, and how the final view wins over a submission's ack.

After a view_submission acked with `response_action: update`, Slack documents no order
between that view and a views.update sent right after it
(https://docs.slack.dev/surfaces/modals#updating_response): if the ack's view landed last,
the modal would stay on "Checking…" although the work is done. So the ack's view carries a
fresh `external_id`, and the next views.update targets that `external_id`: before the ack's
view is in place, Slack answers `not_found` (views.update's documented error for an unknown
`external_id`), and the update is sent again a moment later. Whatever order Slack applies
them in, the update lands after the ack. If the ack's view never lands (the modal was
closed, or Slack kept another delivery's answer), the update goes to the view id at last.
"""

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

LANDING_ATTEMPTS = 8
LANDING_PAUSE_SECONDS = 0.25


@dataclass(frozen=True)
class Screen:
    """A modal: its view id (the key of its flow) and, right after an ack, the external_id that ack set."""

    view_id: str
    external_id: str | None = None


def after_ack(view_id: str) -> Screen:
    return Screen(view_id, f"{view_id}.{secrets.token_hex(6)}")


def marked(screen: Screen, view: dict[str, Any]) -> dict[str, Any]:
    """The view as sent in the ack: with the screen's external_id, if it has one."""
    return {**view, "external_id": screen.external_id} if screen.external_id else view


async def show(client: AsyncWebClient, screen: Screen, view: dict[str, Any]) -> None:
    if screen.external_id is None:
        await client.views_update(view_id=screen.view_id, view=view)
        return
    for _ in range(LANDING_ATTEMPTS):
        try:
            await client.views_update(external_id=screen.external_id, view=marked(screen, view))
            return
        except SlackApiError as error:
            if error.response.get("error") != "not_found":
                raise
        await asyncio.sleep(LANDING_PAUSE_SECONDS)
    await client.views_update(view_id=screen.view_id, view=view)
