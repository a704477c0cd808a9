"""Accept / Decline on a customer's request: approvers only, first click wins, the rest are told."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from blocks.ids import Action
from blocks.requests import decision_words
from bot.runtime import Runtime
from handlers.guard import Role, Rule, guarded
from handlers.state import user_id
from handlers.tell import say


def register(app: AsyncApp, runtime: Runtime) -> None:
    async def answer(body: dict[str, Any], respond: AsyncRespond, accept: bool) -> None:
        decision = await runtime.requests.decide(int(body["actions"][0]["value"]), accept, user_id(body))
        await say(runtime, respond, body, decision_words(decision.request, decision.outcome, decision.reason))

    @app.action(Action.ACCEPT_REQUEST)
    @guarded(runtime, Rule(Role.APPROVER, "request.accept"))
    async def accept(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await answer(body, respond, accept=True)

    @app.action(Action.DECLINE_REQUEST)
    @guarded(runtime, Rule(Role.APPROVER, "request.decline"))
    async def decline(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await answer(body, respond, accept=False)
