"""``reseller-bot run``: a real server process, ready only when the database, Rainbow and Slack are."""

import hashlib
import hmac
import json
import socket
import time
from pathlib import Path

import aiohttp
import pytest

from standins.rainbow import Sandbox
from standins.slack import FakeSlack
from storage.migrate import head_revision
from tests.cli.support import (
    LOGIN_ROUTE,
    ON_POSTGRES,
    SIGNING_SECRET,
    assert_no_secrets,
    bot_environment,
    free_port,
    reseller_bot,
    service,
    with_database_password,
)

ALL_READY = {"ready": True, "checks": {"database": "ok", "rainbow": "ok", "slack": "ok"}}


def signed(body: bytes, secret: str) -> dict[str, str]:
    """Slack's v0 signature headers for ``body`` signed with ``secret`` now."""
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


async def post_event(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers={"Content-Type": "application/json", **headers}) as response,
    ):
        return response.status, await response.text()


async def test_serves_health_and_readiness_checks_signatures_and_stops_on_sigterm(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    port = free_port()
    database = tmp_path / "bot.db"
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{database}", HOST="127.0.0.1", PORT=str(port))
    base = f"http://127.0.0.1:{port}"
    async with service("run", env=env, cwd=tmp_path) as bot:
        assert json.loads(await bot.wait_until_ok(f"{base}/healthz")) == {"status": "alive"}
        assert json.loads(await bot.wait_until_ok(f"{base}/readyz")) == ALL_READY

        challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()
        forged = await post_event(f"{base}/slack/events", challenge, signed(challenge, "not-the-secret"))
        unsigned = await post_event(f"{base}/slack/events", challenge, {})
        genuine = await post_event(f"{base}/slack/events", challenge, signed(challenge, SIGNING_SECRET))
        assert forged[0] == 401 and unsigned[0] == 401
        assert genuine[0] == 200 and "c-123" in genuine[1]

        assert await bot.stop() == 0
    assert sandbox.stats()["counts"].get(LOGIN_ROUTE, 0) >= 1
    assert [call.ok for call in slack.calls_to("auth.test")] == [True]
    assert database.exists(), "a SQLite file is created and migrated at start"
    assert "Traceback" not in bot.output
    assert_no_secrets(bot.output, env)


async def test_run_sandbox_needs_no_rainbow_credentials_and_gets_ready(tmp_path: Path, slack: FakeSlack) -> None:
    port = free_port()
    env = bot_environment(None, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", HOST="127.0.0.1", PORT=str(port))
    async with service("run", "--sandbox", env=env, cwd=tmp_path) as bot:
        assert json.loads(await bot.wait_until_ok(f"http://127.0.0.1:{port}/readyz")) == ALL_READY
        assert await bot.stop() == 0
    assert "Rainbow: embedded sandbox at http://127.0.0.1:" in bot.output
    assert "Traceback" not in bot.output
    assert_no_secrets(bot.output, env)


@pytest.mark.skipif(not ON_POSTGRES, reason="only a PostgreSQL database must be migrated before start")
async def test_refuses_to_start_on_an_unmigrated_postgresql_database(
    tmp_path: Path, slack: FakeSlack, database_url: str
) -> None:
    url = with_database_password(database_url)
    env = bot_environment(None, slack, url, RAINBOW_HOST="embedded", HOST="127.0.0.1", PORT=str(free_port()))
    result = await reseller_bot("run", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"DATABASE_URL: the database schema is at revision none, the code needs {head_revision()}:"
        " run `reseller-bot migrate` once before starting the replicas"
    )
    assert "Traceback" not in result.output
    assert_no_secrets(result.output, env)


async def test_a_busy_port_or_unreachable_slack_is_said_in_one_line(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_environment(
            sandbox, slack, f"sqlite+aiosqlite:///{tmp_path}/bot.db", HOST="127.0.0.1", PORT=str(port)
        )
        result = await reseller_bot("run", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.output.strip().splitlines()[-1].startswith(f"HOST/PORT: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.output


async def test_socket_mode_with_slack_unreachable_says_it_once_and_keeps_serving_health(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    port, unreachable = free_port(), f"http://127.0.0.1:{free_port()}/api/"
    env = bot_environment(
        sandbox,
        slack,
        f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_SIGNING_SECRET="",
        SLACK_API_URL=unreachable,
        HOST="127.0.0.1",
        PORT=str(port),
    )
    async with service("run", env=env, cwd=tmp_path) as bot:
        line = await bot.wait_for_stderr(f"Slack cannot be reached at {unreachable} since ")
        assert json.loads(await bot.wait_until_ok(f"http://127.0.0.1:{port}/healthz")) == {"status": "alive"}
        assert await bot.stop() == 0
    assert line.endswith(
        "): Socket Mode connects as soon as it can (retried with back-off up to 5 minutes); /healthz, /readyz and"
        " the scheduler keep running"
    )
    assert "ClientConnectorError" in line
    said = [m for m in bot.logged_by("bot.server") if m.startswith("WARNING")]
    assert said == ["WARNING " + line.split("]: ", 1)[1]], "one line, not one per retry"
    assert "Traceback" not in bot.output
    assert_no_secrets(bot.output, env)


async def test_socket_mode_connects_once_slack_answers_again(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    port = free_port()
    slack.http_error_next("apps.connections.open", times=2, status=503)
    env = bot_environment(
        sandbox,
        slack,
        f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_SIGNING_SECRET="",
        HOST="127.0.0.1",
        PORT=str(port),
    )
    async with service("run", env=env, cwd=tmp_path) as bot:
        await bot.wait_for_stderr("connected to Slack in Socket Mode")
        assert await bot.stop() == 0
    said = bot.logged_by("bot.server")
    assert said[0].startswith(f"WARNING Slack cannot be reached at {slack.api_url} since ")
    assert " (HTTP 503): Socket Mode connects as soon as it can" in said[0]
    assert said[1].startswith(f"WARNING Slack cannot be reached at {slack.api_url}: reachable again after ")
    assert said[1].endswith(", 2 failed attempts)")
    assert said[2:] == [f"INFO connected to Slack in Socket Mode; health on http://127.0.0.1:{port}", "INFO stopping"]
    assert "Traceback" not in bot.output


async def test_rainbow_unreachable_is_one_line_when_it_starts_and_one_when_it_ends(
    tmp_path: Path, slack: FakeSlack
) -> None:
    rainbow_port, port = free_port(), free_port()
    rainbow = Sandbox(seed_companies=0, account_roles=None)
    env = bot_environment(
        None,
        slack,
        f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        **rainbow.credentials.environment(f"http://127.0.0.1:{rainbow_port}"),
        POLL_INTERVAL_SECONDS="10",
        HOST="127.0.0.1",
        PORT=str(port),
    )
    async with service("run", env=env, cwd=tmp_path) as bot:
        await bot.wait_for_stderr("WARNING bot.scheduler")
        await rainbow.start(port=rainbow_port)
        try:
            await bot.wait_for_stderr("Rainbow unavailable: back to normal after", within=60)
            assert await bot.stop() == 0
        finally:
            await rainbow.stop()
    warnings = [m for m in bot.logged_by("bot.scheduler") if m.startswith("WARNING")]
    assert len(warnings) == 2, bot.output
    assert warnings[0].startswith("WARNING Rainbow unavailable since ")
    assert warnings[0].endswith("each scheduled job is retried at its next tick (every 10 seconds)")
    assert warnings[1].startswith("WARNING Rainbow unavailable: back to normal after ")
    assert "Traceback" not in bot.output
    assert_no_secrets(bot.output, env)
