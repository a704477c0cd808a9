"""Exactly-once job claims with leases, proven with concurrent claimants on the run's backend."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from storage.engine import SessionFactory
from storage.jobs import claim, finish
from storage.models import JobRun, utcnow
from storage.statuses import JobStatus


async def test_three_concurrent_claimers_of_one_period_run_it_once(sessions: SessionFactory) -> None:
    results = await asyncio.gather(*(claim(sessions, "poll", "2026-11-29T10:31:00Z", f"replica-{n}") for n in range(3)))

    assert results.count(True) == 1
    async with sessions() as session:
        rows = (await session.exec(select(JobRun))).all()
    assert len(rows) == 1 and rows[0].owner == f"replica-{results.index(True)}"


async def test_each_period_is_claimed_once_across_many_ticks(sessions: SessionFactory) -> None:
    periods = [f"2026-11-29T10:{minute:02d}:00Z" for minute in range(10)]
    results = await asyncio.gather(
        *(claim(sessions, "poll", period, f"replica-{n}") for period in periods for n in range(3))
    )
    assert results.count(True) == len(periods)


async def test_a_live_lease_is_not_taken_over(sessions: SessionFactory) -> None:
    assert await claim(sessions, "digest", "C1:2026-11-29", "a", lease=timedelta(minutes=5))
    assert not await claim(sessions, "digest", "C1:2026-11-29", "b")


async def test_a_stale_lease_is_taken_over_by_exactly_one_of_several_claimants(
    sessions: SessionFactory,
) -> None:
    started = utcnow() - timedelta(hours=1)
    assert await claim(sessions, "poll", "p1", "dead-replica", lease=timedelta(minutes=10), now=started)

    results = await asyncio.gather(*(claim(sessions, "poll", "p1", f"replica-{n}") for n in range(6)))

    assert results.count(True) == 1
    winner = f"replica-{results.index(True)}"
    assert not await finish(sessions, "poll", "p1", "dead-replica"), "the old owner lost its claim"
    assert await finish(sessions, "poll", "p1", winner, result="ok")
    async with sessions() as session:
        row = (await session.exec(select(JobRun))).one()
    assert (row.owner, row.status, row.result) == (winner, JobStatus.DONE, "ok")
    assert row.finished_at is not None and row.finished_at.tzinfo is not None


async def test_an_at_most_once_job_never_takes_over_a_stale_claim(sessions: SessionFactory) -> None:
    assert await claim(sessions, "digest", "d", "dead", lease=timedelta(seconds=1), now=utcnow() - timedelta(hours=1))
    assert not await claim(sessions, "digest", "d", "other", take_over_stale=False)


async def test_a_finished_period_is_never_run_again(sessions: SessionFactory) -> None:
    assert await claim(sessions, "poll", "p", "a", lease=timedelta(seconds=1), now=utcnow() - timedelta(hours=1))
    assert await finish(sessions, "poll", "p", "a", failed=True, result="Rainbow unreachable")
    assert not await claim(sessions, "poll", "p", "b")
