"""`reseller-bot demo`: runs with no configuration at all, shows every step, and fails loudly when a step
does not do what it shows."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from standins.demo.run import run_demo
from standins.demo.steps import STEPS
from standins.demo.world import DemoSettings
from standins.rainbow import Sandbox
from standins.slack import FakeSlack

DEMO_TIMEOUT_SECONDS = 60
STEP2_FAILURE = (
    "✗ Step 2 (Its administrator joins; the company is activated) failed: Acme Telecom is still initializing"
)


def clean_environment() -> dict[str, str]:
    """The test's environment without anything that configures the bot."""
    dropped = ("SLACK_", "RAINBOW_", "DATABASE_URL", "LOG_LEVEL")
    return {name: value for name, value in os.environ.items() if not name.upper().startswith(dropped)}


def test_the_demo_runs_offline_with_no_configuration_and_shows_every_step(tmp_path: Path) -> None:
    # An operator's .env in the working directory must not reach the demo (nor its database be touched).
    (tmp_path / ".env").write_text(
        "SLACK_APP_TOKEN=xapp-operator\nDATABASE_URL=sqlite+aiosqlite:////no/such/folder/operator.db\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo"],
        env=clean_environment(),
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no log noise
    out = result.stdout
    for number, step in enumerate(STEPS, start=1):
        assert f"Step {number} — {step.title}" in out
    for seen in (
        "/rainbow create Acme Telecom",
        "Rainbow already has companies like Acme Telecom",
        "ACME Telecom Services",
        "Status: Initializing",
        "Acme Telecom is now Activated",
        "Status: Activated",
        "Étoile Télécom (FRA)",
        "Invitation sent to Étoile Télécom",
        "we are now its reseller",
        "Accepted by @carol",
        "Declined by @carol",
        "Daily digest",
        "DAILY DIGEST",
        "6 steps, all as shown",
    ):
        assert seen in out, f"{seen!r} not in the output:\n{out}"
    assert out.count("  ✓ ") == len(STEPS) and "✗" not in out
    assert not (tmp_path / "reseller-bot.db").exists()


def step_two_cannot_succeed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The administrator's acceptance is lost: Rainbow never activates the company."""
    monkeypatch.setattr(Sandbox, "accept_join_invitation", lambda self, invitation_id: {})


async def test_a_step_that_does_not_do_what_it_shows_fails_the_demo_and_says_which(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    step_two_cannot_succeed(monkeypatch)
    out = io.StringIO()
    assert await run_demo(False, out) == 1
    shown = out.getvalue()
    assert STEP2_FAILURE in shown, shown
    assert "Step 3" not in shown and "all as shown" not in shown


async def test_a_call_slack_refused_fails_the_step_even_when_the_screens_look_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = FakeSlack.start

    async def refusing_the_first_edit(self: FakeSlack) -> FakeSlack:
        await start(self)
        self.fail_next("chat.update", "fatal_error")
        return self

    monkeypatch.setattr(FakeSlack, "start", refusing_the_first_edit)
    out = io.StringIO()
    assert await run_demo(False, out) == 1
    assert (
        "✗ Step 2 (Its administrator joins; the company is activated) failed: Slack refused chat.update -> fatal_error"
        in out.getvalue()
    )


class Keyboard(io.StringIO):
    """A terminal where the reader presses Enter whenever asked."""

    def __init__(self) -> None:
        super().__init__("\n" * 10)
        self.reads = 0

    def isatty(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:
        self.reads += 1
        return super().readline()


async def test_step_by_step_waits_for_enter_before_each_next_step(monkeypatch: pytest.MonkeyPatch) -> None:
    step_two_cannot_succeed(monkeypatch)
    keyboard = Keyboard()
    monkeypatch.setattr(sys, "stdin", keyboard)
    out = io.StringIO()
    assert await run_demo(True, out) == 1
    shown = out.getvalue()
    assert keyboard.reads == 1
    assert shown.index("press Enter for step 2") < shown.index("Step 2 —") < shown.index(STEP2_FAILURE)


async def test_step_by_step_does_not_wait_when_stdin_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    step_two_cannot_succeed(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    out = io.StringIO()
    assert await run_demo(True, out) == 1
    shown = out.getvalue()
    assert "stdin is not a terminal" in shown and "press Enter" not in shown and STEP2_FAILURE in shown


def test_the_demo_settings_read_no_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-operator")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://operator@db.example.com/prod")
    monkeypatch.setenv("DIGEST_CHANNEL", "C0OPERATOR1")
    settings = DemoSettings(
        slack_bot_token="xoxb-demo", slack_signing_secret="demo", approvals_channel="C0APPROVE", rainbow_host="embedded"
    )
    assert settings.slack_app_token is None
    assert settings.database_url.startswith("sqlite+aiosqlite:") and settings.digest_channel is None
