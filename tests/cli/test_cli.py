"""The command line as an operator meets it: every line it prints, and its exit status."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.cli.support import ON_POSTGRES, clean_environment, free_port


def reseller_bot(*arguments: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        env=clean_environment(**environment),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_only_commands_that_exist(tmp_path: Path) -> None:
    result = reseller_bot("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "migrate" in result.stdout and "check" in result.stdout


def test_an_empty_environment_names_every_missing_variable_in_one_round(tmp_path: Path) -> None:
    result = reseller_bot("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "APPROVALS_CHANNEL is required: a Slack channel id such as C0123ABCD",
        "SLACK_BOT_TOKEN is required: a Slack bot token starting with xoxb-",
        "SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → Signing Secret);"
        " or set SLACK_APP_TOKEN to use Socket Mode",
        "RAINBOW_LOGIN is required: the e-mail address of the reseller (bp_admin) account;"
        " or set RAINBOW_HOST=embedded",
        "RAINBOW_PASSWORD is required: the password of the reseller (bp_admin) account; or set RAINBOW_HOST=embedded",
        "RAINBOW_APP_ID is required: the Rainbow application id (developers portal); or set RAINBOW_HOST=embedded",
        "RAINBOW_APP_SECRET is required: the Rainbow application secret (developers portal);"
        " or set RAINBOW_HOST=embedded",
    ]


def test_malformed_values_and_missing_ones_come_in_the_same_round(tmp_path: Path) -> None:
    result = reseller_bot("check", cwd=tmp_path, SLACK_BOT_TOKEN="xoxp-PRIVATE-user-token", TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "APPROVALS_CHANNEL is required: a Slack channel id such as C0123ABCD",
        "TIMEZONE 'Mars/Olympus' is not an IANA time zone (such as Europe/Paris)",
        "SLACK_BOT_TOKEN must be a Slack bot token starting with xoxb- (OAuth & Permissions page)",
        "SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → Signing Secret);"
        " or set SLACK_APP_TOKEN to use Socket Mode",
        "RAINBOW_LOGIN is required: the e-mail address of the reseller (bp_admin) account;"
        " or set RAINBOW_HOST=embedded",
        "RAINBOW_PASSWORD is required: the password of the reseller (bp_admin) account; or set RAINBOW_HOST=embedded",
        "RAINBOW_APP_ID is required: the Rainbow application id (developers portal); or set RAINBOW_HOST=embedded",
        "RAINBOW_APP_SECRET is required: the Rainbow application secret (developers portal);"
        " or set RAINBOW_HOST=embedded",
    ]
    assert "PRIVATE" not in result.stdout + result.stderr


def test_check_reports_each_configuration_problem_on_its_own_line_without_secrets(tmp_path: Path) -> None:
    result = reseller_bot(
        "check",
        cwd=tmp_path,
        SLACK_BOT_TOKEN="xoxp-PRIVATE-user-token",
        SLACK_SIGNING_SECRET="sig",
        APPROVALS_CHANNEL="#approvals",
        TIMEZONE="Europe/Pariss",
        RAINBOW_HOST="embedded",
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "APPROVALS_CHANNEL must be a Slack channel id such as C0123ABCD (channel details → About)",
        "TIMEZONE 'Europe/Pariss' is not an IANA time zone (such as Europe/Paris)",
        "SLACK_BOT_TOKEN must be a Slack bot token starting with xoxb- (OAuth & Permissions page)",
    ]
    assert "PRIVATE" not in result.stdout + result.stderr


def test_check_refuses_the_bolt_oauth_trap(tmp_path: Path) -> None:
    result = reseller_bot(
        "check",
        cwd=tmp_path,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="sig",
        APPROVALS_CHANNEL="C0123ABCD",
        RAINBOW_HOST="embedded",
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="shh-do-not-print",
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set: Bolt would switch to OAuth and ignore"
        " SLACK_BOT_TOKEN; unset them (this app uses a single-workspace bot token)"
    ]
    assert "shh-do-not-print" not in result.stderr


def test_check_reads_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nRAINBOW_HOST=embedded\n")
    result = reseller_bot("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["APPROVALS_CHANNEL is required: a Slack channel id such as C0123ABCD"]


def test_digest_prints_todays_digest_with_nothing_but_database_url(tmp_path: Path) -> None:
    result = reseller_bot("digest", cwd=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [line, blank] = result.stdout.split("\n")[:2]
    assert line.startswith("☀️ Daily digest, ") and " nothing new since " in line
    assert line.endswith(", nothing waiting.") and blank == ""


def test_digest_post_needs_the_bot_token_and_a_channel_and_says_both_at_once(tmp_path: Path) -> None:
    result = reseller_bot("digest", "--post", cwd=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "SLACK_BOT_TOKEN is required: a Slack bot token starting with xoxb-",
        "DIGEST_CHANNEL is required to post the digest: a Slack channel id such as C0123ABCD",
    ]
    assert not (tmp_path / "bot.db").exists()


def test_force_without_post_is_refused(tmp_path: Path) -> None:
    result = reseller_bot("digest", "--force", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "--force only goes with --post\n")


PROC_REFUSES = "No such file or directory"  # /proc refuses new files, even to root


def test_migrate_says_in_one_line_why_the_database_cannot_be_opened(tmp_path: Path) -> None:
    url = "sqlite+aiosqlite:////proc/reseller-bot.db"
    result = reseller_bot("migrate", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"DATABASE_URL: cannot migrate {url}: cannot create a file in /proc: {PROC_REFUSES}; check the address,"
        " the credentials and that the database (or the SQLite file's folder) exists"
    ]


def test_migrate_twice_is_a_no_op_the_second_time(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    first = reseller_bot("migrate", cwd=tmp_path, DATABASE_URL=url)
    second = reseller_bot("migrate", cwd=tmp_path, DATABASE_URL=url)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    [migrated] = first.stdout.splitlines()
    assert migrated.startswith(f"{url}: migrated from an empty database to revision ")
    revision = migrated.rsplit(" ", 1)[-1]
    assert second.stdout.splitlines() == [f"{url}: already at the latest revision ({revision}); nothing to do"]
    assert first.stderr == second.stderr == ""


def test_migrate_says_in_one_line_that_the_database_server_refuses_connections(tmp_path: Path) -> None:
    port = free_port()
    url = f"postgresql+asyncpg://postgres:***@127.0.0.1:{port}/reseller"
    result = reseller_bot("migrate", cwd=tmp_path, DATABASE_URL=url.replace("***", "pw-never-printed"))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"DATABASE_URL: cannot migrate {url}: Connect call failed ('127.0.0.1', {port}); check the address,"
        " the credentials and that the database (or the SQLite file's folder) exists"
    ]


@pytest.mark.skipif(not ON_POSTGRES, reason="needs a PostgreSQL server to ask for a database it does not have")
def test_migrate_gives_postgresqls_own_reason_for_a_missing_database(tmp_path: Path) -> None:
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="no_such_database_here")
    result = reseller_bot("migrate", cwd=tmp_path, DATABASE_URL=url.render_as_string(hide_password=False))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"DATABASE_URL: cannot migrate {url.render_as_string(hide_password=True)}: database"
        ' "no_such_database_here" does not exist; check the address, the credentials and that the database'
        " (or the SQLite file's folder) exists"
    ]
