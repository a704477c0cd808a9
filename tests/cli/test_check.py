"""``reseller-bot check`` run as a process against a Rainbow sandbox and a fake Slack in this loop."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.services.digest import digest_period
from standins.rainbow import Sandbox
from standins.slack import FakeSlack
from storage.engine import make_engine, make_session_factory
from storage.jobs import claim, finish
from storage.migrate import head_revision
from storage.statuses import JobStatus
from tests.cli.support import (
    LOGIN_ROUTE,
    ON_POSTGRES,
    assert_no_secrets,
    bot_environment,
    free_port,
    migrate,
    reseller_bot,
    with_database_password,
)


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    """An empty database of this run's backend, already at the latest revision."""
    await migrate(database_url)
    return database_url


async def test_everything_right_prints_who_we_are_everywhere_and_exits_0(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    env = bot_environment(sandbox, slack, migrated_url)
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 0, result.output
    shown = make_url(migrated_url).render_as_string(hide_password=True)
    assert result.lines == [
        f"[ok  ] configuration: HTTP mode on 0.0.0.0:3000, Rainbow at {sandbox.url}, approvals in C0APPROVE",
        f"[ok  ] database {shown}: reachable, schema at the latest revision ({head_revision()})",
        f"[ok  ] Rainbow ({sandbox.url}): logged in as {sandbox.credentials.login};"
        f" reseller company Sandbox Reseller (BP) ({sandbox.bp_company_id}); roles: user, admin, bp_admin",
        "[ok  ] Slack: workspace Fake Reseller Team (https://fake-resellers.slack.com/),"
        " bot user @reseller-bot (U0FAKEBOT)",
        "[ok  ] Slack: the bot is a member of APPROVALS_CHANNEL C0APPROVE (#approvals)",
    ]
    assert result.stderr == ""
    assert sandbox.stats()["counts"].get(LOGIN_ROUTE) == 1
    assert [call.ok for call in slack.calls_to("auth.test")] == [True]
    assert_no_secrets(result.output, env)


async def test_wrong_rainbow_password_fails_once_and_says_whose_login_was_refused(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    env = bot_environment(sandbox, slack, migrated_url, RAINBOW_PASSWORD="Wrong-Passw0rd-never-printed")
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    assert result.lines[2] == (
        f"[FAIL] Rainbow refused the login for {sandbox.credentials.login}: wrong password or application"
        f" credentials ({sandbox.url}). Check RAINBOW_LOGIN, RAINBOW_PASSWORD, RAINBOW_APP_ID and"
        " RAINBOW_APP_SECRET; do not retry more than a few times (5 failures lock the account for an hour)"
    )
    assert result.lines_starting("[FAIL]") == [result.lines[2]]
    assert result.lines[0].startswith("[ok  ] configuration:") and result.lines[1].startswith("[ok  ] database")
    assert result.stderr == "", "no log line may leak around the [FAIL] line"
    assert sandbox.stats()["counts"].get(LOGIN_ROUTE) == 1, "check must not retry a refused login"
    assert any(line.startswith("[ok  ] Slack: workspace") for line in result.lines)
    assert_no_secrets(result.output, env)


async def test_account_without_bp_admin_is_a_warning_not_a_failure(
    tmp_path: Path, slack: FakeSlack, migrated_url: str
) -> None:
    async with Sandbox(account_roles=["user", "admin"]) as limited:
        env = bot_environment(limited, slack, migrated_url)
        result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 0, result.output
    assert result.lines_starting("[FAIL]") == []
    [rainbow] = [line for line in result.lines if line.startswith("[ok  ] Rainbow")]
    assert rainbow.endswith("roles: user, admin")
    [warning] = result.lines_starting("[warn]")
    assert "not bp_admin" in warning and "give it the bp_admin role" in warning
    assert_no_secrets(result.output, env)


async def test_wrong_slack_token_names_slack_bot_token_and_exits_1(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    env = bot_environment(sandbox, slack, migrated_url, SLACK_BOT_TOKEN="xoxb-wrong-token-never-printed")
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    assert (
        result.lines_starting("[FAIL]")
        == result.lines[3:]
        == [
            "[FAIL] Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token again from"
            " OAuth & Permissions, and reinstall the app if its scopes changed"
        ]
    )
    assert [call.error for call in slack.calls_to("auth.test")] == ["invalid_auth"]
    assert slack.calls_to("conversations.info") == [], "nothing more is asked with a refused token"
    assert_no_secrets(result.output, env)


async def test_each_unreachable_part_is_one_failure_line_saying_what_to_check(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    rainbow, slack_api = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}/api/"
    database = with_database_password(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/reseller")
    env = bot_environment(sandbox, slack, database, RAINBOW_HOST=rainbow, SLACK_API_URL=slack_api)
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    shown = make_url(database).render_as_string(hide_password=True)
    port = make_url(database).port
    assert result.lines[1:] == [
        f"[FAIL] database {shown}: cannot connect: Connect call failed ('127.0.0.1', {port}); check DATABASE_URL",
        f"[FAIL] Rainbow ({rainbow}) cannot be reached: check RAINBOW_HOST and the network (proxy, firewall)",
        f"[FAIL] the Slack API at {slack_api} cannot be reached: check SLACK_API_URL and the network (proxy, firewall)",
    ]
    assert result.lines[0].startswith("[ok  ] configuration:")
    assert result.stderr == ""
    assert sandbox.stats()["counts"] == {} and slack.calls == []
    assert_no_secrets(result.output, env)


async def test_embedded_rainbow_logs_in_to_the_built_in_sandbox(
    tmp_path: Path, slack: FakeSlack, migrated_url: str
) -> None:
    env = bot_environment(None, slack, migrated_url, RAINBOW_HOST="embedded")
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 0, result.output
    assert "Rainbow at the embedded sandbox" in result.lines[0]
    [rainbow] = [line for line in result.lines if line.startswith("[ok  ] Rainbow")]
    assert rainbow.startswith("[ok  ] Rainbow (the embedded sandbox at http://127.0.0.1:")
    assert rainbow.count("(") == rainbow.count(")") and "((" not in rainbow and "))" not in rainbow
    assert "reseller company Sandbox Reseller (BP)" in rainbow and "bp_admin" in rainbow
    assert_no_secrets(result.output, env)


@pytest.mark.skipif(not ON_POSTGRES, reason="a SQLite file is migrated at start; only PostgreSQL must be migrated")
async def test_unmigrated_postgresql_asks_for_reseller_bot_migrate_without_showing_its_password(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, database_url: str
) -> None:
    url = with_database_password(database_url)
    env = bot_environment(sandbox, slack, url)
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    [failure] = result.lines_starting("[FAIL]")
    shown = make_url(url).render_as_string(hide_password=True)
    assert failure.startswith(f"[FAIL] database {shown}: schema at none")
    assert failure.endswith("run `reseller-bot migrate`")
    assert_no_secrets(result.output, env)


async def test_a_fresh_sqlite_file_is_fine_because_start_creates_it(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    database = tmp_path / "fresh.db"
    env = bot_environment(sandbox, slack, f"sqlite+aiosqlite:///{database}")
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 0, result.output
    assert "does not exist yet; it is created and migrated at start" in result.lines[1]
    assert not database.exists(), "check must not create the database"


async def test_a_sqlite_file_in_a_missing_directory_is_a_failure(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/no-such-directory/bot.db"
    env = bot_environment(sandbox, slack, url)
    result = await reseller_bot("check", env=env, cwd=tmp_path)

    assert result.returncode == 1, result.output
    assert result.lines_starting("[FAIL]") == [
        f"[FAIL] database {url}: cannot create a file in {tmp_path}/no-such-directory: No such file or directory;"
        " check DATABASE_URL"
    ]


async def test_a_sqlite_file_on_a_read_only_filesystem_is_a_failure(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack
) -> None:
    """/proc refuses new files even to root, whose permission bits say "writable"."""
    url = "sqlite+aiosqlite:////proc/reseller-bot.db"
    result = await reseller_bot("check", env=bot_environment(sandbox, slack, url), cwd=tmp_path)

    assert result.returncode == 1, result.output
    [failure] = result.lines_starting("[FAIL]")
    assert failure.startswith(f"[FAIL] database {url}: cannot create a file in /proc: ")
    assert failure.endswith("; check DATABASE_URL")
    assert result.lines[1] == failure


async def test_socket_mode_checks_the_app_token_too(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    good = bot_environment(sandbox, slack, migrated_url, SLACK_APP_TOKEN=slack.app_token, SLACK_SIGNING_SECRET="")
    result = await reseller_bot("check", env=good, cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert result.lines[0].startswith("[ok  ] configuration: Socket Mode")
    assert result.lines[-1] == "[ok  ] Slack: SLACK_APP_TOKEN can open a Socket Mode connection"

    revoked = {**good, "SLACK_APP_TOKEN": "xapp-1-revoked-never-printed"}
    result = await reseller_bot("check", env=revoked, cwd=tmp_path)
    assert result.returncode == 1, result.output
    [failure] = result.lines_starting("[FAIL]")
    assert failure.startswith("[FAIL] Slack refused SLACK_APP_TOKEN (invalid_auth)")
    assert_no_secrets(result.output, revoked)


async def test_the_bot_must_be_a_member_of_the_approvals_and_digest_channels(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    env = bot_environment(sandbox, slack, migrated_url, DIGEST_CHANNEL="C0RANDOM1")
    result = await reseller_bot("check", env=env, cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert result.lines[4:] == [
        "[ok  ] Slack: the bot is a member of APPROVALS_CHANNEL C0APPROVE (#approvals)",
        "[FAIL] Slack: the bot is not a member of DIGEST_CHANNEL C0RANDOM1 (#random): invite the bot there"
        " (`/invite @rainbow-reseller`) or fix DIGEST_CHANNEL",
    ]

    unknown = bot_environment(sandbox, slack, migrated_url, APPROVALS_CHANNEL="C0NOSUCH1")
    result = await reseller_bot("check", env=unknown, cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert result.lines[4:] == [
        "[FAIL] Slack: APPROVALS_CHANNEL C0NOSUCH1 cannot be read (channel_not_found): invite the bot there"
        " (`/invite @rainbow-reseller`) or fix APPROVALS_CHANNEL",
    ]
    assert [call.error for call in slack.calls_to("conversations.info")] == [None, None, "channel_not_found"]


async def test_a_digest_slack_refused_today_is_a_failure_and_a_possibly_posted_one_a_warning(
    tmp_path: Path, sandbox: Sandbox, slack: FakeSlack, migrated_url: str
) -> None:
    today = datetime.now(UTC).date()
    engine = make_engine(migrated_url)
    sessions = make_session_factory(engine)
    period = digest_period("C0APPROVE", today)
    try:
        assert await claim(sessions, "digest", period, "replica-a", take_over_stale=False)
        await finish(sessions, "digest", period, "replica-a", failed=True, result="not posted: not_in_channel")
        env = bot_environment(sandbox, slack, migrated_url)
        refused = await reseller_bot("check", env=env, cwd=tmp_path)

        assert await claim(sessions, "digest", period, "replica-b", take_over_stale=False, retry_failed=True)
        await finish(sessions, "digest", period, "replica-b", status=JobStatus.UNKNOWN, result="no answer: http_503")
        unknown = await reseller_bot("check", env=env, cwd=tmp_path)
    finally:
        await engine.dispose()

    assert refused.returncode == 1, refused.output
    assert refused.lines[-1] == (
        f"[FAIL] digest of {today}: not posted to C0APPROVE (not posted: not_in_channel); the running bot tries"
        " again every minute"
    )
    assert unknown.returncode == 0, unknown.output
    assert unknown.lines[-1] == (
        f"[warn] digest of {today}: may have been posted to C0APPROVE (sent, Slack gave no answer); look in the"
        " channel, and if it is missing run `reseller-bot digest --post --force`"
    )
