"""The one place where a failure becomes words for the person who was waiting.

Domain errors carry their own sentence. Anything else gets a short error id that
is logged with the traceback, so support can find it; secrets are never shown.
"""

import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from blocks.forms import modal, section
from blocks.ids import Callback
from blocks.text import escape
from bot.services.errors import DomainError

logger = logging.getLogger("handlers.errors")


def words_for(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    error_id = uuid.uuid4().hex[:8]
    logger.error("unexpected error %s: %s", error_id, type(error).__name__, exc_info=error)
    return (
        f"Something went wrong on our side (error id {error_id}). What you entered is saved;"
        " try again in a minute, and give this id to whoever runs the bot if it happens again."
    )


async def tell(client: AsyncWebClient, body: dict[str, Any], message: str) -> None:
    """Show ``message`` where the person is looking: the open modal, else privately in the channel."""
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    view = body.get("view") or {}
    if view.get("id") and view.get("type") == "modal":
        await client.views_update(
            view_id=view["id"],
            view=modal(
                Callback.ERROR, "Something went wrong", [section(f":warning: {escape(message)}")], close="Close"
            ),
        )
        return
    channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
    if channel and user:
        await client.chat_postEphemeral(channel=channel, user=user, text=escape(message))


def register(app: AsyncApp) -> None:
    @app.error
    async def on_error(error: Exception, body: dict[str, Any], client: AsyncWebClient) -> None:
        message = words_for(error)
        try:
            await tell(client, body, message)
        except SlackApiError as slack_error:
            logger.warning("could not tell the user about an error: %s", slack_error.response.get("error"))
