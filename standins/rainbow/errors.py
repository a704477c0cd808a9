"""Rainbow's documented error body, raised from anywhere in the sandbox and rendered by one middleware."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

# Detailed codes. The auth and throttle ones come from docs/rainbow-wire-decisions.md; the others follow
# the documented "HTTP code x 1000 + n" pattern and are our own choice.
LOGIN_FAILED = 401500
LOGIN_LOCKED = 401501
# No code is documented for a bad or expired Bearer token (401521 means "company not active", SPEC-auth):
# the official SDK recognises expiry by errorDetails "jwt expired" (connection/HttpService.ts), so both use 401000.
TOKEN_INVALID = 401000
TOKEN_EXPIRED = 401000
TOKEN_RENEW_EXHAUSTED = 401522
VALIDATION_FAILED = 400000
WRONG_COMPANY_FOR_ACTION = 400100
FORBIDDEN = 403000
USER_NOT_IN_DEFAULT_COMPANY = 403620
USERS_SEARCH_FORBIDDEN = 403630
NOT_FOUND = 404000
WRONG_STATUS = 409003
COMPANY_HAS_USERS = 409004
# admin_PostLinkEcToBpInvite documents 200/400/401/403/404/500 and no 409 (admin OpenAPI 1.82.0), so its
# refusals are 400s; the codes and the throttle itself are not documented (only the help centre mentions it).
LINK_INVITATION_THROTTLED = 400250
LINK_RESEND_THROTTLED = 409250
COMPANY_ALREADY_HAS_BP = 409251
INVITED_COMPANY_HAS_BP = 400251

LINK_THROTTLE_MESSAGE = "An invitation has already been sent to this company less than one hour ago"


class SandboxError(Exception):
    """A refusal the sandbox answers with Rainbow's error body (errorCode, errorMsg, errorDetails...)."""

    def __init__(self, status: int, details: str | list[Any], details_code: int | None = None) -> None:
        super().__init__(details if isinstance(details, str) else "; ".join(map(str, details)))
        self.status = status
        self.details = details
        self.details_code = details_code if details_code is not None else status * 1000

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.details, self.details_code)


def error_body(status: int, details: str | list[Any], details_code: int) -> dict[str, Any]:
    """The error JSON every non-2xx /api/ answer carries (Rainbow's error body; wire decisions §13)."""
    return {
        "errorCode": status,
        "errorMsg": HTTPStatus(status).phrase,
        "errorDetails": details,
        "errorDetailsCode": details_code,
    }


def bad_request(details: str | list[Any], code: int = VALIDATION_FAILED) -> SandboxError:
    return SandboxError(400, details, code)


def forbidden(details: str, code: int = FORBIDDEN) -> SandboxError:
    return SandboxError(403, details, code)


def not_found(details: str) -> SandboxError:
    return SandboxError(404, details, NOT_FOUND)


def conflict(details: str, code: int = WRONG_STATUS) -> SandboxError:
    return SandboxError(409, details, code)
