"""The authenticated call every Rainbow operation goes through: envelope, errors, logging, metrics."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import aiohttp

from bot.rainbow.credentials import Redactor, Secret, SecretInput
from bot.rainbow.errors import (
    RainbowError,
    RainbowLoginRefused,
    RainbowUnexpectedResponse,
    error_class_for_status,
)
from bot.rainbow.models import LoggedInUser
from bot.rainbow.query import QueryValue, encode_query
from bot.rainbow.ratelimit import TokenBucket
from bot.rainbow.retry import RetryPolicy
from bot.rainbow.session import AuthSession
from bot.rainbow.transport import HttpTransport, Reply

logger = logging.getLogger("bot.rainbow")

ADMIN = "/api/rainbow/admin/v1.0"
ENDUSER = "/api/rainbow/enduser/v1.0"
PAGE_SIZE = 100
MAX_PAGES = 1000
Observer = Callable[[str, str, float], None]


def segment(value: str) -> str:
    """An id made safe to place in a URL path."""
    return quote(str(value), safe="")


class RainbowCore:
    """Connection, login and the generic call; the resource mixins build on `_call`/`_paginate`."""

    def __init__(
        self,
        base_url: str,
        login: str,
        password: SecretInput,
        app_id: str,
        app_secret: SecretInput,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout_seconds: float = 15.0,
        search_timeout_seconds: float = 2.5,
        max_concurrency: int = 8,
        requests_per_second: float = 10.0,
        burst: int = 20,
        retry: RetryPolicy | None = None,
        login_backoff_seconds: float = 15 * 60,
        observer: Observer | None = None,
    ) -> None:
        """`password`/`app_secret` may be str or pydantic SecretStr; they are only ever used to
        build the login headers.

        Tuning knobs: `timeout_seconds` per request (`search_timeout_seconds` for the user
        typeahead, which must fit in Slack's 3 s); `max_concurrency` requests in flight;
        `requests_per_second`/`burst` client-side pacing; `retry` for idempotent calls;
        `login_backoff_seconds` during which a refused login is not attempted again; `observer`
        gets (operation, outcome, seconds) for every call.

        No `x-rainbow-client` header is sent: it is optional and its documented values name Rainbow's
        own clients (SPEC-auth 1.104.0, GetBasicLogin parameter `x-rainbow-client`, enum web_win ... sdk_net).
        """
        self._login_email = login
        self._search_timeout_seconds = search_timeout_seconds
        self._search_retry = RetryPolicy(max_attempts=1)
        self._default_company_id: str | None = None
        self._observer = observer
        password_secret, app_secret_secret = Secret(password), Secret(app_secret)
        self._redact = Redactor(password_secret, app_secret_secret)
        self._transport = HttpTransport(
            base_url,
            session=session,
            timeout_seconds=timeout_seconds,
            max_concurrency=max_concurrency,
            bucket=TokenBucket(requests_per_second, burst),
            retry=retry or RetryPolicy(),
        )
        self._auth = AuthSession(
            self._transport,
            login=login,
            password=password_secret,
            app_id=app_id,
            app_secret=app_secret_secret,
            login_backoff_seconds=login_backoff_seconds,
            redact=self._redact,
            observe=self._notify,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(login={self._login_email!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session (only if the client created it). The token is simply dropped."""
        await self._transport.close()

    async def login(self) -> LoggedInUser:
        """Log in now (other calls log in lazily); the result stays available as `me`."""
        return await self._auth.login()

    @property
    def me(self) -> LoggedInUser:
        """The bot's account; its company_id is our BP company id. Needs a login first."""
        if self._auth.me is None:
            raise RuntimeError("RainbowClient.me is known only after login()")
        return self._auth.me

    async def _bp_company_id(self) -> str:
        """Our BP company id: the bot account's own company (logs in first if needed)."""
        if self._auth.me is None:
            await self._auth.bearer()
        if self._auth.me is None or not self._auth.me.company_id:
            raise RainbowUnexpectedResponse(
                "Rainbow's login answer did not say which company the bot belongs to.", operation="login"
            )
        return self._auth.me.company_id

    async def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        json_body: Any = None,
        timeout_seconds: float | None = None,
        retry: RetryPolicy | None = None,
    ) -> Any:
        """One authenticated call; returns the decoded JSON body (None when empty)."""
        started = time.monotonic()
        try:
            reply = await self._authenticated_exchange(
                operation, method, path, encode_query(params or {}), json_body, timeout_seconds, retry
            )
            if not reply.ok:
                raise error_class_for_status(reply.status)(**reply.error_fields(operation, self._redact))
            body = self._decode(operation, reply)
        except RainbowError as error:
            if not isinstance(error, RainbowLoginRefused):
                logger.warning("rainbow %s %s %s failed: %r", operation, method, path, error)
            self._notify(operation, error.outcome, time.monotonic() - started)
            raise
        self._notify(operation, "ok", time.monotonic() - started)
        return body

    async def _authenticated_exchange(
        self,
        operation: str,
        method: str,
        path: str,
        params: list[tuple[str, str]],
        json_body: Any,
        timeout_seconds: float | None,
        retry: RetryPolicy | None,
    ) -> Reply:
        """Send with the Bearer token; on 401 log in again and replay once (the server did nothing)."""
        replayed = False
        while True:
            token = await self._auth.bearer()
            headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
            reply = await self._transport.exchange(
                operation,
                method,
                path,
                headers=headers,
                params=params,
                json_body=json_body,
                timeout_seconds=timeout_seconds,
                retry=retry,
            )
            if reply.status != 401 or replayed:
                return reply
            await self._auth.replace_rejected(token)
            replayed = True

    def _decode(self, operation: str, reply: Reply) -> Any:
        if not reply.body.strip():
            return None
        try:
            return json.loads(reply.body)
        except ValueError:
            raise RainbowUnexpectedResponse(
                operation=operation, status=reply.status, request_id=reply.request_id
            ) from None

    async def _get_object(self, operation: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """A call answering one object in the `data` envelope (tolerating a bare object)."""
        body = await self._call(operation, method, path, **kwargs)
        data = body.get("data", body) if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise RainbowUnexpectedResponse(operation=operation)
        return data

    async def _post_action(self, operation: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """POST a state change (accept, cancel...); the updated object if Rainbow sends it back.

        The answer's shape is not documented, so callers re-read the object when this is None.
        """
        answer = await self._call(operation, "POST", path, json_body=body)
        data = answer.get("data") if isinstance(answer, dict) else None
        return data if isinstance(data, dict) and data.get("status") else None

    async def _get_list(self, operation: str, path: str, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
        """One page of a list: its items and the `total` Rainbow announced (if any)."""
        body = await self._call(operation, "GET", path, **kwargs)
        data = body.get("data") if isinstance(body, dict) else body
        if not isinstance(data, list):
            raise RainbowUnexpectedResponse(operation=operation)
        total = body.get("total") if isinstance(body, dict) else None
        return [item for item in data if isinstance(item, dict)], total

    async def _paginate(
        self,
        operation: str,
        path: str,
        params: Mapping[str, QueryValue],
        *,
        max_pages: int = MAX_PAGES,
        **kwargs: Any,
    ) -> list[dict[str, Any]]:
        """All items of a list, page by page (limit/offset), until `total` or an empty page."""
        items: list[dict[str, Any]] = []
        offset = 0
        for _ in range(max_pages):
            page, total = await self._get_list(
                operation, path, params={**params, "limit": PAGE_SIZE, "offset": offset}, **kwargs
            )
            items.extend(page)
            offset += len(page)
            if not page or (isinstance(total, int) and offset >= total):
                break
            if not isinstance(total, int) and len(page) < PAGE_SIZE:
                break
        return items

    def _notify(self, operation: str, outcome: str, seconds: float) -> None:
        """Report one call to the optional metrics observer; its failures never break a call."""
        if self._observer is None:
            return
        try:
            self._observer(operation, outcome, seconds)
        except Exception:
            logger.exception("rainbow observer failed for %s", operation)
