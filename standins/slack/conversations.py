"""Channels, DMs, messages and ephemerals: what chat.* and conversations.* read and change."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from standins.slack.errors import SlackError
from standins.slack.ids import TimestampSource, generated_block_id
from standins.slack.validation import message_problems
from standins.slack.workspace import SlackChannel, Workspace

Blocks = list[dict[str, Any]]
MAX_TEXT_LENGTH = 40_000


@dataclass(frozen=True)
class MessageVersion:
    """A message as it was before an edit."""

    text: str
    blocks: Blocks


@dataclass
class StoredMessage:
    """A message in a channel or DM; `history` keeps every earlier version, oldest first."""

    channel: str
    ts: str
    text: str
    blocks: Blocks
    user: str
    bot_id: str | None = None
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def edited(self) -> bool:
        return bool(self.history)

    def as_slack(self, team_id: str, app_id: str | None = None) -> dict[str, Any]:
        """The `message` object Slack puts in block_actions payloads and API answers."""
        message: dict[str, Any] = {
            "type": "message",
            "text": self.text,
            "user": self.user,
            "ts": self.ts,
            "team": team_id,
            "blocks": copy.deepcopy(self.blocks),
        }
        if self.bot_id:
            message["bot_id"] = self.bot_id
            message["app_id"] = app_id
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if self.metadata:
            message["metadata"] = copy.deepcopy(self.metadata)
        return message


@dataclass
class StoredEphemeral:
    """A message only `user` sees; `source` says how it came (chat.postEphemeral, response_url, ack)."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: Blocks
    source: str
    thread_ts: str | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False


@dataclass(frozen=True)
class SlackWarning:
    """Something Slack accepts but frowns upon, e.g. blocks without a top-level `text` fallback."""

    method: str
    code: str
    channel: str


def with_generated_ids(blocks: Blocks) -> Blocks:
    """Copy of `blocks` with the block_id/action_id Slack invents for those that came without one."""
    filled = copy.deepcopy(blocks)
    for block in filled:
        block.setdefault("block_id", generated_block_id())
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        elements += [block[key] for key in ("accessory", "element") if isinstance(block.get(key), dict)]
        for element in elements:
            if element.get("type") not in ("image", "plain_text", "mrkdwn"):
                element.setdefault("action_id", generated_block_id())
    return filled


class ConversationStore:
    """Messages per channel and ephemerals per user, with Slack's membership rules."""

    def __init__(self, workspace: Workspace, timestamps: TimestampSource) -> None:
        self.workspace = workspace
        self._timestamps = timestamps
        self.messages: dict[str, list[StoredMessage]] = {}
        self.ephemerals: list[StoredEphemeral] = []
        self.warnings: list[SlackWarning] = []
        self._dm_users: dict[str, str] = {}

    # conversations

    def open_dm(self, user_id: str) -> str:
        """The DM channel (`D…`) between the bot and this user, created on first use."""
        if self.workspace.user(user_id) is None:
            raise SlackError("user_not_found")
        channel_id = "D" + user_id[1:]
        self._dm_users[channel_id] = user_id
        return channel_id

    def dm_user(self, channel_id: str) -> str | None:
        return self._dm_users.get(channel_id)

    def channel_for_posting(self, channel: str) -> str:
        """Resolve what chat.postMessage accepts (C…, #name, D…, or a user id for their DM) to an id."""
        if channel in self._dm_users:
            return channel
        if channel[:1] in ("U", "W") and self.workspace.user(channel) is not None:
            return self.open_dm(channel)
        found = self.workspace.channel(channel)
        if found is None or (found.is_private and not found.bot_is_member):
            raise SlackError("channel_not_found")
        if not found.bot_is_member and not self.workspace.chat_write_public:
            raise SlackError("not_in_channel")
        return found.id

    def visible_channel(self, channel_id: str) -> SlackChannel:
        """The configured channel, if the bot can see it (private channels only once invited)."""
        found = self.workspace.channel(channel_id)
        if found is None or (found.is_private and not found.bot_is_member):
            raise SlackError("channel_not_found")
        return found

    def members(self, channel_id: str) -> list[str]:
        if channel_id in self._dm_users:
            return [self._dm_users[channel_id], self.workspace.bot_user_id]
        return list(self.visible_channel(channel_id).members)

    # messages

    def post(
        self,
        channel: str,
        *,
        method: str,
        text: str | None,
        blocks: Blocks | None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
        author: str | None = None,
        as_interaction_reply: bool = False,
    ) -> StoredMessage:
        """Store a new message from the bot (or from `author`, to seed what people wrote).

        Replies to an interaction (response_url, a command's ack) skip the membership rule, as on Slack.
        """
        skip_membership = author is not None or as_interaction_reply
        channel_id = channel if skip_membership else self.channel_for_posting(channel)
        checked_blocks = self._checked(method, channel_id, text, blocks)
        bot = author is None
        message = StoredMessage(
            channel=channel_id,
            ts=self._timestamps.next(),
            text=(text or "")[:MAX_TEXT_LENGTH],
            blocks=checked_blocks,
            user=self.workspace.bot_user_id if bot else author or "",
            bot_id=self.workspace.bot_id if bot else None,
            thread_ts=thread_ts,
            metadata=metadata,
        )
        self.messages.setdefault(channel_id, []).append(message)
        return message

    def find(self, channel: str, ts: str) -> StoredMessage:
        for message in self.messages.get(channel, []):
            if message.ts == ts and not message.deleted:
                return message
        raise SlackError("message_not_found")

    def update(
        self, channel: str, ts: str, *, text: str | None, blocks: Blocks | None, by_bot: bool = True
    ) -> StoredMessage:
        """chat.update: only the bot's own messages; omitted blocks keep the old ones, as Slack does."""
        if channel not in self.messages and self.workspace.channel(channel) is None:
            raise SlackError("channel_not_found")
        message = self.find(channel, ts)
        if by_bot and message.bot_id != self.workspace.bot_id:
            raise SlackError("cant_update_message")
        if text is not None and len(text) > MAX_TEXT_LENGTH:
            raise SlackError("msg_too_long")
        new_blocks = message.blocks if blocks is None else blocks
        new_text = message.text if text is None else text
        checked_blocks = self._checked("chat.update", channel, new_text, new_blocks)
        message.history.append(MessageVersion(message.text, message.blocks))
        message.text, message.blocks = new_text, checked_blocks
        return message

    def delete(self, channel: str, ts: str) -> None:
        self.find(channel, ts).deleted = True

    def channel_messages(self, channel: str) -> list[StoredMessage]:
        """Top-level messages (not thread replies), oldest first."""
        return [
            m for m in self.messages.get(channel, []) if not m.deleted and (m.thread_ts is None or m.thread_ts == m.ts)
        ]

    def thread(self, channel: str, ts: str) -> list[StoredMessage]:
        """The parent and its replies, oldest first."""
        return [m for m in self.messages.get(channel, []) if not m.deleted and (m.ts == ts or m.thread_ts == ts)]

    # ephemerals

    def post_ephemeral(
        self,
        channel: str,
        user: str,
        *,
        text: str | None,
        blocks: Blocks | None,
        source: str,
        thread_ts: str | None = None,
    ) -> StoredEphemeral:
        """An ephemeral: the recipient must be able to see the channel (`user_not_in_channel`).

        Sent by chat.postEphemeral, the bot must be in the channel too (`not_in_channel`), unless it holds
        chat:write.public (https://docs.slack.dev/reference/methods/chat.postEphemeral). Replies to an
        interaction (response_url, a command's ack) reach the person wherever they are.
        """
        if self.workspace.user(user) is None:
            raise SlackError("user_not_in_channel")
        if source == "chat.postEphemeral":
            if channel not in self._dm_users:
                found = self.visible_channel(channel)
                if not found.bot_is_member and not self.workspace.chat_write_public:
                    raise SlackError("not_in_channel")
            if user not in self.members(channel):
                raise SlackError("user_not_in_channel")
        checked_blocks = self._checked(source, channel, text, blocks)
        ephemeral = StoredEphemeral(
            channel=channel,
            user=user,
            ts=self._timestamps.next(),
            text=text or "",
            blocks=checked_blocks,
            source=source,
            thread_ts=thread_ts,
        )
        self.ephemerals.append(ephemeral)
        return ephemeral

    def replace_ephemeral(self, ts: str, *, text: str | None, blocks: Blocks | None) -> StoredEphemeral:
        """response_url `replace_original` on an ephemeral: the only way to change one."""
        ephemeral = self.find_ephemeral(ts)
        checked_blocks = self._checked("response_url", ephemeral.channel, text, blocks)
        ephemeral.history.append(MessageVersion(ephemeral.text, ephemeral.blocks))
        ephemeral.text, ephemeral.blocks = text or "", checked_blocks
        return ephemeral

    def find_ephemeral(self, ts: str) -> StoredEphemeral:
        for ephemeral in self.ephemerals:
            if ephemeral.ts == ts and not ephemeral.deleted:
                return ephemeral
        raise SlackError("message_not_found")

    # validation

    def _checked(self, method: str, channel: str, text: str | None, blocks: Blocks | None) -> Blocks:
        """Validated blocks with generated ids; no text and no blocks is `no_text`, as on Slack."""
        if not blocks:
            if not text:
                raise SlackError("no_text")
            return []
        problems = message_problems(blocks)
        if problems:
            raise SlackError("invalid_blocks", problems)
        if not text:
            self.warnings.append(SlackWarning(method, "missing_text_in_blocks", channel))
        return with_generated_ids(blocks)
