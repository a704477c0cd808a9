"""response_url endpoints: where Bolt's `respond()` posts replies, replacements and deletions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from standins.slack.clock import FakeClock
from standins.slack.conversations import ConversationStore
from standins.slack.errors import SlackError

# "You can use a response_url up to 5 times within 30 minutes" of the interaction
# (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses). Slack documents no
# answer for a use beyond that; the stand-in answers as for an unknown URL.
MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


@dataclass(frozen=True)
class ResponseTarget:
    """What a response_url refers to: the channel and user of an interaction, and its message if any."""

    id: str
    channel: str
    user: str
    issued_at: float
    message_ts: str | None = None
    is_ephemeral: bool = False


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url, recorded with what the fake did with it."""

    target: ResponseTarget
    body: dict[str, Any]
    outcome: str


class ResponseUrls:
    """Issues response_urls and applies what is posted to them to the conversations."""

    def __init__(self, conversations: ConversationStore, clock: FakeClock) -> None:
        self._conversations = conversations
        self._clock = clock
        self.targets: dict[str, ResponseTarget] = {}
        self.posts: list[ResponsePost] = []
        self._uses: dict[str, int] = {}

    def issue(
        self, channel: str, user: str, message_ts: str | None = None, is_ephemeral: bool = False
    ) -> ResponseTarget:
        target = ResponseTarget(secrets.token_hex(12), channel, user, self._clock.now(), message_ts, is_ephemeral)
        self.targets[target.id] = target
        return target

    def apply(self, target_id: str, body: dict[str, Any]) -> str:
        """Replace, delete, post in channel or reply ephemerally; returns what happened, for the record."""
        target = self.targets.get(target_id)
        if target is None:
            raise SlackError("no_service")
        uses = self._uses.get(target_id, 0)
        if uses >= MAX_USES or self._clock.now() - target.issued_at > LIFETIME_SECONDS:
            self.posts.append(ResponsePost(target, body, "error:no_service"))
            raise SlackError("no_service")
        self._uses[target_id] = uses + 1
        try:
            outcome = self._apply(target, body)
        except SlackError as error:
            self.posts.append(ResponsePost(target, body, f"error:{error.error}"))
            raise
        self.posts.append(ResponsePost(target, body, outcome))
        return outcome

    def _apply(self, target: ResponseTarget, body: dict[str, Any]) -> str:
        text, blocks = body.get("text"), body.get("blocks")
        conversations = self._conversations
        if (body.get("delete_original") or body.get("replace_original")) and target.message_ts is None:
            raise SlackError("message_not_found")
        if body.get("delete_original"):
            if target.is_ephemeral:
                conversations.find_ephemeral(target.message_ts or "").deleted = True
            else:
                conversations.delete(target.channel, target.message_ts or "")
            return "deleted"
        if body.get("replace_original"):
            if target.is_ephemeral:
                conversations.replace_ephemeral(target.message_ts or "", text=text, blocks=blocks)
            else:
                conversations.update(
                    target.channel, target.message_ts or "", text=text, blocks=blocks or [], by_bot=False
                )
            return "replaced"
        if body.get("response_type") == "in_channel":
            conversations.post(
                target.channel,
                method="response_url",
                text=text,
                blocks=blocks,
                thread_ts=body.get("thread_ts"),
                as_interaction_reply=True,
            )
            return "in_channel"
        conversations.post_ephemeral(target.channel, target.user, text=text, blocks=blocks, source="response_url")
        return "ephemeral"
