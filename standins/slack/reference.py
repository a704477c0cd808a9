"""What Slack's reference says of each Web API method, read from slack-ruby/slack-api-ref's copies
in `api_ref/methods/` (see its README): arguments, scopes, documented errors, rate-limit tier.

The stand-in refuses from these files, never from a hand-made list: a missing required argument
or one the method does not take (`invalid_arguments` / `invalid_arg_name`), a method whose scopes
the workspace did not grant (`missing_scope`), and calls beyond the method's tier (HTTP 429). An
error the stand-in would answer that the method does not document is a bug in the stand-in.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from standins.slack.clock import FakeClock
from standins.slack.errors import RateLimited, SlackError

# The errors every method page of https://docs.slack.dev/reference/methods/ lists under "Common errors"
# (slack-api-ref keeps only each method's own ones).
COMMON_ERRORS = frozenset(
    {
        "access_denied",
        "accesslimited",
        "account_inactive",
        "deprecated_endpoint",
        "ekm_access_denied",
        "enterprise_is_restricted",
        "fatal_error",
        "internal_error",
        "invalid_arg_name",
        "invalid_arguments",
        "invalid_array_arg",
        "invalid_auth",
        "invalid_charset",
        "invalid_form_data",
        "invalid_json",
        "invalid_post_type",
        "json_not_object",
        "method_deprecated",
        "missing_post_type",
        "missing_scope",
        "no_permission",
        "not_allowed_token_type",
        "not_authed",
        "org_login_required",
        "ratelimited",
        "request_timeout",
        "service_unavailable",
        "team_access_not_granted",
        "team_added_to_org",
        "token_expired",
        "token_revoked",
        "two_factor_setup_required",
        "unknown_method",
    }
)
# Bolt gives each listener a client that adds `team_id` to every call (slack_bolt/app/async_app.py
# `_init_context`), as org-wide apps must (https://docs.slack.dev/enterprise/developing-for-enterprise-orgs);
# Slack takes it on every method.
ALWAYS_ACCEPTED = frozenset({"token", "team_id"})
# https://docs.slack.dev/apis/web-api/rate-limits: Tier 1 "1+ per minute", Tier 2 "20+", Tier 3 "50+",
# Tier 4 "100+"; slack-api-ref's `t5` is "Special" (each method its own rule, e.g. chat.postMessage's
# one message per second per channel, which `PostingPace` applies).
PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}
WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class MethodReference:
    name: str
    required: frozenset[str]
    arguments: frozenset[str]
    bot_scopes: frozenset[str]
    errors: frozenset[str]
    tier: str | None

    def check_arguments(self, params: dict[str, Any]) -> None:
        missing = sorted(self.required - ALWAYS_ACCEPTED - {k for k, v in params.items() if v not in (None, "")})
        if missing:
            raise SlackError("invalid_arguments", [f"[ERROR] missing required field: {name}" for name in missing])
        unknown = sorted(set(params) - self.arguments - ALWAYS_ACCEPTED)
        if unknown:
            raise SlackError("invalid_arg_name", [f"[ERROR] unknown argument: {name}" for name in unknown])

    def check_scopes(self, granted: frozenset[str]) -> None:
        """Slack lists every scope that can unlock the method; one of them is needed."""
        if self.bot_scopes and not self.bot_scopes & granted:
            raise SlackError("missing_scope", [f"[ERROR] needed: {', '.join(sorted(self.bot_scopes))}"])

    def documents(self, error: str) -> bool:
        return error in self.errors or error in COMMON_ERRORS


@cache
def reference(method: str) -> MethodReference | None:
    """The method's description, or None when the repository carries no copy of it."""
    source = resources.files("standins.slack").joinpath("api_ref", "methods", f"{method}.json")
    if not source.is_file():
        return None
    data = json.loads(source.read_text(encoding="utf-8"))
    args = data.get("args") or {}
    return MethodReference(
        name=method,
        required=frozenset(args.get("required") or []),
        arguments=frozenset((args.get("properties") or {}).keys()),
        bot_scopes=frozenset((data.get("scope") or {}).get("bot") or []),
        errors=frozenset((data.get("errors") or {}).keys()),
        tier=data.get("rate_limits"),
    )


class TierPace:
    """Per-method call counts over the last minute of the fake's clock, refused beyond the tier."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._calls: defaultdict[str, deque[float]] = defaultdict(deque)

    def admit(self, method: MethodReference) -> None:
        limit = PER_MINUTE.get(method.tier or "")
        if limit is None:
            return
        now = self._clock.now()
        calls = self._calls[method.name]
        while calls and now - calls[0] >= WINDOW_SECONDS:
            calls.popleft()
        if len(calls) >= limit:
            raise RateLimited(max(1, int(WINDOW_SECONDS - (now - calls[0])) + 1))
        calls.append(now)
