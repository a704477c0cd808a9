"""What the bot answered a request from Slack."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BotAnswer:
    """What the bot answered Slack: the HTTP status and the ack body (response_action, options, text…)."""

    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> dict[str, Any] | None:
        """The body as JSON, or None when the ack was empty or not JSON."""
        if not self.text:
            return None
        try:
            parsed = json.loads(self.text)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
