"""Bookkeeping rows go after their documented retention; running ticks, failed flows and the audit trail stay."""

from datetime import timedelta

from sqlmodel import select

from storage import retention
from storage.audit import record
from storage.engine import SessionFactory
from storage.jobs import claim, finish
from storage.models import AuditEvent, Flow, JobRun, utcnow
from storage.retention import FLOW_RETENTION, JOB_RUN_RETENTION, prune
from storage.statuses import FlowStatus


async def test_finished_ticks_older_than_the_retention_are_pruned_and_running_ones_kept(
    sessions: SessionFactory,
) -> None:
    now = utcnow()
    old = now - JOB_RUN_RETENTION - timedelta(hours=1)
    recent = now - JOB_RUN_RETENTION + timedelta(hours=1)
    for period, started, state in (
        ("old-done", old, "done"),
        ("old-failed", old, "failed"),
        ("old-running", old, "running"),
        ("recent-done", recent, "done"),
    ):
        assert await claim(sessions, "status.sync", period, "replica", now=started)
        if state != "running":
            await finish(sessions, "status.sync", period, "replica", failed=state == "failed")

    pruned = await prune(sessions, now)

    async with sessions() as session:
        left = sorted(row.period for row in (await session.exec(select(JobRun))).all())
    assert pruned.job_runs == 2 and left == ["old-running", "recent-done"]
    assert (await prune(sessions, now)).job_runs == 0


async def test_old_finished_and_abandoned_flows_go_failed_ones_and_the_audit_trail_stay(
    sessions: SessionFactory,
) -> None:
    now = utcnow()
    old = now - FLOW_RETENTION - timedelta(minutes=1)
    async with sessions() as session, session.begin():
        for view, status, updated in (
            ("V-done", FlowStatus.DONE, old),
            ("V-abandoned", FlowStatus.COLLECTING, old),
            ("V-failed", FlowStatus.FAILED, old),
            ("V-fresh", FlowStatus.DONE, now),
        ):
            session.add(Flow(view_id=view, user_id="U0ALICE01", status=status, updated_at=updated, created_at=old))
        record(session, actor="U0ALICE01", action="create", target_type="association", target_id="1")
    async with sessions() as session, session.begin():
        event = (await session.exec(select(AuditEvent))).one()
        event.at = old
        session.add(event)

    pruned = await prune(sessions, now)

    async with sessions() as session:
        views = sorted(flow.view_id for flow in (await session.exec(select(Flow))).all())
        events = (await session.exec(select(AuditEvent))).all()
    assert pruned.flows == 2 and views == ["V-failed", "V-fresh"] and len(events) == 1


async def test_a_large_backlog_is_deleted_in_batches(sessions: SessionFactory, monkeypatch) -> None:
    monkeypatch.setattr(retention, "BATCH", 7)
    old = utcnow() - JOB_RUN_RETENTION - timedelta(days=1)
    for number in range(20):
        assert await claim(sessions, "requests.poll", f"p{number}", "replica", now=old)
        await finish(sessions, "requests.poll", f"p{number}", "replica")
    assert (await prune(sessions)).job_runs == 20
