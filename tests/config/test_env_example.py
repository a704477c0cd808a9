"""`.env.example` lists every variable with its real default, and its [minimal] lines are enough for `run --sandbox`."""

import re
from pathlib import Path

import pytest

from bot.app import DEMO_COMPANIES
from bot.config import Settings, load_settings
from tests.config.test_settings import VARIABLES

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
ASSIGNMENT = re.compile(r"^(?:# )?([A-Z_]+)=(.*)$")


def assignments() -> dict[str, str]:
    lines = (ASSIGNMENT.match(line) for line in EXAMPLE.read_text().splitlines())
    return {match.group(1): match.group(2) for match in lines if match}


def test_every_setting_is_listed_once() -> None:
    listed = [m.group(1) for m in map(ASSIGNMENT.match, EXAMPLE.read_text().splitlines()) if m]
    assert sorted(listed) == sorted(name.upper() for name in Settings.model_fields)


def test_each_commented_default_is_the_real_default() -> None:
    for name, shown in assignments().items():
        field = Settings.model_fields[name.lower()]
        if shown and not field.is_required() and field.default not in (None, ()):
            default = field.default.strftime("%H:%M") if hasattr(field.default, "strftime") else str(field.default)
            assert shown == default, name


def test_the_minimal_lines_are_the_only_uncommented_ones_and_run_sandbox_accepts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = EXAMPLE.read_text()
    active = [line.split("=")[0] for line in text.splitlines() if ASSIGNMENT.match(line) and not line.startswith("#")]
    assert active == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "APPROVALS_CHANNEL"]
    assert text.count("[minimal]") == 1 + len(active)
    assert f"{DEMO_COMPANIES} companies" in text
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAINBOW_HOST", "embedded")  # what `run --sandbox` sets
    settings = load_settings(env_file=EXAMPLE)
    assert settings.approvals_channel == "C0123ABCD" and settings.rainbow_host == "embedded"
