"""Pruning of bookkeeping rows, so the tables the digest and the scheduler read stay small.

Retention (documented in the README's operations section):
- ``job_run``: a finished tick (done or failed) is kept ``JOB_RUN_RETENTION`` (30 days), long enough
  for any digest (which reads the ticks since the previous one) and for an operator to look back;
  a tick still running is never deleted (its lease is what keeps two replicas apart).
- ``flow``: a finished modal flow, or one abandoned while collecting, is kept ``FLOW_RETENTION``
  (30 days; Slack's views and trigger ids are long dead by then, so no double submit can arrive).
  A failed flow is kept: it holds what a person submitted, awaiting a retry.
- ``audit_event`` is the audit trail, not bookkeeping: it is never pruned here.

Each prune is one DELETE per table in batches of ``BATCH`` rows through an index, so it never holds
a long lock on PostgreSQL nor a long write transaction on SQLite.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col, delete, select

from storage.engine import SessionFactory
from storage.models import Flow, JobRun, utcnow
from storage.statuses import FlowStatus, JobStatus

JOB_RUN_RETENTION = timedelta(days=30)
FLOW_RETENTION = timedelta(days=30)
BATCH = 5000


@dataclass(frozen=True)
class Pruned:
    job_runs: int
    flows: int

    def __str__(self) -> str:
        return f"pruned {self.job_runs} job run(s) and {self.flows} flow(s)"


async def prune(
    sessions: SessionFactory,
    now: datetime | None = None,
    *,
    job_runs_after: timedelta = JOB_RUN_RETENTION,
    flows_after: timedelta = FLOW_RETENTION,
) -> Pruned:
    """Delete bookkeeping rows older than their retention; returns how many went."""
    now = now or utcnow()
    job_runs = await _in_batches(
        sessions,
        JobRun,
        col(JobRun.status).in_([JobStatus.DONE, JobStatus.FAILED]),
        col(JobRun.started_at) < now - job_runs_after,
    )
    flows = await _in_batches(
        sessions,
        Flow,
        col(Flow.status).in_([FlowStatus.DONE, FlowStatus.COLLECTING]),
        col(Flow.updated_at) < now - flows_after,
    )
    return Pruned(job_runs=job_runs, flows=flows)


async def _in_batches(
    sessions: SessionFactory, model: type[JobRun] | type[Flow], *conditions: ColumnElement[bool]
) -> int:
    removed = 0
    while True:
        async with sessions() as session, session.begin():
            batch = select(model.id).where(*conditions).limit(BATCH)
            result = await session.exec(delete(model).where(col(model.id).in_(batch)))
            removed += result.rowcount
        if result.rowcount < BATCH:
            return removed
