"""Login credentials and the two headers of the Rainbow login call (Rainbow auth API 1.104.0, GET /login)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Protocol


class _SecretLike(Protocol):
    """Anything shaped like pydantic's SecretStr, without importing pydantic here."""

    def get_secret_value(self) -> str: ...


SecretInput = str | _SecretLike


class Secret:
    """A string that never shows itself in repr/str, so tracebacks and logs cannot leak it."""

    __slots__ = ("_value",)

    def __init__(self, value: SecretInput) -> None:
        self._value = value if isinstance(value, str) else value.get_secret_value()

    def reveal(self) -> str:
        """The real value, only for building the login headers."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def basic_auth_header(login: str, password: Secret) -> str:
    """`Authorization: Basic base64(login:password)`, the text encoded as Latin-1 like the official SDK
    (Rainbow-Node-SDK RESTService.ts: `btoa(login + ":" + password)`, npm btoa = Buffer.from(str, "binary")).

    Raises UnicodeEncodeError for a character outside Latin-1, which the SDK could not send either.
    """
    raw = f"{login}:{password.reveal()}".encode("latin-1")
    return "Basic " + base64.b64encode(raw).decode("ascii")


def latin1_safe(*texts: str) -> bool:
    """True when every text can be sent in the Basic authorization header."""
    try:
        for text in texts:
            text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def app_auth_header(app_id: str, app_secret: Secret, password: Secret) -> str:
    """`x-rainbow-app-auth`: base64(appId + ":" + lowercase hex sha256(appSecret + password)).

    Plain concatenation of secret and password, no separator (Rainbow auth API 1.104.0, GET /login).
    """
    digest = hashlib.sha256((app_secret.reveal() + password.reveal()).encode()).hexdigest()
    return "Basic " + base64.b64encode(f"{app_id}:{digest}".encode()).decode("ascii")


_JWT_PATTERN = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*")
_REDACTED = "[redacted]"


class Redactor:
    """Scrubs our secrets and anything JWT-shaped from text that may reach a person or a log."""

    def __init__(self, *secrets: Secret) -> None:
        self._values = sorted((s.reveal() for s in secrets if s.reveal()), key=len, reverse=True)

    def __call__(self, text: str | None) -> str | None:
        if not text:
            return text
        for value in self._values:
            text = text.replace(value, _REDACTED)
        return _JWT_PATTERN.sub(_REDACTED, text)
