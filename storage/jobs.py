"""Exactly-once scheduled work: one ``job_run`` row per (job, period), held by a lease.

Every replica ticks; the first to insert the period's row runs it. A claim whose
owner died (lease expired while still ``running``) may be taken over by exactly
one other claimant, through a conditional UPDATE, unless the job is at-most-once.
A period that failed in a way proving nothing was done may be claimed again
(``retry_failed``), by one claimant only, through the same kind of UPDATE.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import col, select

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
    retry_failed: bool = False,
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
        if won:
            return True
        claimable = []
        if take_over_stale:
            claimable.append(and_(col(JobRun.status) == JobStatus.RUNNING, col(JobRun.lease_until) < now))
        if retry_failed:
            claimable.append(col(JobRun.status) == JobStatus.FAILED)
        if not claimable:
            return False
        result = await session.exec(
            update(JobRun)
            .where(col(JobRun.job) == job, col(JobRun.period) == period, or_(*claimable))
            .values(
                owner=owner,
                status=JobStatus.RUNNING,
                lease_until=now + lease,
                started_at=now,
                finished_at=None,
                result=None,
            )
        )
        return result.rowcount == 1


async def finish(
    sessions: SessionFactory,
    job: str,
    period: str,
    owner: str,
    *,
    failed: bool = False,
    status: JobStatus | None = None,
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
                status=status or (JobStatus.FAILED if failed else JobStatus.DONE),
                finished_at=utcnow(),
                result=result,
            )
        )
        return outcome.rowcount == 1


async def job_run(sessions: SessionFactory, job: str, period: str) -> JobRun | None:
    """The claim of ``period`` of ``job``, if there is one."""
    async with sessions() as session:
        return (await session.exec(select(JobRun).where(col(JobRun.job) == job, col(JobRun.period) == period))).first()
