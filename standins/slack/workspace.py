"""Who and what exists in the fake workspace: the data a real Slack workspace would already hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SlackUserProfile:
    """A workspace member as users.info describes them; ids look like Slack's (`U…`)."""

    id: str
    name: str
    real_name: str = ""
    email: str = ""
    is_bot: bool = False
    tz: str = "Europe/Paris"

    def as_slack(self, team_id: str) -> dict[str, Any]:
        """The `user` object of users.info (the profile carries the e-mail, as with users:read.email)."""
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "is_admin": False,
            "tz": self.tz,
            "profile": {
                "real_name": real_name,
                "display_name": self.name,
                "email": self.email,
            },
        }


@dataclass
class SlackChannel:
    """A public or private channel; `bot_is_member` decides whether chat.postMessage is allowed."""

    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    bot_is_member: bool = True

    def as_slack(self) -> dict[str, Any]:
        """The `channel` object of conversations.info."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_private": self.is_private,
            "is_archived": False,
            "is_member": self.bot_is_member,
            "num_members": len(self.members),
        }


@dataclass(frozen=True)
class SlackUserGroup:
    """A user group (`S…`) such as @approvers, answered by usergroups.users.list."""

    id: str
    handle: str
    members: tuple[str, ...] = ()


# The bot scopes manifest.yml asks for; a method needing another one answers `missing_scope`.
MANIFEST_SCOPES = frozenset({"commands", "chat:write", "im:write", "channels:read", "groups:read", "usergroups:read"})


@dataclass
class Workspace:
    """Everything the fake needs to know before the first call; tests build one per scenario.

    `chat_write_public` grants the bot that scope: it may then post in public channels it has not joined.
    `scopes` are the bot scopes granted at install (the manifest's, by default).
    `app_token` is the app-level token (`connections:write`) a Socket Mode bot opens its websocket with.
    """

    token: str = "xoxb-fake-bot-token"
    app_token: str = "xapp-1-A0FAKE001-1-fake"
    team_id: str = "T0FAKE001"
    team_name: str = "Fake Reseller Team"
    team_domain: str = "fake-resellers"
    app_id: str = "A0FAKE001"
    bot_id: str = "B0FAKE001"
    bot_user_id: str = "U0FAKEBOT"
    bot_name: str = "reseller-bot"
    chat_write_public: bool = False
    scopes: frozenset[str] = MANIFEST_SCOPES
    users: list[SlackUserProfile] = field(default_factory=list)
    channels: list[SlackChannel] = field(default_factory=list)
    usergroups: list[SlackUserGroup] = field(default_factory=list)

    def user(self, user_id: str) -> SlackUserProfile | None:
        """The member with this id, the bot included."""
        if user_id == self.bot_user_id:
            return SlackUserProfile(id=self.bot_user_id, name=self.bot_name, is_bot=True)
        return next((user for user in self.users if user.id == user_id), None)

    def channel(self, id_or_name: str) -> SlackChannel | None:
        """A channel by id, or by name with or without `#` (Slack accepts both on chat.postMessage)."""
        name = id_or_name.removeprefix("#")
        return next((c for c in self.channels if id_or_name == c.id or name == c.name), None)

    def usergroup(self, group_id: str) -> SlackUserGroup | None:
        return next((group for group in self.usergroups if group.id == group_id), None)

    @property
    def url(self) -> str:
        return f"https://{self.team_domain}.slack.com/"


def example_workspace() -> Workspace:
    """A small reseller team for the demo and tests: two resellers, an approver, two channels, a group."""
    alice = SlackUserProfile("U0ALICE01", "alice", "Alice Martin", "alice@reseller.example")
    bob = SlackUserProfile("U0BOB0001", "bob", "Bob Durand", "bob@reseller.example")
    carol = SlackUserProfile("U0CAROL01", "carol", "Carol Petit", "carol@reseller.example")
    return Workspace(
        users=[alice, bob, carol],
        channels=[
            SlackChannel("C0GENERAL", "general", [alice.id, bob.id, carol.id]),
            SlackChannel("C0APPROVE", "approvals", [carol.id], is_private=True),
            SlackChannel("C0RANDOM1", "random", [alice.id, bob.id], bot_is_member=False),
        ],
        usergroups=[SlackUserGroup("S0APPROVE", "approvers", (carol.id,))],
    )
