"""The stage every figure is measured on: the stand-ins in the driver, the systems under test in their own
processes on 127.0.0.1, and the numbers read from outside (HTTP timings, /proc, the sandbox's counters)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from standins.rainbow import Sandbox
from standins.slack import FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
APPROVALS = "C0APPROVE"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


@dataclass
class Target:
    """A system under test: one process serving Slack's Request URL and /healthz on a loopback port."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_healthy(self, path: str = "/healthz", limit: float = 60.0) -> float:
        """Seconds from now until `path` answers 200 (polled every 5 ms)."""
        started = time.perf_counter()
        async with aiohttp.ClientSession() as http:
            while time.perf_counter() - started < limit:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
                try:
                    async with http.get(self.base + path) as answer:
                        if answer.status == 200:
                            return time.perf_counter() - started
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.005)
        raise TimeoutError(f"{self.name} {path} not 200 after {limit} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bot_environment(sandbox: Sandbox, slack: FakeSlack, database_url: str, port: int, **extra: str) -> dict[str, str]:
    """What an operator would set to run the bot against the stand-ins; nothing else of ours leaks in."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RAINBOW_", "DATABASE_"))}
    return {
        **inherited,
        **sandbox.environment(),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "APPROVALS_CHANNEL": APPROVALS,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_bot(workdir: Path, environment: dict[str, str], name: str = "bot") -> Target:
    log = workdir / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=workdir,
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Target(name, process, int(environment["PORT"]), log)


def start_anchor(workdir: Path, slack: FakeSlack, name: str = "bare Bolt") -> Target:
    port = free_port()
    log = workdir / "bare_bolt.log"
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "bare_bolt.py"),
            f"--port={port}",
            f"--slack-api={slack.api_url}",
            f"--token={slack.token}",
            f"--signing-secret={SECRET}",
        ],
        cwd=workdir,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return Target(name, process, port, log)


async def settle(slack: FakeSlack, quiet_seconds: float = 1.0, limit: float = 120.0) -> None:
    """Wait until the fake Slack has seen no call for `quiet_seconds`: the work after the acks is done."""
    started = time.perf_counter()
    seen, since = len(slack.calls), time.perf_counter()
    while time.perf_counter() - started < limit:
        await asyncio.sleep(0.1)
        if len(slack.calls) != seen:
            seen, since = len(slack.calls), time.perf_counter()
        elif time.perf_counter() - since >= quiet_seconds:
            return


def summary(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())
