"""What the fake saw: every Web API call with its decoded arguments and the answer it gave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Call:
    """One Web API request: `params` are decoded (JSON strings in form bodies become objects)."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    answer: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.answer.get("ok"))

    @property
    def error(self) -> str | None:
        return None if self.ok else str(self.answer.get("error", f"http_{self.status}"))

    def __str__(self) -> str:
        outcome = "ok" if self.ok else self.error
        return f"{self.method} -> {outcome}"
