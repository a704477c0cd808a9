"""Async client for the Alcatel-Lucent Enterprise Rainbow REST API (imports nothing else of ours)."""

from bot.rainbow.client import RainbowClient
from bot.rainbow.errors import (
    UNKNOWN_OUTCOME,
    RainbowBadRequest,
    RainbowConflict,
    RainbowError,
    RainbowForbidden,
    RainbowLoginRefused,
    RainbowNotFound,
    RainbowRateLimited,
    RainbowSearchUnavailable,
    RainbowServerError,
    RainbowUnavailable,
    RainbowUnexpectedResponse,
)
from bot.rainbow.models import (
    Company,
    Country,
    JoinInvitation,
    LinkInvitation,
    LinkRequest,
    LoggedInUser,
    RainbowUser,
)
from bot.rainbow.retry import RetryPolicy

__all__ = [
    "UNKNOWN_OUTCOME",
    "Company",
    "Country",
    "JoinInvitation",
    "LinkInvitation",
    "LinkRequest",
    "LoggedInUser",
    "RainbowBadRequest",
    "RainbowClient",
    "RainbowConflict",
    "RainbowError",
    "RainbowForbidden",
    "RainbowLoginRefused",
    "RainbowNotFound",
    "RainbowRateLimited",
    "RainbowSearchUnavailable",
    "RainbowServerError",
    "RainbowUnavailable",
    "RainbowUnexpectedResponse",
    "RainbowUser",
    "RetryPolicy",
]
