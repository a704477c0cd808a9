"""Client-side request pacing: Rainbow's limits are undocumented and ALE asks for modest traffic.

Calls made for a person (a click, a submit, a typeahead) are served before calls made in the
background (the scheduler's poll and sync): a background call waits while any interactive call
waits for a token, so a sync of 100 pages never sits between an approver and Rainbow.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_background: ContextVar[bool] = ContextVar("rainbow_background_calls", default=False)


@contextmanager
def background_calls() -> Iterator[None]:
    """Rainbow calls made inside this block (and in tasks it starts) yield to interactive ones."""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


class TokenBucket:
    """Allows `rate` requests per second on average, with bursts of up to `burst`; interactive waiters
    first, each class in arrival order."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self._rate = rate
        self._capacity = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._updated = clock()
        self._interactive: deque[asyncio.Future[None]] = deque()
        self._background: deque[asyncio.Future[None]] = deque()
        self._dispatcher: asyncio.Task[None] | None = None

    async def acquire(self) -> None:
        """Wait until a request may be sent."""
        if not self._interactive and not self._background and self._take():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._background if _background.get() else self._interactive).append(waiter)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.ensure_future(self._dispatch())
        await waiter

    def _take(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    async def _dispatch(self) -> None:
        """Hand out tokens as they come, to the interactive queue first; a cancelled waiter is skipped."""
        while self._interactive or self._background:
            queue = self._interactive if self._interactive else self._background
            if queue[0].done():
                queue.popleft()
                continue
            if self._take():
                queue.popleft().set_result(None)
                continue
            await asyncio.sleep((1 - self._tokens) / self._rate)
