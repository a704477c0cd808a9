"""What an operator sees: Prometheus metrics and log lines tied to their Slack request or job."""

import json
import logging
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.logs import ContextFilter, JsonFormatter
from tests.e2e.conftest import World


async def scrape(world: World) -> str:
    base = world.events_url.removesuffix("/slack/events")
    async with aiohttp.ClientSession() as http, http.get(f"{base}/metrics") as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
        return await response.text()


async def test_metrics_count_commands_acks_rainbow_calls_polls_and_decisions(world: World) -> None:
    await world.alice.run_command("/rainbow help", channel="general")
    world.sandbox.file_link_request(company_name="Wayne")
    await world.running.scheduler.tick("requests.poll", datetime.now(UTC))
    request_ts = world.slack.messages("C0APPROVE")[-1].ts
    await world.carol.click("Accept", in_message=("C0APPROVE", request_ts))
    await world.slack.wait_until(lambda: any("You accepted" in e.text for e in world.slack.ephemerals("U0CAROL01")))
    text = await scrape(world)
    assert 'reseller_bot_slack_requests_total{kind="command",name="/rainbow"} 1.0' in text
    assert 'reseller_bot_slack_requests_total{kind="block_actions",name="request_accept"} 1.0' in text
    assert "reseller_bot_slack_ack_seconds_count 2.0" in text
    assert 'reseller_bot_rainbow_calls_total{operation="list_link_requests",outcome="ok"}' in text
    assert 'reseller_bot_rainbow_calls_total{operation="login",outcome="ok"}' in text
    assert "reseller_bot_pending_requests 1.0" in text
    assert 'reseller_bot_decisions_total{decision="accepted"} 1.0' in text
    assert 'reseller_bot_ticks_total{job="requests.poll",outcome="done"} 1.0' in text
    assert "reseller_bot_last_poll_timestamp_seconds" in text


async def test_each_log_line_carries_its_slack_request_or_job(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.INFO):
        await world.running.scheduler.tick("requests.poll", datetime(2026, 11, 29, 10, 0, 30, tzinfo=UTC))
    ticks = [r for r in caplog.records if r.name == "bot.scheduler"]
    assert ticks and ticks[-1].context_id == "job:requests.poll:2026-11-29T10:00:00Z"  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter().format(ticks[-1]))
    assert line["context_id"] == "job:requests.poll:2026-11-29T10:00:00Z" and line["level"] == "INFO"
