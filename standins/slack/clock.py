"""The fake's notion of time, so tests can expire a trigger_id or a pacing window without sleeping."""

from __future__ import annotations

import time


class FakeClock:
    """Wall-clock seconds plus whatever `advance` added."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the fake clock only moves forward")
        self._offset += seconds
