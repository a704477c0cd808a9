"""The whole product on loopback: the bot's real HTTP server, the Rainbow sandbox, a fake Slack, a real store."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.app import Running, assemble
from bot.config import Settings
from standins.demo.world import local_settings, serve_http
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, SlackSender, SlackUser, StoredView, example_workspace
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.migrate import upgrade

SIGNING_SECRET = "e2e-signing-secret"
ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"


def settings_for(sandbox: Sandbox, slack: FakeSlack, database_url: str, **overrides: Any) -> Settings:
    """The bot wired to the sandbox and the Slack stand-in; no environment variable leaks in."""
    return local_settings(sandbox, slack, database_url, **{"slack_signing_secret": SIGNING_SECRET, **overrides})


@dataclass
class World:
    """One running bot plus everything around it; ``restart`` replaces the bot process, keeping the rest."""

    sandbox: Sandbox
    slack: FakeSlack
    sessions: SessionFactory
    settings: Settings
    running: Running | None = None
    sender: SlackSender = field(init=False)
    events_url: str = ""
    _app: AsyncExitStack = field(default_factory=AsyncExitStack)
    _users: dict[str, SlackUser] = field(default_factory=dict)

    async def start(self) -> None:
        self._app, self._users = AsyncExitStack(), {}
        self.running = await self._app.enter_async_context(assemble(self.settings))
        self.events_url = await serve_http(self.running, self._app)
        self.sender = await self._app.enter_async_context(SlackSender(self.slack, self.events_url, SIGNING_SECRET))

    async def stop(self) -> None:
        await self._app.aclose()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(self, user_id: str) -> SlackUser:
        """The same person object until a restart, so what Slack offered them in selects is remembered."""
        if user_id not in self._users:
            self._users[user_id] = self.sender.user(user_id)
        return self._users[user_id]

    @property
    def alice(self) -> SlackUser:
        return self.user(ALICE)

    @property
    def bob(self) -> SlackUser:
        return self.user(BOB)

    @property
    def carol(self) -> SlackUser:
        return self.user(CAROL)

    async def modal_of(self, user_id: str) -> StoredView:
        """The modal on top of this person's stack, once the bot has opened it (it does so after its ack):
        after a command, the one opened with that command's trigger_id."""
        trigger = self.user(user_id).last_command_trigger
        triggers = self.slack.state.views.triggers
        await self.slack.wait_until(
            lambda: bool(self.slack.open_views(user_id)) and (trigger is None or triggers[trigger].used),
            what=f"a modal for {user_id}",
        )
        return self.slack.top_view(user_id)

    async def view_becomes(self, view_id: str, callback_id: str) -> StoredView:
        await self.slack.wait_until(
            lambda: self.slack.view(view_id).view.get("callback_id") == callback_id, what=f"view {callback_id}"
        )
        return self.slack.view(view_id)


@pytest.fixture
async def world(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[World]:
    """Parametrize indirectly with a dict of Settings overrides to change the configuration."""
    overrides = getattr(request, "param", None) or {}
    engine = make_engine(database_url)
    await upgrade(engine)
    async with Sandbox(seed_companies=0) as sandbox, FakeSlack(example_workspace()) as slack:
        world = World(
            sandbox, slack, make_session_factory(engine), settings_for(sandbox, slack, database_url, **overrides)
        )
        await world.start()
        try:
            yield world
        finally:
            await world.stop()
        assert slack.undocumented == [], "the stand-in answered errors Slack does not document"
    await engine.dispose()
