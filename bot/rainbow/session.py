"""The bot's Rainbow login: obtaining, renewing and replacing the JWT (Rainbow auth API 1.104.0).

Only one login or renewal runs at a time, however many calls wait for a token. A refused login
(401) is never retried: five failures lock the real account for an hour, so the refusal is
remembered and re-raised without contacting Rainbow for a back-off period.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from bot.rainbow.credentials import Redactor, Secret, app_auth_header, basic_auth_header, latin1_safe
from bot.rainbow.errors import (
    RainbowError,
    RainbowLoginRefused,
    RainbowUnexpectedResponse,
    error_class_for_status,
)
from bot.rainbow.models import LoggedInUser
from bot.rainbow.tokens import TokenClaims, read_claims
from bot.rainbow.transport import HttpTransport, Reply

logger = logging.getLogger("bot.rainbow")

AUTH_PATH = "/api/rainbow/authentication/v1.0"
Observe = Callable[[str, str, float], None]


class AuthSession:
    """Hands out a valid Bearer token, refreshing it at most once per need."""

    def __init__(
        self,
        transport: HttpTransport,
        *,
        login: str,
        password: Secret,
        app_id: str,
        app_secret: Secret,
        login_backoff_seconds: float,
        redact: Redactor,
        observe: Observe,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._login = login
        self._password = password
        self._app_id = app_id
        self._app_secret = app_secret
        self._login_backoff_seconds = login_backoff_seconds
        self._redact = redact
        self._observe = observe
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._claims: TokenClaims | None = None
        self._renew_at = float("inf")
        self._expires_at = float("inf")
        self._finished_refreshes = 0
        self._last_failure: RainbowError | None = None
        self._refusal: RainbowLoginRefused | None = None
        self._refused_until = 0.0
        self.me: LoggedInUser | None = None

    async def bearer(self) -> str:
        """A token to send now; logs in or renews first when needed."""
        self._raise_if_refused()
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        seen = self._finished_refreshes
        async with self._lock:
            self._raise_if_refused()
            if self._token is not None and self._clock() < self._renew_at:
                return self._token
            if self._finished_refreshes != seen and self._last_failure is not None:
                raise copy.copy(self._last_failure)
            await self._refresh()
            assert self._token is not None
            return self._token

    async def login(self) -> LoggedInUser:
        """A fresh login, whatever the current token."""
        async with self._lock:
            self._raise_if_refused()
            await self._guarded(self._log_in)
        assert self.me is not None
        return self.me

    async def replace_rejected(self, rejected_token: str) -> None:
        """Rainbow answered 401 to a call made with `rejected_token`: log in again, once for all."""
        async with self._lock:
            self._raise_if_refused()
            if self._token != rejected_token:
                return
            self._token = None
            await self._guarded(self._log_in)

    async def _refresh(self) -> None:
        """Renew while renewals are left and the token is alive, otherwise log in again."""
        if self._can_renew() and await self._guarded(self._renew):
            return
        self._token = None
        await self._guarded(self._log_in)

    def _can_renew(self) -> bool:
        return (
            self._token is not None
            and self._claims is not None
            and self._claims.renewals_left > 0
            and self._clock() < self._expires_at
        )

    async def _guarded(self, step: Callable[[], Any]) -> Any:
        """Run one login/renew, remembering its failure for the callers queued behind it."""
        try:
            result = await step()
        except RainbowError as error:
            self._last_failure = error
            raise
        else:
            self._last_failure = None
        finally:
            self._finished_refreshes += 1
        return result

    async def _log_in(self) -> None:
        if not latin1_safe(self._login, self._password.reveal()):
            refusal = RainbowLoginRefused.unusable_password(self._login)
            logger.error("%s", refusal)
            raise refusal
        headers = {
            "Authorization": basic_auth_header(self._login, self._password),
            "x-rainbow-app-auth": app_auth_header(self._app_id, self._app_secret, self._password),
        }
        reply = await self._auth_exchange("login", "/login", headers)
        if reply.status == 401:
            raise self._refuse(reply)
        self._accept(self._body_or_raise("login", reply))

    async def _renew(self) -> bool:
        """True when renewed; False when Rainbow refused the renewal (log in again instead)."""
        assert self._token is not None
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            reply = await self._auth_exchange("renew", "/renew", headers)
            if reply.status == 401:
                return False
            self._accept(self._body_or_raise("renew", reply))
        except RainbowError as error:
            if self._clock() >= self._expires_at:
                return False
            self._renew_at = self._clock() + min(30.0, (self._expires_at - self._clock()) / 2)
            logger.warning("rainbow renew failed, keeping the current token for now: %s", error)
        return True

    async def _auth_exchange(self, operation: str, path: str, headers: Mapping[str, str]) -> Reply:
        started = self._clock()
        outcome = "ok"
        try:
            reply = await self._transport.exchange(
                operation, "GET", AUTH_PATH + path, headers={"Accept": "application/json", **headers}
            )
            if reply.status == 401 and operation == "login":
                outcome = RainbowLoginRefused.outcome
            elif not reply.ok:
                outcome = error_class_for_status(reply.status).outcome
            return reply
        except RainbowError as error:
            outcome = error.outcome
            raise
        finally:
            self._observe(operation, outcome, self._clock() - started)

    def _body_or_raise(self, operation: str, reply: Reply) -> dict[str, Any]:
        if not reply.ok:
            error = error_class_for_status(reply.status)(**reply.error_fields(operation, self._redact))
            logger.warning("rainbow %s failed: %r", operation, error)
            raise error
        try:
            body = json.loads(reply.body)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("token"), str):
            raise RainbowUnexpectedResponse(operation=operation, status=reply.status, request_id=reply.request_id)
        return body

    def _accept(self, body: dict[str, Any]) -> None:
        """Adopt a new token and plan its renewal at half-life plus up to 1/8 (like the SDK)."""
        now = self._clock()
        self._token = body["token"]
        self._claims = read_claims(body["token"])
        if self._claims is None:
            logger.warning("rainbow token has no readable iat/exp; relying on 401 to log in again")
            self._renew_at = self._expires_at = float("inf")
        else:
            half_life = self._claims.usable_seconds / 2
            self._renew_at = now + half_life + random.uniform(0, half_life / 8)
            self._expires_at = now + self._claims.usable_seconds
        user = body.get("loggedInUser")
        if isinstance(user, dict):
            self.me = LoggedInUser.from_api(user)

    def _refuse(self, reply: Reply) -> RainbowLoginRefused:
        self._refusal = RainbowLoginRefused.for_login(self._login, **reply.error_fields("login", self._redact))
        self._refused_until = self._clock() + self._login_backoff_seconds
        logger.warning(
            "%s (request id %s); not trying again for %g s",
            self._refusal,
            reply.request_id,
            self._login_backoff_seconds,
        )
        return self._refusal

    def _raise_if_refused(self) -> None:
        if self._refusal is None:
            return
        if self._clock() < self._refused_until:
            raise copy.copy(self._refusal)
        self._refusal = None
