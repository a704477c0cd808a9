"""Rainbow calls and wall time of one steady requests.poll + status.sync cycle, at a given number of companies.

The bot is assembled in this process (its real services, store and Rainbow client) against a sandbox
seeded by standins.demo.scale; calls are counted at the sandbox. The sandbox answers in this process too, so
its own handling time is measured separately (a middleware) and reported beside the wall time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil
from pathlib import Path

from aiohttp import web

from bench.stage import SECRET
from bot.app import assemble
from bot.notifier import ChannelPacer
from bot.rainbow.core import PAGE_SIZE
from standins.demo.scale import change_some, seed_scale
from standins.demo.world import local_settings
from standins.rainbow import Sandbox
from standins.slack import FakeSlack
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade


@dataclass(frozen=True)
class Cycle:
    calls: int
    seconds: float
    sandbox_seconds: float


@dataclass(frozen=True)
class CycleFigures:
    companies: int
    tracked_waiting: int
    target_calls: int
    steady: Cycle
    changed: Cycle
    changed_companies: int


class SandboxClock:
    """Adds up the time the sandbox spends answering, so the bot's share of a cycle can be told apart."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            return await handler(request)
        finally:
            self.seconds += time.perf_counter() - started


async def measure(companies: int, workdir: Path, slack: FakeSlack, pending_requests: int = 500) -> CycleFigures:
    database_url = f"sqlite+aiosqlite:///{workdir / f'cycle-{companies}.db'}"
    engine = make_engine(database_url)
    await upgrade(engine)
    sessions = make_session_factory(engine)
    sandbox_clock = SandboxClock()
    sandbox = Sandbox()
    sandbox.app.middlewares.append(sandbox_clock.middleware)
    async with sandbox, AsyncExitStack() as stack:
        world = await seed_scale(sandbox, sessions, companies, pending_requests=pending_requests)
        running = await stack.enter_async_context(
            assemble(local_settings(sandbox, slack, database_url, slack_signing_secret=SECRET))
        )
        # Slack's one post per second per channel would dominate the changed cycle; it is Slack's, not ours
        running.runtime.notifier.pacer = ChannelPacer(0)
        jobs = running.scheduler.jobs

        async def cycle() -> Cycle:
            sandbox.reset_stats()
            sandbox_clock.seconds = 0.0
            started = time.perf_counter()
            await jobs["requests.poll"].run(datetime.now(UTC))
            await jobs["status.sync"].run(datetime.now(UTC))
            seconds = time.perf_counter() - started
            return Cycle(sum(sandbox.stats()["counts"].values()), seconds, sandbox_clock.seconds)

        await cycle()  # the first cycle after seeding
        steady = await cycle()
        joined = change_some(sandbox, world, 0.01)
        changed = await cycle()
    await engine.dispose()
    tracked = len(world.waiting) + len(world.requests)
    return CycleFigures(
        companies=companies,
        tracked_waiting=tracked,
        target_calls=ceil(tracked / PAGE_SIZE) + 3,
        steady=steady,
        changed=changed,
        changed_companies=len(joined),
    )
