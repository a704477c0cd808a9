"""The command line as an operator meets it."""

import os
import subprocess
import sys
from pathlib import Path


def reseller_bot(*arguments: str, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "RAINBOW_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_only_commands_that_exist(tmp_path: Path) -> None:
    result = reseller_bot("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "migrate" in result.stdout and "check" in result.stdout


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
    assert result.stderr.strip().splitlines() == [
        "SLACK_BOT_TOKEN must be a Slack bot token starting with xoxb- (OAuth & Permissions page)",
        "APPROVALS_CHANNEL must be a Slack channel id such as C0123ABCD (channel details → About)",
        "TIMEZONE 'Europe/Pariss' is not an IANA time zone (such as Europe/Paris)",
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
    assert result.stderr.startswith("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set")
    assert "shh-do-not-print" not in result.stderr


def test_check_reads_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nRAINBOW_HOST=embedded\n")
    result = reseller_bot("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "APPROVALS_CHANNEL is required: a Slack channel id such as C0123ABCD"


def test_digest_prints_todays_digest_from_the_store(tmp_path: Path) -> None:
    result = reseller_bot(
        "digest",
        cwd=tmp_path,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="sig",
        APPROVALS_CHANNEL="C0123ABCD",
        RAINBOW_HOST="embedded",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
    )
    assert result.returncode == 0, result.stderr
    assert "Daily digest" in result.stdout and "nothing new" in result.stdout
