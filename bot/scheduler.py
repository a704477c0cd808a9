"""The periodic work, run by every replica and done once per period.

APScheduler 3 only fires ticks. Each tick first claims its wall-clock period in
``job_run`` (unique key + lease), so with one process or five the period runs
once. A failing tick is recorded (the digest shows it) and never stops the others.
"""

import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.logs import context_id
from storage.engine import SessionFactory
from storage.jobs import claim, finish
from storage.models import utcnow

logger = logging.getLogger(__name__)
RESULT_MAX = 500


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[datetime], Awaitable[object]]
    claims_own_periods: bool = False  # the digest claims its local date itself


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
    ) -> None:
        self._sessions = sessions
        self.jobs = {job.name: job for job in jobs}
        self.owner = owner or default_owner()
        self._on_tick = on_tick or (lambda _job, _outcome: None)
        self._scheduler: AsyncIOScheduler | None = None

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

    async def tick(self, name: str, now: datetime | None = None) -> bool:
        """Run ``name`` for the period containing ``now`` if this replica claims it; True if it ran."""
        job = self.jobs[name]
        now = now or utcnow()
        token = context_id.set(f"job:{name}")
        try:
            ran, outcome = await self._run(job, now)
        finally:
            context_id.reset(token)
        self._on_tick(name, outcome)
        return ran

    async def _run(self, job: Job, now: datetime) -> tuple[bool, str]:
        name = job.name
        if job.claims_own_periods:
            try:
                outcome = await job.run(now)
            except Exception:
                logger.exception("tick %s failed", name)
                return False, "failed"
            logger.debug("tick %s: %s", name, outcome)
            return True, "done"
        period = period_key(now, job.every_seconds)
        context_id.set(f"job:{name}:{period}")
        lease = timedelta(seconds=max(120, 5 * job.every_seconds))
        if not await claim(self._sessions, name, period, self.owner, lease=lease, now=now):
            return False, "claimed elsewhere"
        try:
            outcome = await job.run(now)
        except Exception as error:  # recorded for the digest; the next period tries again
            logger.exception("tick %s %s failed", name, period)
            await finish(self._sessions, name, period, self.owner, failed=True, result=_describe(error))
            return True, "failed"
        await finish(self._sessions, name, period, self.owner, result=str(outcome)[:RESULT_MAX])
        logger.info("tick %s %s: %s", name, period, outcome)
        return True, "done"


def _describe(error: Exception) -> str:
    """What the digest shows of a failed tick: our own errors' words, only the type for database errors
    (their text carries SQL parameters: customer e-mails and messages)."""
    if isinstance(error, SQLAlchemyError):
        return f"database error ({type(error).__name__})"
    return f"{type(error).__name__}: {error}"[:RESULT_MAX]
