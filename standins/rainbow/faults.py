"""Fault injection on /api/ calls: added latency and rules that answer an error or drop the connection."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from standins.rainbow.errors import bad_request

METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "*"})


@dataclass
class FaultRule:
    """Matches a method and path prefix; fires with probability `rate`, `times` times (None = forever)."""

    method: str
    path_prefix: str
    status: int = 503
    retry_after: float | None = None
    drop_connection: bool = False
    times: int | None = None
    rate: float = 1.0
    details_code: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and path.startswith(self.path_prefix)

    def describe(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path_prefix": self.path_prefix,
            "status": self.status,
            "retry_after": self.retry_after,
            "drop_connection": self.drop_connection,
            "times": self.times,
            "rate": self.rate,
            "details_code": self.details_code,
        }


def parse_rule(raw: Any) -> FaultRule:
    """Validate one rule from the /sandbox/faults body."""
    if not isinstance(raw, dict):
        raise bad_request("Each fault rule must be a JSON object")
    method = raw.get("method", "*")
    path_prefix = raw.get("path_prefix", "/api/")
    status = raw.get("status", 503)
    retry_after = raw.get("retry_after")
    drop_connection = raw.get("drop_connection", False)
    times = raw.get("times")
    rate = raw.get("rate", 1.0)
    details_code = raw.get("details_code")
    problems = []
    if method not in METHODS:
        problems.append(f"'method' must be one of {sorted(METHODS)}")
    if not isinstance(path_prefix, str) or not path_prefix.startswith("/"):
        problems.append("'path_prefix' must be a path starting with '/'")
    if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
        problems.append("'status' must be an HTTP error code (400-599)")
    if retry_after is not None and (not isinstance(retry_after, int | float) or retry_after < 0):
        problems.append("'retry_after' must be a non-negative number of seconds")
    if not isinstance(drop_connection, bool):
        problems.append("'drop_connection' must be a boolean")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        problems.append("'times' must be a positive integer or null")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
        problems.append("'rate' must be a number between 0 and 1")
    if details_code is not None and (not isinstance(details_code, int) or isinstance(details_code, bool)):
        problems.append("'details_code' must be an integer (Rainbow's errorDetailsCode)")
    if problems:
        raise bad_request(problems)
    return FaultRule(method, path_prefix, status, retry_after, drop_connection, times, float(rate), details_code)


class Faults:
    """The active faults; `rate` draws come from a seeded generator so runs are repeatable."""

    def __init__(self) -> None:
        self.latency_ms = 0
        self.rules: list[FaultRule] = []
        self._draws = random.Random(1729)

    def configure(self, latency_ms: Any = None, rules: Any = None) -> None:
        """Replace the latency and/or the rule list (each only when given)."""
        if latency_ms is not None:
            if not isinstance(latency_ms, int) or isinstance(latency_ms, bool) or latency_ms < 0:
                raise bad_request("'latency_ms' must be a non-negative integer")
            self.latency_ms = latency_ms
        if rules is not None:
            if not isinstance(rules, list):
                raise bad_request("'rules' must be a list")
            self.rules = [parse_rule(raw) for raw in rules]

    def clear(self) -> None:
        self.latency_ms = 0
        self.rules = []

    def fire(self, method: str, path: str) -> FaultRule | None:
        """The first matching rule that fires for this request, using up one of its `times`."""
        for rule in self.rules:
            if not rule.matches(method, path) or self._draws.random() >= rule.rate:
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times == 0:
                    self.rules.remove(rule)
            return rule
        return None

    def describe(self) -> dict[str, Any]:
        return {"latency_ms": self.latency_ms, "rules": [rule.describe() for rule in self.rules]}
