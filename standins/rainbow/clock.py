"""The sandbox's own clock: real time plus an offset that tests move forward to skip throttles and locks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Wall-clock time shifted by whatever `advance` added; JWT iat/exp deliberately do not use it."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self._offset += timedelta(seconds=seconds)


def iso(moment: datetime | None) -> str | None:
    """Rainbow's date format: ISO 8601 UTC with milliseconds and a trailing Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
