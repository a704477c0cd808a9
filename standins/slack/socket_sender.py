"""`SocketSender`: plays Slack towards a bot connected in Socket Mode, each request an envelope on its websocket."""

from __future__ import annotations

import json
from typing import Any

from standins.slack.answers import BotAnswer
from standins.slack.server import FakeSlack
from standins.slack.socket_mode import Message
from standins.slack.transport import Transport

ACK_TIMEOUT_SECONDS = 3.0
# No ack in time: Slack shows the person an error. HTTP has no such answer; 504 says "Slack waited in vain".
NO_ACK_STATUS = 504
# Interactions whose ack body Slack reads (response_action, options): only their envelopes accept a response payload.
ANSWERED_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


def answer_from_ack(ack: Message | None) -> BotAnswer:
    """The ack as the bot's answer: 200 with the ack's payload (what Bolt's `ack(...)` built) as a JSON body."""
    if ack is None:
        return BotAnswer(NO_ACK_STATUS, "")
    payload = ack.get("payload")
    return BotAnswer(200, "" if payload is None else json.dumps(payload))


class SocketSender(Transport):
    """Delivers commands, interactivity payloads and events over the bot's Socket Mode connection.

    Same interface as `SlackSender`, so `sender.user(...)` acts the same; an envelope not acked within
    `ack_timeout` (Slack's three seconds) answers `NO_ACK_STATUS`.
    """

    def __init__(self, fake: FakeSlack, *, ack_timeout: float = ACK_TIMEOUT_SECONDS) -> None:
        super().__init__(fake)
        self.ack_timeout = ack_timeout

    async def post_form(self, fields: dict[str, str]) -> BotAnswer:
        """A slash command: the form fields become the envelope's payload, strings as they were."""
        return await self._deliver("slash_commands", dict(fields), accepts_response_payload=True)

    async def post_payload(self, payload: dict[str, Any]) -> BotAnswer:
        """Interactivity: the payload object itself, not `payload=<json>` as over HTTP."""
        answered = payload.get("type") in ANSWERED_INTERACTIONS
        return await self._deliver("interactive", payload, accepts_response_payload=answered)

    async def post_event(self, envelope: dict[str, Any]) -> BotAnswer:
        """Events API: the whole `event_callback`; Slack reads nothing from the ack but its arrival."""
        return await self._deliver("events_api", envelope, accepts_response_payload=False)

    async def _deliver(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool) -> BotAnswer:
        delivery = await self.fake.sockets.deliver(
            kind, payload, accepts_response_payload=accepts_response_payload, within=self.ack_timeout
        )
        return answer_from_ack(delivery.ack)
