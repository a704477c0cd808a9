"""Expected outages are said when they start, at most every few minutes while they last, and when they end."""

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.outages import Outage
from bot.rainbow import RainbowUnavailable
from bot.scheduler import Job, Scheduler
from storage.engine import SessionFactory

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def said(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == name]


def test_an_outage_is_one_line_at_start_one_every_five_minutes_and_one_at_the_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    outage = Outage("Rainbow unavailable", "polls are retried every 60 seconds", clock=clock, wall_clock=lambda: START)
    for _ in range(5):  # four minutes of failures every minute
        outage.failed("connection refused")
        clock.now += 60
    assert outage.problem == "Rainbow unavailable since 2026-12-01 09:00:00 UTC (connection refused)"
    outage.failed("connection refused")  # five minutes after the first line
    clock.now += 120
    outage.ended()
    outage.ended()  # said once only
    assert outage.problem is None
    assert said(caplog, "bot.outages") == [
        "WARNING Rainbow unavailable since 2026-12-01 09:00:00 UTC (connection refused):"
        " polls are retried every 60 seconds",
        "WARNING Rainbow unavailable still, since 2026-12-01 09:00:00 UTC (connection refused; 5 minutes,"
        " 6 failed attempts): polls are retried every 60 seconds",
        "WARNING Rainbow unavailable: back to normal after 7 minutes (since 2026-12-01 09:00:00 UTC,"
        " 6 failed attempts)",
    ]


async def test_scheduled_ticks_with_rainbow_down_log_no_traceback_and_say_when_it_is_back(
    sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    down = True

    async def poll(_: datetime) -> str:
        if down:
            raise RainbowUnavailable(error_msg="Connect call failed", operation="requests.list", method="GET")
        return "0 new, 0 pending"

    clock = Clock()
    scheduler = Scheduler(sessions, [Job("requests.poll", 60, poll)], owner="me", clock=clock)
    for minute in range(3):
        assert await scheduler.tick("requests.poll", START + timedelta(minutes=minute))
        clock.now += 60
    down = False
    for minute in range(3, 5):
        assert await scheduler.tick("requests.poll", START + timedelta(minutes=minute))
        clock.now += 60

    lines = said(caplog, "bot.scheduler")
    assert len(lines) == 3, lines
    assert lines[0].startswith("WARNING Rainbow unavailable since ")
    assert lines[0].endswith(
        " (requests.poll: Rainbow could not be reached (Connect call failed).): each scheduled job is retried"
        " at its next tick (every 60 seconds)"
    )
    assert lines[1].startswith("WARNING Rainbow unavailable: back to normal after 3 minutes (since ")
    assert lines[1].endswith(", 3 failed attempts)")
    assert lines[2] == "INFO tick requests.poll: 0 new, 0 pending", "the same outcome again is DEBUG only"
    assert not any(record.exc_info for record in caplog.records)
