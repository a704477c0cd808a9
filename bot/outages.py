"""Expected outages said in few lines: when one starts, every few minutes while it lasts, when it ends.

An outage is something the bot cannot fix and waits out (Rainbow or Slack unreachable, a digest
channel the bot was not invited to). Tracebacks are for the unexpected; an outage is one line a
person can act on: what, since when, what the bot does meanwhile.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

logger = logging.getLogger(__name__)
REPEAT_SECONDS = 300.0


@dataclass
class Outage:
    """One kind of trouble, such as "Rainbow unreachable"; ``meanwhile`` says what the bot does until it ends."""

    what: str
    meanwhile: str
    repeat_seconds: float = REPEAT_SECONDS
    log: logging.Logger = logger
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    since: datetime | None = None
    reason: str | None = None
    failures: int = 0
    _started: float = 0.0
    _last_said: float = 0.0

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, reason: str) -> None:
        """One more failure: said when the outage starts and at most every ``repeat_seconds`` after."""
        now = self.clock()
        self.failures += 1
        self.reason = reason
        if self.since is None:
            self.since, self._started, self._last_said = self.wall_clock(), now, now
            self.log.warning("%s since %s (%s): %s", self.what, _clock_time(self.since), reason, self.meanwhile)
        elif now - self._last_said >= self.repeat_seconds:
            self._last_said = now
            self.log.warning(
                "%s still, since %s (%s; %s, %s): %s",
                self.what,
                _clock_time(self.since),
                reason,
                _duration(now - self._started),
                _count(self.failures, "failed attempt"),
                self.meanwhile,
            )

    def ended(self, how: str = "back to normal") -> None:
        """Said once, if an outage was ongoing."""
        if self.since is None:
            return
        self.log.warning(
            "%s: %s after %s (since %s, %s)",
            self.what,
            how,
            _duration(self.clock() - self._started),
            _clock_time(self.since),
            _count(self.failures, "failed attempt"),
        )
        self.since, self.reason, self.failures = None, None, 0

    @property
    def problem(self) -> str | None:
        """What /readyz and ``check`` show while the outage lasts."""
        if self.since is None:
            return None
        return f"{self.what} since {_clock_time(self.since)} ({self.reason})"


def _clock_time(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return _count(round(seconds), "second")
    if seconds < 90 * 60:
        return _count(round(seconds / 60), "minute")
    return _count(round(seconds / 3600), "hour")
