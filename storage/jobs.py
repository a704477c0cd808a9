"""Exactly-once scheduled work: one ``job_run`` row per (job, period), held by a lease.

Every replica ticks; the first to insert the period's row runs it. A claim whose
owner died (lease expired while still ``running``) may be taken over by exactly
one other claimant, through a conditional UPDATE, unless the job is at-most-once.
"""

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col

from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import JobRun, utcnow
from storage.statuses import JobStatus

DEFAULT_LEASE = timedelta(minutes=10)


async def claim(
    sessions: SessionFactory,
    job: str,
    period: str,
    owner: str,
    *,
    lease: timedelta = DEFAULT_LEASE,
    take_over_stale: bool = True,
    now: datetime | None = None,
) -> bool:
    """Claim ``period`` of ``job`` for ``owner``; True means this caller must run it."""
    now = now or utcnow()
    async with sessions() as session, session.begin():
        won = await insert_if_absent(
            session,
            JobRun,
            {"job": job, "period": period, "owner": owner, "lease_until": now + lease, "started_at": now},
            unique=("job", "period"),
        )
        if won or not take_over_stale:
            return won
        result = await session.exec(
            update(JobRun)
            .where(
                col(JobRun.job) == job,
                col(JobRun.period) == period,
                col(JobRun.status) == JobStatus.RUNNING,
                col(JobRun.lease_until) < now,
            )
            .values(owner=owner, lease_until=now + lease, started_at=now)
        )
        return result.rowcount == 1


async def finish(
    sessions: SessionFactory,
    job: str,
    period: str,
    owner: str,
    *,
    failed: bool = False,
    result: str | None = None,
) -> bool:
    """Close the claim if ``owner`` still holds it; False means another claimant took it over."""
    async with sessions() as session, session.begin():
        outcome = await session.exec(
            update(JobRun)
            .where(
                col(JobRun.job) == job,
                col(JobRun.period) == period,
                col(JobRun.owner) == owner,
                col(JobRun.status) == JobStatus.RUNNING,
            )
            .values(
                status=JobStatus.FAILED if failed else JobStatus.DONE,
                finished_at=utcnow(),
                result=result,
            )
        )
        return outcome.rowcount == 1
