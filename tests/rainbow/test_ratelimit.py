"""Pacing: a person's call waiting for a token is served before the scheduler's background calls."""

import asyncio

import pytest

from bot.rainbow.ratelimit import TokenBucket, background_calls


async def test_interactive_waiters_are_served_before_background_ones_each_in_arrival_order() -> None:
    bucket = TokenBucket(rate=1000, burst=1)
    await bucket.acquire()  # the burst is spent: everyone below waits
    served: list[str] = []

    async def call(name: str, background: bool) -> None:
        if background:
            with background_calls():
                await bucket.acquire()
        else:
            await bucket.acquire()
        served.append(name)

    await asyncio.gather(
        call("sync-1", True), call("sync-2", True), call("click-1", False), call("sync-3", True), call("click-2", False)
    )
    assert served == ["click-1", "click-2", "sync-1", "sync-2", "sync-3"]


async def test_background_calls_reach_tasks_started_inside_the_block() -> None:
    bucket = TokenBucket(rate=1000, burst=1)
    await bucket.acquire()
    served: list[str] = []

    async def call(name: str) -> None:
        await bucket.acquire()
        served.append(name)

    with background_calls():
        sync = asyncio.ensure_future(call("sync"))
    await asyncio.gather(sync, call("click"))
    assert served == ["click", "sync"]


async def test_a_cancelled_waiter_gives_its_turn_to_the_next() -> None:
    bucket = TokenBucket(rate=1000, burst=1)
    await bucket.acquire()
    first = asyncio.ensure_future(bucket.acquire())
    second = asyncio.ensure_future(bucket.acquire())
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert first.cancelled()


def test_a_rate_or_burst_that_allows_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0)
