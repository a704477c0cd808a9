"""Failures a test can schedule, so it can prove the bot survives what real Slack sometimes does."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One forced answer: an `ok: false` error, a 429 with Retry-After, or a bare HTTP failure."""

    error: str = "fatal_error"
    status: int = 200
    retry_after: int | None = None

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Fault:
        return cls(error="ratelimited", status=429, retry_after=retry_after)

    @classmethod
    def http_error(cls, status: int = 500) -> Fault:
        """A non-JSON 5xx, as when Slack's edge fails: the call may or may not have happened."""
        return cls(error="", status=status)


class FaultPlan:
    """Per-method queues of faults, consumed one per call before the method runs."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def add(self, method: str, fault: Fault, times: int = 1) -> None:
        self._queues[method].extend([fault] * times)

    def take(self, method: str) -> Fault | None:
        queue = self._queues.get(method)
        return queue.popleft() if queue else None
