"""The one way the fake refuses something: an error code exactly as Slack spells it."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """`{"ok": false, "error": code}`; `messages` become `response_metadata.messages` as Slack sends them."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error if not messages else f"{error}: {'; '.join(messages)}")
        self.error = error
        self.messages = messages or []

    def as_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["errors"] = self.messages
            body["response_metadata"] = {"messages": self.messages}
        return body


class RateLimited(SlackError):
    """HTTP 429 with `Retry-After`, Slack's answer to a caller going too fast."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("ratelimited")
        self.retry_after = retry_after
