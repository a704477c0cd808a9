"""Accept / Decline on a customer's request: approvers only, first click wins, the rest are told."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from blocks.ids import Action
from blocks.requests import decision_words
from bot.runtime import Runtime
from handlers.state import user_id

NOT_AN_APPROVER = "Only approvers can answer customer requests. Ask an administrator of this bot if you should be one."


def register(app: AsyncApp, runtime: Runtime) -> None:
    async def answer(body: dict[str, Any], respond: AsyncRespond, accept: bool) -> None:
        user = user_id(body)
        request_id = int(body["actions"][0]["value"])
        if not await runtime.authz.is_approver(user):
            await runtime.audit.denied(user, "request.accept" if accept else "request.decline", str(request_id))
            await respond(text=NOT_AN_APPROVER, response_type="ephemeral", replace_original=False)
            return
        decision = await runtime.requests.decide(request_id, accept, user)
        words = decision_words(decision.request, decision.outcome, decision.reason)
        await respond(text=words, response_type="ephemeral", replace_original=False)

    @app.action(Action.ACCEPT_REQUEST)
    async def accept(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await answer(body, respond, accept=True)

    @app.action(Action.DECLINE_REQUEST)
    async def decline(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await answer(body, respond, accept=False)
