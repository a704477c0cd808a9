"""How Slack's requests reach the bot: over HTTP (`SlackSender`) or over its Socket Mode websocket
(`SocketSender`). `SlackUser` builds the same requests either way and acts through one of these."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from standins.slack.answers import BotAnswer
from standins.slack.payloads import PayloadFactory
from standins.slack.user import SlackUser

if TYPE_CHECKING:
    from standins.slack.server import FakeSlack


class Transport(ABC):
    """Carries slash commands, interactivity payloads and events to the bot; returns what it acked."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.payloads = PayloadFactory(fake.workspace)

    def user(self, user_id: str) -> SlackUser:
        """A workspace member acting in Slack (run a command, click, fill a modal…)."""
        return SlackUser(self, user_id)

    @abstractmethod
    async def post_form(self, fields: dict[str, str]) -> BotAnswer:
        """A slash command, as its form fields."""

    @abstractmethod
    async def post_payload(self, payload: dict[str, Any]) -> BotAnswer:
        """Interactivity: block_actions, view_submission, view_closed, block_suggestion."""

    @abstractmethod
    async def post_event(self, envelope: dict[str, Any]) -> BotAnswer:
        """An Events API `event_callback`."""
