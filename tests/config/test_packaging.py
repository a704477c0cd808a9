"""A deployable package: exact versions locked for every dependency, ranges capped where releases break things."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", re.MULTILINE)


def locked(name: str) -> dict[str, str]:
    return {n.lower().replace("_", "-"): v for n, v in PINNED.findall((ROOT / name).read_text())}


def test_every_dependency_is_locked_at_a_version_its_range_allows() -> None:
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        name = requirement.name.lower()
        assert requirement.specifier.contains(runtime[name]), (name, runtime[name])
        assert dev[name] == runtime[name], f"{name}: the dev lock must not drift from the runtime lock"
    for line in PROJECT["optional-dependencies"]["test"]:
        requirement = Requirement(line)
        assert requirement.specifier.contains(dev[requirement.name.lower()]), requirement.name


def test_every_locked_line_carries_hashes() -> None:
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text()
        assert text.count("==") == len(PINNED.findall(text)) and "--hash=sha256:" in text
        assert "--extra-index-url" not in text and "--find-links" not in text, "no machine's own index"


def test_fast_moving_and_pre_1_0_dependencies_have_an_upper_bound() -> None:
    ranges = {Requirement(line).name: Requirement(line).specifier for line in PROJECT["dependencies"]}
    for name in ("sqlmodel", "slack-bolt", "apscheduler", "slack-sdk", "sqlalchemy", "aiosqlite", "asyncpg"):
        assert any(spec.operator == "<" for spec in ranges[name]), name


def test_the_license_the_metadata_promises_is_there() -> None:
    assert PROJECT["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
