"""Resend / Cancel on a stale invitation: resellers only, answered privately."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from blocks.announcements import reminder_done
from blocks.ids import Action
from bot.runtime import Runtime
from handlers.guard import NOT_A_RESELLER, is_reseller
from handlers.state import user_id


def register(app: AsyncApp, runtime: Runtime) -> None:
    async def tell(body: dict[str, Any], respond: AsyncRespond, text: str) -> None:
        """Privately: through the message's response_url (works whoever clicked), else by DM (App Home)."""
        if body.get("response_url"):
            await respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            await runtime.notifier.dm(user_id(body), text)

    @app.action(Action.RESEND_INVITATION)
    async def resend(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        if not await is_reseller(runtime, user_id(body), "invitation.resend"):
            await tell(body, respond, NOT_A_RESELLER)
            return
        done = await runtime.reminders.resend(body["actions"][0]["value"], user_id(body))
        await tell(body, respond, reminder_done(done.company, done.outcome, done.status))

    @app.action(Action.CANCEL_INVITATION)
    async def cancel(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        if not await is_reseller(runtime, user_id(body), "invitation.cancel"):
            await tell(body, respond, NOT_A_RESELLER)
            return
        done = await runtime.reminders.cancel(body["actions"][0]["value"], user_id(body))
        await tell(body, respond, reminder_done(done.company, done.outcome, done.status))
