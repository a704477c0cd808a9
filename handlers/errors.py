"""Failures become words for the person who was waiting, and one log line for the operator.

Domain errors carry their own sentence. Slack and Rainbow outages are expected: one log
line, no traceback. Anything else gets a short error id that is logged with the traceback,
so support can find it; secrets are never shown.
"""

import logging
import uuid
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime
from bot.services.errors import DomainError, NotFound
from handlers.state import user_id, view_id
from handlers.tell import tell

logger = logging.getLogger("handlers.errors")
SLACK_OUTAGES = (aiohttp.ClientError, TimeoutError)
TRIGGER_GONE = {"expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id"}


def slack_code(error: Exception) -> str | None:
    return str(error.response.get("error")) if isinstance(error, SlackApiError) else None


def record(runtime: Runtime, body: dict[str, Any], error: Exception) -> str:
    """Log the failure (one line when expected, a traceback otherwise), count it, and give it an id."""
    error_id = uuid.uuid4().hex[:8]
    user = user_id(body) or "?"
    if isinstance(error, DomainError):
        outcome = "refused" if type(error).__name__ == "Refusal" else "domain"
        logger.info("%s for %s: %s", outcome, user, error.message)
    elif isinstance(error, SlackApiError):
        outcome = "slack_refused"
        logger.warning("Slack refused a call for %s (%s), error id %s", user, slack_code(error), error_id)
    elif isinstance(error, SLACK_OUTAGES):
        outcome = "slack_unreachable"
        logger.warning("Slack cannot be reached for %s (%s), error id %s", user, type(error).__name__, error_id)
    else:
        outcome = "unexpected"
        logger.error("unexpected error %s: %s", error_id, type(error).__name__, exc_info=error)
    runtime.metrics.listener_failures.labels(outcome).inc()
    return error_id


async def input_saved(runtime: Runtime, body: dict[str, Any]) -> bool:
    """True only when the modal's flow is stored: then what the person entered can be picked up again."""
    view = view_id(body)
    if not view:
        return False
    try:
        flow = await runtime.flows.get(view)
    except NotFound:
        return False
    except Exception:  # the store itself failing: then nothing is promised
        return False
    return bool(flow.data)


async def words_for(runtime: Runtime, body: dict[str, Any], error: Exception, error_id: str) -> str:
    if isinstance(error, DomainError):
        return error.message
    code = slack_code(error)
    if code in TRIGGER_GONE:
        return "Slack did not let the form open in time. Please run the command or click the button again."
    if code == "ratelimited" or isinstance(error, SLACK_OUTAGES):
        return f"Slack is not answering right now (error id {error_id}). Please try again in a minute."
    saved = " What you entered is saved." if await input_saved(runtime, body) else ""
    return (
        f"Something went wrong on our side (error id {error_id}).{saved} Try again in a minute,"
        " and give this id to whoever runs the bot if it happens again."
    )


def short_words_for(error: Exception, error_id: str) -> str:
    """For the one option of a typeahead (75 characters at most)."""
    if isinstance(error, DomainError):
        return error.message
    return f"Not available right now (error {error_id}): try again"


def first_input_block(view: dict[str, Any]) -> str | None:
    """The block a field error can be attached to (Slack accepts errors on input blocks only)."""
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.error
    async def on_error(
        error: Exception, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond | None
    ) -> None:
        """What escaped Bolt's own middleware (listeners answer their own failures in ``guarded``)."""
        error_id = record(runtime, body, error)
        if body.get("type") == "block_suggestion":
            return
        try:
            await tell(runtime, client, respond, body, await words_for(runtime, body, error, error_id))
        except Exception as failure:  # nothing is left to tell with
            logger.warning("could not tell %s about error %s: %s", user_id(body) or "?", error_id, failure)
