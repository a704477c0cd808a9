"""Every listener runs inside ``guarded``: who may do it, and what happens when it fails.

Authorization is decided here, once, from a ``Rule`` per listener: a refusal is a typed
``Refusal``, audited, and told like any other failure. No exception leaves a listener:
Bolt 1.30 replaces an acknowledged response with the error handler's when a listener
raises after ``ack()`` (slack_bolt/listener/asyncio_runner.py, ``run_ack_function_asynchronously``),
so Slack would get no answer at all. Whatever goes wrong is acknowledged in time if it was
not yet, and told to the person through ``handlers.tell``.
"""

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from blocks.forms import option
from blocks.text import escape
from bot.runtime import Runtime
from bot.services.drafts import UNAVAILABLE
from bot.services.errors import DomainError
from handlers.errors import first_input_block, record, short_words_for, words_for
from handlers.state import user_id
from handlers.tell import error_view, tell

logger = logging.getLogger("handlers.errors")
NOT_A_RESELLER = "Only members of the reseller team can do this. Ask an administrator of this bot to add you."
NOT_AN_APPROVER = "Only approvers can answer customer requests. Ask an administrator of this bot if you should be one."
NOT_CONFIRMED = "Slack could not confirm right now that you may do this. Please try again in a minute."
NOT_ALLOWED_TO_LIST = "Only approvers and members of the reseller team can list customer requests."
Listener = Callable[..., Awaitable[None]]
# Slack drops a request not acknowledged within 3 s; the membership lookups get at most this much of it.
AUTHORIZATION_SECONDS = 2.0


class Role(StrEnum):
    RESELLER = "reseller"
    APPROVER = "approver"
    RESELLER_OR_APPROVER = "reseller_or_approver"


@dataclass(frozen=True)
class Rule:
    """Who may run a listener; ``action`` names it in the audit log."""

    role: Role
    action: str


class Refusal(DomainError):
    """The person may not do this; the message says who may."""


REFUSALS = {
    Role.RESELLER: NOT_A_RESELLER,
    Role.APPROVER: NOT_AN_APPROVER,
    Role.RESELLER_OR_APPROVER: NOT_ALLOWED_TO_LIST,
}
RuleFor = Rule | Callable[[dict[str, Any]], Rule | None] | None


async def demand(runtime: Runtime, rule: Rule, user: str, target: str | None = None) -> None:
    """Raise ``Refusal`` (and audit it) unless ``user`` holds ``rule.role``; Slack failing counts as no."""
    try:
        async with asyncio.timeout(AUTHORIZATION_SECONDS):  # Slack waits for the ack meanwhile
            allowed = await holds(runtime, rule.role, user)
    except TimeoutError:
        allowed = None
    if not allowed:
        await runtime.audit.denied(user, rule.action, target)
        raise Refusal(REFUSALS[rule.role] if allowed is False else NOT_CONFIRMED)


async def holds(runtime: Runtime, role: Role, user: str) -> bool | None:
    """True, False, or None when Slack could not say (then the answer is no, in other words)."""
    authz = runtime.authz
    if role == Role.RESELLER:
        return await authz.is_reseller(user)
    if role == Role.APPROVER:
        return await authz.is_approver(user)
    approver = await authz.is_approver(user)
    if approver:
        return True
    reseller = await authz.is_reseller(user)
    if reseller:
        return True
    return None if approver is None or reseller is None else False


def guarded(runtime: Runtime, rule: RuleFor = None) -> Callable[[Listener], Listener]:
    """Wrap a listener: check ``rule`` (a Rule, or a function of the body giving one), run it, and
    turn any exception into an acknowledgement (if still due) plus words for the person."""

    def decorate(listener: Listener) -> Listener:
        wanted = inspect.getfullargspec(listener).args

        async def run(
            ack: AsyncAck,
            body: dict[str, Any],
            payload: dict[str, Any],
            client: AsyncWebClient,
            respond: AsyncRespond,
            context: AsyncBoltContext,
        ) -> None:
            offered = {
                "ack": ack,
                "body": body,
                "payload": payload,
                "client": client,
                "respond": respond,
                "context": context,
                "command": payload,
                "view": payload,
                "event": payload,
                "action": payload,
            }
            try:
                chosen = rule(body) if callable(rule) else rule
                if chosen is not None:
                    await demand(runtime, chosen, user_id(body) or str((body.get("event") or {}).get("user") or ""))
                await listener(**{name: offered[name] for name in wanted})
            except Exception as error:  # the one place where every failure is answered
                await answer_failure(runtime, body, ack, client, respond, error)

        # Bolt injects arguments by the names of the function it unwraps: ``run``'s own, not the listener's.
        run.__name__, run.__qualname__, run.__doc__ = listener.__name__, listener.__qualname__, listener.__doc__
        return run

    return decorate


async def answer_failure(
    runtime: Runtime,
    body: dict[str, Any],
    ack: AsyncAck,
    client: AsyncWebClient,
    respond: AsyncRespond | None,
    error: Exception,
) -> None:
    """Acknowledge if Slack still waits (with the words when the ack can carry them), else tell the person."""
    kind = body.get("type") or ("command" if "command" in body else "")
    error_id = record(runtime, body, error)
    if ack.response is None:
        if kind == "block_suggestion":  # a select shows options only: the words go in one that cannot be chosen
            await ack(options=[option(short_words_for(error, error_id), UNAVAILABLE)])
            return
        if kind == "command":  # a command's ack is shown to the person, privately
            await ack(text=escape(await words_for(runtime, body, error, error_id)), response_type="ephemeral")
            return
        if kind == "view_submission":  # what was typed stays in the form
            message = words_for_form(error, error_id)
            block = first_input_block(body.get("view") or {})
            if block:
                await ack(response_action="errors", errors={block: message})
            else:
                await ack(response_action="update", view=error_view(message))
            return
        await ack()
    if kind == "block_suggestion":
        return
    try:
        await tell(runtime, client, respond, body, await words_for(runtime, body, error, error_id))
    except Exception as failure:  # nothing is left to tell with; say it in one line
        logger.warning("could not tell %s about error %s: %s", user_id(body) or "?", error_id, _reason(failure))


def words_for_form(error: Exception, error_id: str | None) -> str:
    """A field error: the form stays open with everything typed, so it can simply be sent again."""
    if isinstance(error, DomainError):
        return error.message
    return f"Something went wrong on our side (error id {error_id}). Your entries are still here: submit again."


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return type(error).__name__
