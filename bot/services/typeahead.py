"""The time budget of a typeahead (Slack `block_suggestion`) answer: Slack waits 3 s for it, so the
whole Rainbow side of one answer gets TYPEAHEAD_SECONDS, however many calls it makes."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from bot.rainbow import RainbowUnavailable

TYPEAHEAD_SECONDS = 2.5
T = TypeVar("T")


async def within_typeahead_budget(work: Awaitable[T], operation: str) -> T:
    """`work`'s result, or RainbowUnavailable once the budget is spent (the work is cancelled)."""
    try:
        return await asyncio.wait_for(work, TYPEAHEAD_SECONDS)
    except TimeoutError:
        raise RainbowUnavailable(
            operation=operation, method="GET", error_msg=f"no answer within {TYPEAHEAD_SECONDS:g} s"
        ) from None
