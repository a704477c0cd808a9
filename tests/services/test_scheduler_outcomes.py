"""A self-claiming job with nothing due is counted as "not due", not as "done"."""

from datetime import UTC, datetime

from bot.scheduler import Job, Scheduler
from storage.engine import SessionFactory


async def test_a_self_claiming_job_that_was_not_due_is_not_reported_done(sessions: SessionFactory) -> None:
    ticks: list[tuple[str, str]] = []
    answers: list[object | None] = [None, "posted"]

    async def digest(_: datetime) -> object | None:
        return answers.pop(0)

    scheduler = Scheduler(
        sessions,
        [Job("digest", 60, digest, claims_own_periods=True)],
        owner="me",
        on_tick=lambda job, outcome: ticks.append((job, outcome)),
    )
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert await scheduler.tick("digest", now) is False
    assert await scheduler.tick("digest", now) is True
    assert ticks == [("digest", "not due"), ("digest", "done")]
