"""Run ``reseller-bot`` as a real process against servers living in the test's own event loop.

Everything here is asynchronous on purpose: the Rainbow sandbox and the fake Slack the child
process talks to are served by the test's loop, so a blocking ``subprocess.run`` would deadlock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

from standins.rainbow import Sandbox
from standins.rainbow.auth import SandboxCredentials
from standins.slack import FakeSlack
from storage.engine import make_engine
from storage.migrate import upgrade

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
LOGIN_ROUTE = "GET /api/rainbow/authentication/v1.0/login"
SIGNING_SECRET = "cli-signing-secret-never-printed"
PROCESS_TIMEOUT = 30.0
SETTINGS_VARIABLES = frozenset(
    {
        "DATABASE_URL",
        "APPROVALS_CHANNEL",
        "DIGEST_CHANNEL",
        "DIGEST_TIME",
        "TIMEZONE",
        "POLL_INTERVAL_SECONDS",
        "STALE_INVITATION_DAYS",
        "APPROVERS",
        "RESELLERS",
        "HOST",
        "PORT",
        "LOG_LEVEL",
        "LOG_FORMAT",
    }
)
SECRET_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "RAINBOW_PASSWORD",
    "RAINBOW_APP_SECRET",
)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (bound, read, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(**values: str) -> dict[str, str]:
    """The inherited environment without any of the bot's settings, plus ``values``."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "RAINBOW_")) and name not in SETTINGS_VARIABLES
    }
    return {**inherited, **values}


def bot_environment(sandbox: Sandbox | None, slack: FakeSlack, database_url: str, **overrides: str) -> dict[str, str]:
    """What an operator sets for ``check`` and ``run``: Slack at the fake, Rainbow at the sandbox (if any)."""
    values = {
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "APPROVALS_CHANNEL": "C0APPROVE",
        "DATABASE_URL": database_url,
    }
    if sandbox is not None:
        values.update(sandbox.environment())
    return clean_environment(**{**values, **overrides})


def secrets_in(environment: dict[str, str]) -> list[str]:
    """Every secret the process was given (and the sandbox's own), which must never be printed."""
    known = SandboxCredentials()
    found = [environment[name] for name in SECRET_VARIABLES if environment.get(name)]
    database_password = make_url(environment["DATABASE_URL"]).password if "DATABASE_URL" in environment else None
    if database_password:
        found.append(str(database_password))
    return [*found, known.password, known.app_secret]


def assert_no_secrets(output: str, environment: dict[str, str]) -> None:
    """None of the secrets of ``environment`` appears in ``output``."""
    leaked = [secret for secret in secrets_in(environment) if secret in output]
    assert not leaked, f"secrets printed: {leaked}\n{output}"


def with_database_password(url: str, password: str = "cli-db-password-never-printed") -> str:
    """``url`` with a password, so redaction can be checked (the test server trusts local connections)."""
    parsed = make_url(url)
    if parsed.password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


async def migrate(url: str) -> None:
    """Bring the database at ``url`` to the latest revision, as ``reseller-bot migrate`` would."""
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Finished:
    """What a command that ran to completion left behind."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.strip().splitlines()

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def lines_starting(self, mark: str) -> list[str]:
        """The stdout lines starting with ``mark`` (such as ``[FAIL]``)."""
        return [line for line in self.lines if line.startswith(mark)]


async def _spawn(arguments: Iterable[str], env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *arguments,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def reseller_bot(*arguments: str, env: dict[str, str], cwd: Path, within: float = PROCESS_TIMEOUT) -> Finished:
    """Run ``reseller-bot <arguments>`` to completion without blocking the loop."""
    process = await _spawn(arguments, env, cwd)
    try:
        async with asyncio.timeout(within):
            stdout, stderr = await process.communicate()
    except TimeoutError:
        process.kill()
        stdout, stderr = await process.communicate()
        raise AssertionError(
            f"reseller-bot {' '.join(arguments)} still running after {within} s:\n{stdout.decode()}{stderr.decode()}"
        ) from None
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())


@dataclass
class Service:
    """A long-running ``reseller-bot`` process whose output is collected as it arrives."""

    process: asyncio.subprocess.Process
    stdout_lines: list[str] = field(default_factory=list)
    stderr_lines: list[str] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _pumps: list[asyncio.Task[None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        assert self.process.stdout is not None and self.process.stderr is not None
        self._pumps = [
            asyncio.create_task(self._pump(self.process.stdout, self.stdout_lines)),
            asyncio.create_task(self._pump(self.process.stderr, self.stderr_lines)),
        ]

    async def _pump(self, stream: asyncio.StreamReader, into: list[str]) -> None:
        while line := await stream.readline():
            into.append(line.decode().rstrip("\n"))
            async with self._changed:
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        return "\n".join([*self.stdout_lines, *self.stderr_lines])

    @property
    def exited(self) -> bool:
        return self.process.returncode is not None or all(pump.done() for pump in self._pumps)

    async def wait_for_stdout(
        self, condition: Callable[[list[str]], bool], what: str, within: float = PROCESS_TIMEOUT
    ) -> None:
        """Wait until ``condition(stdout lines)`` holds; fail with the output if the process ends first."""
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: condition(self.stdout_lines) or self.exited)
        except TimeoutError:
            raise AssertionError(f"no {what} within {within} s:\n{self.output}") from None
        assert condition(self.stdout_lines), f"the process ended before printing {what}:\n{self.output}"

    async def wait_for_stderr(self, text: str, within: float = PROCESS_TIMEOUT) -> str:
        """Wait for the first stderr line containing ``text`` and return it; fail if the process ends first."""

        def found() -> str | None:
            return next((line for line in self.stderr_lines if text in line), None)

        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: found() is not None or self.exited)
        except TimeoutError:
            raise AssertionError(f"no {text!r} within {within} s:\n{self.output}") from None
        line = found()
        assert line is not None, f"the process ended before printing {text!r}:\n{self.output}"
        return line

    def logged_by(self, logger: str) -> list[str]:
        """The messages of the stderr log lines of ``logger`` (text format), with their level."""
        marker = f" {logger} ["
        found = []
        for line in self.stderr_lines:
            if marker in line:
                level = line.split(" ", 3)[2]
                found.append(f"{level} {line.split(']: ', 1)[1]}")
        return found

    async def wait_until_ok(self, url: str, within: float = PROCESS_TIMEOUT) -> str:
        """Poll GET ``url`` until it answers 200 and return that body; fail early if the process exits."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
            try:
                async with asyncio.timeout(within):
                    while True:
                        assert not self.exited, f"the process exited before {url} answered:\n{self.output}"
                        with contextlib.suppress(aiohttp.ClientConnectionError):
                            async with session.get(url) as response:
                                body = await response.text()
                                if response.status == 200:
                                    return body
                        await asyncio.sleep(0.1)
            except TimeoutError:
                raise AssertionError(f"{url} did not answer 200 within {within} s:\n{self.output}") from None

    async def stop(self, how: signal.Signals = signal.SIGTERM, within: float = PROCESS_TIMEOUT) -> int:
        """Send ``how`` and wait for the exit status (kill and fail if it does not come)."""
        if self.process.returncode is None:
            self.process.send_signal(how)
        try:
            async with asyncio.timeout(within):
                returncode = await self.process.wait()
                await asyncio.gather(*self._pumps)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"still running {within} s after {how.name}:\n{self.output}") from None
        return returncode

    async def close(self) -> None:
        """Kill the process if it still runs and stop reading its output."""
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        for pump in self._pumps:
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)


@asynccontextmanager
async def service(*arguments: str, env: dict[str, str], cwd: Path) -> AsyncIterator[Service]:
    """Start ``reseller-bot <arguments>``; whatever happens, it is not left running afterwards."""
    running = Service(await _spawn(arguments, env, cwd))
    try:
        yield running
    finally:
        await running.close()
