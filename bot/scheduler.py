"""The periodic work, run by every replica and done once per period.

APScheduler 3 only fires ticks. Each tick first claims its wall-clock period in
``job_run`` (unique key + lease), so with one process or five the period runs
once. A failing tick is recorded (the digest shows it) and never stops the others.
An expected outage (Rainbow or Slack unreachable) is said in one line when it starts, every few
minutes while it lasts and once when it ends (``bot.outages``); a traceback means a bug. A tick
that did what the previous one did is logged at DEBUG only.
"""

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.logs import context_id
from bot.notifier import NotifierError
from bot.outages import Outage
from bot.rainbow import RainbowRateLimited, RainbowServerError, RainbowUnavailable
from storage.engine import SessionFactory
from storage.jobs import claim, finish
from storage.models import utcnow

logger = logging.getLogger(__name__)
RESULT_MAX = 500
STOP_GRACE_SECONDS = 10.0
RAINBOW_OUTAGES = (RainbowUnavailable, RainbowServerError, RainbowRateLimited)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[datetime], Awaitable[object | None]]
    claims_own_periods: bool = False  # the digest claims its local date itself; None from run: not due


def period_key(now: datetime, every_seconds: int) -> str:
    """The wall-clock bucket ``now`` falls in: the same on every replica, whenever each one ticks."""
    start = int(now.timestamp()) // every_seconds * every_seconds
    return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Scheduler:
    def __init__(
        self,
        sessions: SessionFactory,
        jobs: list[Job],
        owner: str | None = None,
        on_tick: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self.jobs = {job.name: job for job in jobs}
        self.owner = owner or default_owner()
        self._on_tick = on_tick or (lambda _job, _outcome: None)
        self._scheduler: AsyncIOScheduler | None = None
        self._clock = clock
        self._running: set[asyncio.Task[object]] = set()
        self._outages: dict[str, Outage] = {}
        self._failing: dict[str, set[str]] = {}  # per service, the jobs whose last tick it failed
        self._last_outcome: dict[str, str] = {}

    def start(self) -> None:
        scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
        )
        for job in self.jobs.values():
            scheduler.add_job(
                self.tick,
                IntervalTrigger(seconds=job.every_seconds, timezone=UTC),
                args=[job.name],
                id=job.name,
                next_run_time=datetime.now(UTC) + timedelta(seconds=2),
            )
        scheduler.start()
        self._scheduler = scheduler
        logger.info("scheduler %s started: %s", self.owner, ", ".join(self.jobs))

    def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    async def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """No new ticks; the ticks under way may finish their work (and its database writes) for
        ``grace_seconds``, then are cancelled."""
        self.shutdown()
        running = {task for task in self._running if not task.done()}
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=grace_seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def tick(self, name: str, now: datetime | None = None) -> bool:
        """Run ``name`` for the period containing ``now`` if this replica claims it; True if it ran."""
        job = self.jobs[name]
        now = now or utcnow()
        token = context_id.set(f"job:{name}")
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            ran, outcome = await self._run(job, now)
        except asyncio.CancelledError:  # stop() gave up waiting: one line, not APScheduler's traceback
            logger.info("tick %s interrupted: the process is stopping", name)
            return False
        finally:
            context_id.reset(token)
            if task is not None:
                self._running.discard(task)
        self._on_tick(name, outcome)
        return ran

    async def _run(self, job: Job, now: datetime) -> tuple[bool, str]:
        name = job.name
        if job.claims_own_periods:
            try:
                outcome = await job.run(now)
            except Exception as error:
                self._failed(job, error)
                return False, "failed"
            if outcome is None:
                return False, "not due"
            self._succeeded(job, outcome, level=logging.DEBUG)
            return True, "done"
        period = period_key(now, job.every_seconds)
        context_id.set(f"job:{name}:{period}")
        lease = timedelta(seconds=max(120, 5 * job.every_seconds))
        if not await claim(self._sessions, name, period, self.owner, lease=lease, now=now):
            return False, "claimed elsewhere"
        try:
            outcome = await job.run(now)
        except Exception as error:  # recorded for the digest; the next period tries again
            self._failed(job, error)
            await finish(self._sessions, name, period, self.owner, failed=True, result=_describe(error))
            return True, "failed"
        await finish(self._sessions, name, period, self.owner, result=str(outcome)[:RESULT_MAX])
        self._succeeded(job, outcome, level=logging.INFO)
        return True, "done"

    def _failed(self, job: Job, error: Exception) -> None:
        """An expected outage is one line now and then; anything else is a bug, with its traceback."""
        service = _unreachable_service(error)
        self._last_outcome.pop(job.name, None)
        if service is None:
            logger.exception("tick %s failed", job.name)
            return
        outage = self._outages.setdefault(
            service,
            Outage(
                what=f"{service} unavailable",
                meanwhile=f"each scheduled job is retried at its next tick (every {_seconds(job.every_seconds)})",
                log=logger,
                clock=self._clock,
            ),
        )
        self._failing.setdefault(service, set()).add(job.name)
        outage.failed(f"{job.name}: {error}")
        logger.debug("tick %s failed: %r", job.name, error)

    def _succeeded(self, job: Job, outcome: object, *, level: int) -> None:
        for service, jobs in self._failing.items():
            if job.name in jobs:
                jobs.discard(job.name)
                if not jobs:
                    self._outages[service].ended()
        said = str(outcome)
        repeated = self._last_outcome.get(job.name) == said
        self._last_outcome[job.name] = said
        logger.log(logging.DEBUG if repeated else level, "tick %s: %s", job.name, said)


def _unreachable_service(error: Exception) -> str | None:
    """Which service an expected outage error is about (None: not an outage, a bug)."""
    if isinstance(error, RAINBOW_OUTAGES):
        return "Rainbow"
    if isinstance(error, NotifierError):
        return "Slack"
    return None


def _seconds(seconds: int) -> str:
    return "second" if seconds == 1 else f"{seconds} seconds"


def _describe(error: Exception) -> str:
    """What the digest shows of a failed tick: our own errors' words, only the type for database errors
    (their text carries SQL parameters: customer e-mails and messages)."""
    if isinstance(error, SQLAlchemyError):
        return f"database error ({type(error).__name__})"
    return f"{type(error).__name__}: {error}"[:RESULT_MAX]
