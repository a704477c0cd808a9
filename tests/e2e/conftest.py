"""The whole product on loopback: the bot's real HTTP server, the Rainbow sandbox, a fake Slack, a real store."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.app import Running, assemble
from bot.config import Settings
from bot.fakeslack import FakeSlack, SlackSender, SlackUser, example_workspace
from bot.sandbox import Sandbox
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.migrate import upgrade

SIGNING_SECRET = "e2e-signing-secret"


@dataclass
class World:
    running: Running
    sandbox: Sandbox
    slack: FakeSlack
    sender: SlackSender
    sessions: SessionFactory

    @property
    def alice(self) -> SlackUser:
        return self.sender.user("U0ALICE01")

    @property
    def bob(self) -> SlackUser:
        return self.sender.user("U0BOB0001")

    @property
    def carol(self) -> SlackUser:
        return self.sender.user("U0CAROL01")


def settings_for(sandbox: Sandbox, slack: FakeSlack, database_url: str, **overrides: object) -> Settings:
    c = sandbox.credentials
    values = {
        "slack_bot_token": slack.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "rainbow_host": sandbox.url,
        "rainbow_login": c.login,
        "rainbow_password": c.password,
        "rainbow_app_id": c.app_id,
        "rainbow_app_secret": c.app_secret,
        "approvals_channel": "C0APPROVE",
        "database_url": database_url,
        "host": "127.0.0.1",
        "port": 3000,
    }
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[arg-type]


@pytest.fixture
async def world(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[World]:
    overrides = getattr(request, "param", {}) or {}
    engine = make_engine(database_url)
    await upgrade(engine)
    async with Sandbox(seed_companies=0) as sandbox, FakeSlack(example_workspace()) as slack:
        settings = settings_for(sandbox, slack, database_url, **overrides)
        async with assemble(settings) as running:
            runner = web.AppRunner(running.web, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            async with SlackSender(slack, f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET) as sender:
                yield World(running, sandbox, slack, sender, make_session_factory(engine))
            await runner.cleanup()
    await engine.dispose()
