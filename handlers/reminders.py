"""Resend / Cancel on a stale invitation: resellers only, answered privately."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from blocks.announcements import reminder_done
from blocks.ids import Action
from bot.runtime import Runtime
from handlers.guard import Role, Rule, guarded
from handlers.state import user_id
from handlers.tell import say


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.action(Action.RESEND_INVITATION)
    @guarded(runtime, Rule(Role.RESELLER, "invitation.resend"))
    async def resend(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        done = await runtime.reminders.resend(body["actions"][0]["value"], user_id(body))
        await say(runtime, respond, body, reminder_done(done.company, done.outcome, done.status))

    @app.action(Action.CANCEL_INVITATION)
    @guarded(runtime, Rule(Role.RESELLER, "invitation.cancel"))
    async def cancel(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        done = await runtime.reminders.cancel(body["actions"][0]["value"], user_id(body))
        await say(runtime, respond, body, reminder_done(done.company, done.outcome, done.status))
