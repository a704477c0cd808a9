"""Login with the app-auth header, lockout after repeated failures, HS256 JWTs with renew and logout."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from standins.rainbow.clock import SandboxClock
from standins.rainbow.errors import (
    LOGIN_FAILED,
    LOGIN_LOCKED,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_RENEW_EXHAUSTED,
    SandboxError,
)
from standins.rainbow.state import SandboxState
from standins.rainbow.views import logged_in_user

MAX_CONSECUTIVE_FAILURES = 5
LOCK_DURATION = timedelta(minutes=60)


@dataclass(frozen=True)
class SandboxCredentials:
    """Fixed, well-known demo credentials: the sandbox is local and holds nothing secret."""

    login: str = "reseller.admin@sandbox.example.com"
    password: str = "Sandbox-Passw0rd!"
    app_id: str = "5a1db0c3e4f5a6b7c8d9e0f1a2b3c4d5"
    app_secret: str = "sandbox-app-secret-2f8e6c4a9b1d"
    app_name: str = "Reseller bot (sandbox)"

    def app_auth_header(self, password: str | None = None) -> str:
        """The x-rainbow-app-auth value a correct client sends for `password` (default: the real one)."""
        digest = hashlib.sha256((self.app_secret + (password or self.password)).encode()).hexdigest()
        return "Basic " + base64.b64encode(f"{self.app_id}:{digest}".encode()).decode()

    def environment(self, url: str) -> dict[str, str]:
        return {
            "RAINBOW_HOST": url,
            "RAINBOW_LOGIN": self.login,
            "RAINBOW_PASSWORD": self.password,
            "RAINBOW_APP_ID": self.app_id,
            "RAINBOW_APP_SECRET": self.app_secret,
        }


@dataclass
class TokenPolicy:
    """Changed at run time by /sandbox/faults; applies to tokens issued afterwards."""

    lifetime_seconds: int
    max_renew: int


@dataclass
class _LoginRecord:
    consecutive_failures: int = 0
    locked_until: datetime | None = None


class Authenticator:
    """Implements the Rainbow auth API 1.104.0 and wire decisions §9-§11 for the single bp_admin account."""

    def __init__(
        self, state: SandboxState, credentials: SandboxCredentials, clock: SandboxClock, policy: TokenPolicy
    ) -> None:
        self._state = state
        self._credentials = credentials
        self._clock = clock
        self.policy = policy
        self._signing_key = secrets.token_hex(32)
        self._records: dict[str, _LoginRecord] = {}
        self._revoked: set[str] = set()

    def login(self, authorization: str | None, app_auth: str | None) -> dict[str, Any]:
        """A failure (wrong login, password, app id or app hash) counts towards the lock; during the
        lock every attempt is refused with 401501 and a failed one restarts the lock."""
        login, password = _basic_pair(authorization)
        record = self._records.setdefault(login.casefold(), _LoginRecord())
        now = self._clock.now()
        succeeded = self._password_ok(login, password) and self._app_auth_ok(app_auth, password)
        if record.locked_until is not None and now < record.locked_until:
            if not succeeded:
                record.locked_until = now + LOCK_DURATION
            raise SandboxError(401, "Too many failed login attempts: account locked", LOGIN_LOCKED)
        if not succeeded:
            record.consecutive_failures += 1
            if record.consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                record.consecutive_failures = 0
                record.locked_until = now + LOCK_DURATION
            raise SandboxError(401, "Invalid login, password or application credentials", LOGIN_FAILED)
        record.consecutive_failures = 0
        record.locked_until = None
        return self._session(self._issue(count_renewed=0, max_renew=self.policy.max_renew))

    def _password_ok(self, login: str, password: str) -> bool:
        return login.casefold() == self._credentials.login.casefold() and hmac.compare_digest(
            password.encode(), self._credentials.password.encode()
        )

    def _app_auth_ok(self, app_auth: str | None, password: str) -> bool:
        """Lower-case hex of sha256(appSecret + password), no separator, exactly as documented."""
        try:
            app_id, digest = _basic_pair(app_auth)
        except SandboxError:
            return False
        expected = hashlib.sha256((self._credentials.app_secret + password).encode()).hexdigest()
        return app_id == self._credentials.app_id and hmac.compare_digest(digest, expected)

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The claims of a valid, unexpired, unrevoked Bearer JWT (401 "Invalid token" / "jwt expired" otherwise)."""
        token = _bearer(authorization)
        try:
            claims: dict[str, Any] = jwt.decode(
                token, self._signing_key, algorithms=["HS256"], options={"require": ["exp", "iat"]}
            )
        except jwt.ExpiredSignatureError as expired:
            raise SandboxError(401, "jwt expired", TOKEN_EXPIRED) from expired
        except jwt.InvalidTokenError as invalid:
            raise SandboxError(401, "Invalid token", TOKEN_INVALID) from invalid
        if token in self._revoked or claims.get("user", {}).get("id") != self._state.account.id:
            raise SandboxError(401, "Invalid token", TOKEN_INVALID)
        return claims

    def renew(self, authorization: str | None) -> dict[str, Any]:
        claims = self.verify(authorization)
        if claims["countRenewed"] >= claims["maxTokenRenew"]:
            raise SandboxError(401, "Maximum number of token renewals reached", TOKEN_RENEW_EXHAUSTED)
        return self._session(self._issue(claims["countRenewed"] + 1, claims["maxTokenRenew"]))

    def logout(self, authorization: str | None) -> dict[str, Any]:
        self.verify(authorization)
        self._revoked.add(_bearer(authorization))
        return {"token": ""}

    def _issue(self, count_renewed: int, max_renew: int) -> str:
        issued_at = int(time.time())
        account = self._state.account
        token = jwt.encode(
            {
                "countRenewed": count_renewed,
                "maxTokenRenew": max_renew,
                "user": {"id": account.id, "loginEmail": account.login_email},
                "app": {"id": self._credentials.app_id, "name": self._credentials.app_name},
                "iat": issued_at,
                "exp": issued_at + self.policy.lifetime_seconds,
            },
            self._signing_key,
            algorithm="HS256",
        )
        self._revoked.discard(token)
        return token

    def _session(self, token: str) -> dict[str, Any]:
        """The login/renew body, deliberately without the `data` wrapper (Rainbow auth API 1.104.0, GET /login)."""
        return {
            "token": token,
            "loggedInUser": logged_in_user(self._state),
            "loggedInApplication": {
                "id": self._credentials.app_id,
                "name": self._credentials.app_name,
                "env": "not_deployed",
                "state": "active",
            },
        }


def _basic_pair(header: str | None) -> tuple[str, str]:
    if not header or not header.startswith("Basic "):
        raise SandboxError(401, "Missing Basic authorization", LOGIN_FAILED)
    try:
        decoded = base64.b64decode(header[len("Basic ") :].strip(), validate=True).decode("latin-1")
    except (binascii.Error, UnicodeDecodeError) as malformed:
        raise SandboxError(401, "Malformed Basic authorization", LOGIN_FAILED) from malformed
    user, separator, secret = decoded.partition(":")
    if not separator:
        raise SandboxError(401, "Malformed Basic authorization", LOGIN_FAILED)
    return user, secret


def _bearer(header: str | None) -> str:
    if not header or not header.startswith("Bearer ") or not header[len("Bearer ") :].strip():
        raise SandboxError(401, "Missing or malformed Bearer token", TOKEN_INVALID)
    return header[len("Bearer ") :].strip()
