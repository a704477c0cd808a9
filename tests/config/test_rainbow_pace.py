"""RAINBOW_MAX_RPS: the client-side pace toward Rainbow is the operator's, within sane bounds."""

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.config.test_settings import VALID


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None):
    monkeypatch.chdir(tmp_path)
    for name, setting in VALID.items():
        monkeypatch.setenv(name, setting)
    if value is None:
        monkeypatch.delenv("RAINBOW_MAX_RPS", raising=False)
    else:
        monkeypatch.setenv("RAINBOW_MAX_RPS", value)
    return load_settings(env_file=None)


def test_the_default_pace_is_ten_requests_per_second(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load(monkeypatch, tmp_path, None).rainbow_max_rps == 10


def test_a_configured_pace_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load(monkeypatch, tmp_path, "80").rainbow_max_rps == 80
    assert load(monkeypatch, tmp_path, "0.5").rainbow_max_rps == 0.5


@pytest.mark.parametrize("value", ["0", "-3", "1000", "fast"])
def test_a_pace_out_of_bounds_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(monkeypatch, tmp_path, value)
    assert any(
        "RAINBOW_MAX_RPS must be a number of Rainbow requests per second between 0.1 and 100" in problem
        for problem in caught.value.problems
    ), caught.value.problems
