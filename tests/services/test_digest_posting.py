"""The scheduled digest: a refusal keeps the day open for the next tick; only a post without an answer may
count as posted. The operator is told once when it starts, in /readyz meanwhile, and once when it is posted."""

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.notifier import Notifier
from bot.services.digest import Digest, Posting
from bot.services.health import Health
from standins.slack import FakeSlack, example_workspace
from storage.engine import SessionFactory
from storage.jobs import job_run

DUE = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(example_workspace()) as fake:
        yield fake


@pytest.fixture
async def digest(slack: FakeSlack, sessions: SessionFactory) -> AsyncIterator[Digest]:
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=slack.token, base_url=slack.api_url, session=session)
        yield Digest(
            sessions,
            Notifier(client),
            channel="C0RANDOM1",
            zone=ZoneInfo("UTC"),
            at=time(9),
            stale_after=timedelta(days=7),
            rainbow_problem=lambda: None,
        )


async def test_a_refused_digest_is_retried_at_the_next_tick_and_posted_once_invited(
    digest: Digest, slack: FakeSlack, sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.services.digest")
    first = await digest.post_if_due("replica-a", DUE)
    second = await digest.post_if_due("replica-b", DUE + timedelta(minutes=1))
    assert (first.state, second.state) == (Posting.REFUSED, Posting.REFUSED)
    row = await job_run(sessions, "digest", "C0RANDOM1:2026-12-01")
    assert row is not None and (row.status, row.result) == ("failed", "not posted: not_in_channel")
    assert digest.outage.problem is not None and "not_in_channel" in digest.outage.problem

    channel = slack.workspace.channel("C0RANDOM1")
    assert channel is not None
    channel.bot_is_member = True
    third = await digest.post_if_due("replica-a", DUE + timedelta(minutes=2))
    later = await digest.post_if_due("replica-b", DUE + timedelta(minutes=3))
    assert (third.state, later.state) == (Posting.POSTED, Posting.ALREADY_POSTED)
    assert len(slack.messages("C0RANDOM1")) == 1
    assert digest.outage.problem is None

    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("the digest cannot be posted in C0RANDOM1 since ")
    assert lines[0].endswith(
        " (Slack answered not_in_channel: invite the bot to C0RANDOM1 (`/invite @rainbow-reseller`) or fix"
        " DIGEST_CHANNEL): retried every minute until it is posted"
    )
    assert lines[1].startswith("the digest cannot be posted in C0RANDOM1: the digest of 2026-12-01 is posted after ")


async def test_a_post_without_an_answer_is_never_retried_by_the_scheduler(
    digest: Digest, slack: FakeSlack, sessions: SessionFactory
) -> None:
    channel = slack.workspace.channel("C0RANDOM1")
    assert channel is not None
    channel.bot_is_member = True
    slack.http_error_next("chat.postMessage", status=503)
    first = await digest.post_if_due("replica-a", DUE)
    again = await digest.post_if_due("replica-b", DUE + timedelta(minutes=1))
    assert (first.state, again.state) == (Posting.POSSIBLY_POSTED, Posting.POSSIBLY_POSTED)
    assert str(again).startswith("the digest of 2026-12-01 may have been posted to C0RANDOM1")
    row = await job_run(sessions, "digest", "C0RANDOM1:2026-12-01")
    assert row is not None and (row.status, row.result) == ("unknown", "no answer: http_503")
    assert [call.method for call in slack.calls].count("chat.postMessage") == 1


async def test_readyz_shows_the_digest_problem_without_making_the_replica_unready(engine: AsyncEngine) -> None:
    health = Health(engine, slack_problem=None)
    health.observe_rainbow("login", "ok", 0.1)
    assert await health.report() == (True, {"database": "ok", "rainbow": "ok", "slack": "ok"})
    health.digest_problem = lambda: "the digest cannot be posted in C0RANDOM1 since 2026-12-01 09:00:30 UTC"
    ready, checks = await health.report()
    assert ready and checks["digest"] == "the digest cannot be posted in C0RANDOM1 since 2026-12-01 09:00:30 UTC"
