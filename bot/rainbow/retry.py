"""When and how long to wait before retrying (rainbow-node-sdk 2.46.1 behaviour)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

RETRYABLE_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600))
# The official SDK waits Retry-After, or 10 s without one, before re-queuing a 429 (HttpManager.ts).
THROTTLED_DEFAULT_SECONDS = 10.0
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded in attempts and in total waiting time.

    POST is never retried after a failure whose outcome is unknown: creating, inviting and accepting are
    not idempotent. A 429 is a refusal, so any method is replayed once after `throttled_delay`.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total_delay: float = 20.0
    retry_after_cap: float = 10.0

    def may_retry(self, method: str) -> bool:
        return method.upper() in IDEMPOTENT_METHODS and self.max_attempts > 1

    def throttled_delay(self, retry_after: float | None) -> float:
        """How long to wait before replaying a refused (429) request: Retry-After, bounded."""
        return min(THROTTLED_DEFAULT_SECONDS if retry_after is None else retry_after, self.retry_after_cap)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`Retry-After` in seconds; the HTTP-date form is ignored (unconfirmed that Rainbow sends any)."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
