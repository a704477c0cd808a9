"""One HTTP exchange with Rainbow, paced, bounded and retried when that is safe.

This layer knows nothing about tokens or Rainbow objects: it sends what it is given and hands
back the status and body, retrying idempotent methods on 408/429/5xx, timeouts and connection
errors, and replaying any other method once after a 429 (Rainbow refused it, so nothing was done),
as the official SDK's rate limiter re-queues a 429 whatever the method
(Rainbow-Node-SDK connection/HttpManager.ts, request-rate-limiter RequestRateLimiter.ts).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.rainbow.errors import RainbowUnavailable, error_fields
from bot.rainbow.ratelimit import TokenBucket
from bot.rainbow.retry import RETRYABLE_STATUSES, RetryPolicy, retry_after_seconds

logger = logging.getLogger("bot.rainbow")

REQUEST_ID_HEADER = "x-rainbow-request-id"


@dataclass(frozen=True)
class Reply:
    """What came back from one exchange, whatever the status."""

    status: int
    body: str
    request_id: str | None
    retry_after: float | None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error_fields(self, operation: str, redact: Callable[[str | None], str | None]) -> dict[str, Any]:
        """Keyword arguments for the RainbowError this reply raises, secrets scrubbed."""
        return error_fields(operation, self.status, self.body, self.request_id, redact)


class HttpTransport:
    """Owns the aiohttp session, the concurrency limit and the client-side rate limit."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None,
        timeout_seconds: float,
        max_concurrency: int,
        bucket: TokenBucket,
        retry: RetryPolicy,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._session = session
        self._owns_session = session is None
        self._timeout_seconds = timeout_seconds
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._bucket = bucket
        self.retry = retry

    async def close(self) -> None:
        """Close the session if we created it; a session passed in belongs to the caller."""
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout_seconds))
            self._owns_session = True
        return self._session

    async def exchange(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str],
        params: list[tuple[str, str]] | None = None,
        json_body: Any = None,
        timeout_seconds: float | None = None,
        retry: RetryPolicy | None = None,
    ) -> Reply:
        """Send the request, retrying when safe; raise RainbowUnavailable if Rainbow never answered."""
        policy = retry or self.retry
        retryable = policy.may_retry(method)
        waited = 0.0
        attempt = 0
        replayed_throttled = False
        while True:
            attempt += 1
            reply: Reply | None = None
            failure: Exception | None = None
            try:
                reply = await self._send_once(operation, method, path, headers, params, json_body, timeout_seconds)
            except (aiohttp.ClientError, TimeoutError) as exc:
                failure = exc
            once_more = not retryable and not replayed_throttled and policy.max_attempts > 1
            if reply is not None and reply.status == 429 and once_more:
                delay = policy.throttled_delay(reply.retry_after)
                logger.info("rainbow %s: 429, replaying once in %.2fs", operation, delay)
                await asyncio.sleep(delay)
                replayed_throttled = True
                continue
            if reply is not None and (reply.status not in RETRYABLE_STATUSES or not retryable):
                return reply
            delay = policy.delay(attempt, reply.retry_after if reply else None)
            if not retryable or attempt >= policy.max_attempts or waited + delay > policy.max_total_delay:
                if reply is not None:
                    return reply
                raise self._unavailable(operation, method, failure, timeout_seconds) from failure
            logger.info(
                "rainbow %s: attempt %d failed (%s), retrying in %.2fs",
                operation,
                attempt,
                reply.status if reply else type(failure).__name__,
                delay,
            )
            await asyncio.sleep(delay)
            waited += delay

    async def _send_once(
        self,
        operation: str,
        method: str,
        path: str,
        headers: Mapping[str, str],
        params: list[tuple[str, str]] | None,
        json_body: Any,
        timeout_seconds: float | None,
    ) -> Reply:
        await self._bucket.acquire()
        timeout = aiohttp.ClientTimeout(total=timeout_seconds or self._timeout_seconds)
        async with self._semaphore:
            started = time.monotonic()
            async with self._get_session().request(
                method,
                self._base_url + path,
                headers=dict(headers),
                params=params,
                json=json_body,
                timeout=timeout,
            ) as response:
                raw = await response.read()
                reply = Reply(
                    status=response.status,
                    body=raw.decode("utf-8", errors="replace"),
                    request_id=response.headers.get(REQUEST_ID_HEADER),
                    retry_after=retry_after_seconds(response.headers),
                )
        logger.debug(
            "rainbow %s %s %s -> %d in %.3fs (request id %s)",
            operation,
            method,
            path,
            reply.status,
            time.monotonic() - started,
            reply.request_id,
        )
        return reply

    def _unavailable(
        self, operation: str, method: str, failure: Exception | None, timeout_seconds: float | None
    ) -> RainbowUnavailable:
        if isinstance(failure, TimeoutError):
            reason = f"no answer within {timeout_seconds or self._timeout_seconds:g} s"
        else:
            reason = f"connection problem: {type(failure).__name__}"
        return RainbowUnavailable(operation=operation, method=method, error_msg=reason)
