"""Everything the demo runs, started on 127.0.0.1 and stopped in reverse: nothing outside this machine."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlmodel import select

from bot.app import Running, assemble
from bot.config import Settings
from bot.scheduler import period_key
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, SlackSender, SlackUser, example_workspace
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import JobRun, utcnow

SIGNING_SECRET = "demo-signing-secret"
SEED_COMPANIES = 12
ALICE, CAROL = "U0ALICE01", "U0CAROL01"
GENERAL, APPROVALS = "C0GENERAL", "C0APPROVE"


class DemoSettings(Settings):
    """The bot's settings from what the demo passes only: no environment variable or `.env` can leak in
    (a real SLACK_APP_TOKEN or DATABASE_URL in the operator's shell must not reach the demo)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def local_settings(sandbox: Sandbox, slack: FakeSlack, database_url: str, **overrides: Any) -> Settings:
    """The bot wired to the local stand-ins (Slack, Rainbow) and ``database_url``; shared by the demo,
    the end-to-end tests and the benchmark. ``overrides`` are Settings fields."""
    c = sandbox.credentials
    values: dict[str, Any] = {
        "slack_bot_token": slack.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "rainbow_host": sandbox.url,
        "rainbow_login": c.login,
        "rainbow_password": c.password,
        "rainbow_app_id": c.app_id,
        "rainbow_app_secret": c.app_secret,
        "approvals_channel": APPROVALS,
        "database_url": database_url,
        "host": "127.0.0.1",
    }
    return DemoSettings(**{**values, **overrides})


async def serve_http(running: Running, stack: AsyncExitStack) -> str:
    """Serve the bot's web app on a free loopback port until ``stack`` closes; its Slack events URL."""
    runner = web.AppRunner(running.web, access_log=None)
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"


@dataclass
class DemoWorld:
    """The running bot (its real HTTP endpoint, store and scheduler jobs), the Rainbow sandbox and Slack.

    The scheduler is not started: the demo fires its ticks itself, each in the next period, so every
    "next status sync" happens when the story needs it rather than a minute later.
    """

    sandbox: Sandbox
    slack: FakeSlack
    running: Running
    sender: SlackSender
    sessions: SessionFactory
    _clock: datetime = field(default_factory=utcnow)
    _users: dict[str, SlackUser] = field(default_factory=dict)

    def user(self, user_id: str) -> SlackUser:
        """One person object per user, so what Slack offered them in a select is remembered."""
        if user_id not in self._users:
            self._users[user_id] = self.sender.user(user_id)
        return self._users[user_id]

    @property
    def alice(self) -> SlackUser:
        return self.user(ALICE)

    @property
    def carol(self) -> SlackUser:
        return self.user(CAROL)

    async def tick(self, job: str) -> JobRun | None:
        """Run the scheduler's `job` for its next period, as the production scheduler would (claim, run,
        record); what it recorded in the store, or None when the period was not claimed."""
        every = self.running.scheduler.jobs[job].every_seconds
        self._clock += timedelta(seconds=every)
        if not await self.running.scheduler.tick(job, self._clock):
            return None
        period = period_key(self._clock, every)
        async with self.sessions() as session:
            return (await session.exec(select(JobRun).where(JobRun.job == job, JobRun.period == period))).one()


@asynccontextmanager
async def demo_world() -> AsyncIterator[DemoWorld]:
    """Start the sandbox, the Slack stand-in and the bot on a fresh temporary SQLite file; stop them all after."""
    async with AsyncExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="reseller-bot-demo-"))
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        engine = make_engine(database_url)
        stack.push_async_callback(engine.dispose)
        await upgrade(engine)
        sandbox = await stack.enter_async_context(Sandbox(seed_companies=SEED_COMPANIES))
        slack = await stack.enter_async_context(FakeSlack(example_workspace()))
        running = await stack.enter_async_context(assemble(local_settings(sandbox, slack, database_url)))
        events_url = await serve_http(running, stack)
        sender = await stack.enter_async_context(SlackSender(slack, events_url, SIGNING_SECRET))
        yield DemoWorld(sandbox, slack, running, sender, make_session_factory(engine))
