"""The one route for words to a person, used by every listener and the global error handler.

1. The open modal, when the request came from one: its content is replaced by the words.
2. Else the request's ``response_url``: every slash command and message click has one, and it
   answers privately even in a DM or a channel the bot is not in
   (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
3. Else a DM from the bot (App Home clicks, events).

``chat.postEphemeral`` is never used for this: it fails with `not_in_channel` or
`channel_not_found` wherever the bot is not a member.
"""

from typing import Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from blocks.forms import modal, section
from blocks.ids import Callback
from blocks.text import escape
from bot.runtime import Runtime
from handlers.state import user_id


def error_view(message: str) -> dict[str, Any]:
    return modal(Callback.ERROR, "Something went wrong", [section(f":warning: {escape(message)}")], close="Close")


async def tell(
    runtime: Runtime,
    client: AsyncWebClient,
    respond: AsyncRespond | None,
    body: dict[str, Any],
    message: str,
) -> None:
    view = body.get("view") or {}
    if view.get("id") and view.get("type") == "modal":
        await client.views_update(view_id=view["id"], view=error_view(message))
        return
    if respond is not None and body.get("response_url"):
        await respond(text=escape(message), response_type="ephemeral", replace_original=False)
        return
    person = user_id(body) or str((body.get("event") or {}).get("user") or "")
    if person:
        await runtime.notifier.dm(person, escape(message))


async def say(runtime: Runtime, respond: AsyncRespond | None, body: dict[str, Any], text: str) -> None:
    """An answer that is not a failure, by the same route minus the modal: response_url, else a DM.

    ``text`` is mrkdwn the caller built (user text in it already escaped)."""
    if respond is not None and body.get("response_url"):
        await respond(text=text, response_type="ephemeral", replace_original=False)
        return
    await runtime.notifier.dm(user_id(body), text)
