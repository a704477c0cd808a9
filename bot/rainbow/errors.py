"""Typed Rainbow errors, built from Rainbow's error body (as rainbow-node-sdk 2.46.1 reads it).

`str(error)` is a sentence for a person (the Slack app shows it); the attributes carry the
details for logs and support. Nothing here ever contains a password, app secret or token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

_MAX_RAW_BODY = 300
THROTTLE_DETAILS_CODES = frozenset({409250, 400250})
WRONG_CREDENTIALS_CODE = 401500
LOCKED_DETAILS_CODE = 401501
COMPANY_NOT_ACTIVE_CODE = 401521
ACCOUNT_EXPIRED_CODE = 401523
# Why Rainbow refused the login, by errorDetailsCode: 401500/401501 in the authentication portal's
# GetBasicLogin description (S2S-doc AuthenticationApi.md), 401521 in its 401 example (SPEC-auth 1.104.0),
# 401523 in every 401 example of SPEC-admin 1.82.0.
LOGIN_REFUSALS = {
    WRONG_CREDENTIALS_CODE: "wrong password or application credentials",
    LOCKED_DETAILS_CODE: (
        "Rainbow has locked this account after repeated failed logins; it unlocks about an hour"
        " after the last failed attempt"
    ),
    COMPANY_NOT_ACTIVE_CODE: "the bot's Rainbow company is not active (for example on hold); ask ALE to reactivate it",
    ACCOUNT_EXPIRED_CODE: "the bot's Rainbow account has expired (its time to live is over); ask ALE to renew it",
}


class RainbowError(Exception):
    """Base class of everything the Rainbow client raises."""

    outcome: ClassVar[str] = "error"
    summary: ClassVar[str] = "Rainbow returned an error"

    def __init__(
        self,
        message: str | None = None,
        *,
        operation: str = "",
        status: int | None = None,
        error_code: int | None = None,
        error_msg: str | None = None,
        error_details: str | None = None,
        error_details_code: int | None = None,
        request_id: str | None = None,
        refused_fields: tuple[str, ...] = (),
    ) -> None:
        self.operation = operation
        self.refused_fields = refused_fields
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_details = error_details
        self.error_details_code = error_details_code
        self.request_id = request_id
        super().__init__(message or self._default_message())

    def fields(self) -> dict[str, Any]:
        """The details, to re-raise them as a more specific error."""
        return {
            "operation": self.operation,
            "status": self.status,
            "error_code": self.error_code,
            "error_msg": self.error_msg,
            "error_details": self.error_details,
            "error_details_code": self.error_details_code,
            "request_id": self.request_id,
            "refused_fields": self.refused_fields,
        }

    @property
    def is_invitation_throttle(self) -> bool:
        """True for the one-bp-link-invitation-per-company-per-hour limit. No API source documents its
        status or code (only the help centre states the limit), so the wording is checked as well."""
        details = (self.error_details or "").lower()
        return self.error_details_code in THROTTLE_DETAILS_CODES or (
            "less than one hour" in details or "once per hour" in details
        )

    def _default_message(self) -> str:
        if self.is_invitation_throttle:
            return "Rainbow accepts only one invitation per company per hour; try again later."
        text = self.summary
        if self.error_details:
            text += f": {self.error_details}"
        elif self.error_msg:
            text += f": {self.error_msg}"
        return text + "."

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(operation={self.operation!r}, status={self.status}, "
            f"error_details_code={self.error_details_code}, request_id={self.request_id!r}, "
            f"message={str(self)!r})"
        )


class RainbowLoginRefused(RainbowError):
    """Rainbow answered 401 to the login (or the bot refused to try): told by its errorDetailsCode.

    Never retried in a loop: 5 failures lock the real account for an hour.
    """

    outcome = "login_refused"

    @classmethod
    def for_login(cls, login: str, **fields: Any) -> RainbowLoginRefused:
        code = fields.get("error_details_code")
        reason = LOGIN_REFUSALS.get(code) if isinstance(code, int) else None
        if reason is None:
            reason = "wrong password or application credentials"
            if code is not None or fields.get("error_details"):
                reason += f" (Rainbow said: {fields.get('error_details') or code})"
        return cls(f"Rainbow refused the login for {login}: {reason}", **fields)

    @classmethod
    def unusable_password(cls, login: str) -> RainbowLoginRefused:
        """The password cannot be sent as Rainbow's clients send it, so no attempt is made (none is counted)."""
        return cls(
            f"The Rainbow password of {login} contains characters outside Latin-1, which the Basic"
            " authentication of Rainbow's official SDK cannot carry; not trying to log in (set an ASCII or"
            " Latin-1 password for the bot's account)",
            operation="login",
        )

    @property
    def account_locked(self) -> bool:
        return self.error_details_code == LOCKED_DETAILS_CODE


class RainbowBadRequest(RainbowError):
    """400: Rainbow rejected the request as invalid; `refused_fields` names the fields it refused."""

    outcome = "bad_request"
    summary = "Rainbow rejected the request as invalid"

    def _default_message(self) -> str:
        if self.refused_fields and not self.is_invitation_throttle:
            return f"Rainbow refused the field {', '.join(self.refused_fields)}: {self.error_details}."
        return super()._default_message()


class RainbowForbidden(RainbowError):
    """403: the bot's account lacks the rights for this action."""

    outcome = "forbidden"
    summary = "Rainbow refused this action for the bot's account"


class RainbowNotFound(RainbowError):
    """404: the object does not exist (or is not visible to the bot's account)."""

    outcome = "not_found"
    summary = "Rainbow could not find the requested object"


class RainbowConflict(RainbowError):
    """409: the object is not in a state that allows the action; re-read it before deciding."""

    outcome = "conflict"
    summary = "The object changed in Rainbow in the meantime"


class RainbowRateLimited(RainbowError):
    """429: Rainbow asked the bot to slow down."""

    outcome = "rate_limited"
    summary = "Rainbow is receiving too many requests from the bot; try again in a moment"


class RainbowServerError(RainbowError):
    """5xx: a failure on Rainbow's side."""

    outcome = "server_error"
    summary = "Rainbow had an internal problem"


class RainbowUnavailable(RainbowError):
    """Rainbow could not be reached (timeout or connection error): there is no HTTP status.

    For a POST the outcome is UNKNOWN: the object may or may not have been created. Read the
    state back before trying again.
    """

    outcome = "unavailable"
    summary = "Rainbow could not be reached"

    def __init__(self, message: str | None = None, *, method: str = "", **fields: Any) -> None:
        self.method = method
        super().__init__(message, **fields)

    @property
    def outcome_unknown(self) -> bool:
        """True when the request may have reached Rainbow and changed something."""
        return self.method == "POST"

    def _default_message(self) -> str:
        text = f"{self.summary} ({self.error_msg or 'no answer'})"
        if self.outcome_unknown:
            text += "; the action may or may not have been applied: check its state before retrying"
        return text + "."


class RainbowSearchUnavailable(RainbowError):
    """Rainbow refused the search of users without a company (403/404) for the bot's account.

    Listing Default-company users is unconfirmed for a bp_admin (docs/rainbow-wire-decisions.md); the UI
    degrades to inviting the administrator by e-mail.
    """

    outcome = "search_unavailable"
    summary = (
        "Searching Rainbow users without a company is not available to the bot's account;"
        " invite the administrator by e-mail instead"
    )

    def _default_message(self) -> str:
        return self.summary + "."


class RainbowUnexpectedResponse(RainbowError):
    """A 2xx answer the client could not understand (not JSON, or not the documented shape)."""

    outcome = "unexpected_response"
    summary = "Rainbow sent an answer the bot could not understand"


_BY_STATUS: dict[int, type[RainbowError]] = {
    400: RainbowBadRequest,
    403: RainbowForbidden,
    404: RainbowNotFound,
    409: RainbowConflict,
    429: RainbowRateLimited,
}


# A timeout or a 5xx leaves unknown whether Rainbow acted: the caller must look before retrying.
UNKNOWN_OUTCOME: tuple[type[RainbowError], ...] = (RainbowUnavailable, RainbowServerError)


def error_class_for_status(status: int) -> type[RainbowError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return RainbowServerError
    return RainbowError


def error_fields(
    operation: str,
    status: int,
    body: str,
    request_id: str | None,
    redact: Callable[[str | None], str | None],
) -> dict[str, Any]:
    """Keyword arguments for any RainbowError subclass, with secrets scrubbed from the texts."""
    fields = parse_error_body(body)
    for key in ("error_msg", "error_details"):
        fields[key] = redact(fields.get(key))
    return {**fields, "operation": operation, "status": status, "request_id": request_id}


def parse_error_body(text: str) -> dict[str, Any]:
    """The documented error fields, read defensively.

    Three shapes are documented (SPEC-admin 1.82.0): the standard `{errorCode, errorMsg, errorDetails,
    errorDetailsCode}` where `errorDetails` is a text, an object (401523) or a list of `{param, msg, value}`
    (400000, GetCompaniesId 400); and the bare `{param, msg, value}` of the PostCompanies 400 example.
    A list of bare items is read too. A non-JSON body becomes `error_msg` (truncated), as the SDK does.
    """
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if _validation_items(body):
        return {"error_details": _as_text(_validation_text(body)), "refused_fields": _refused_fields(body)}
    if not isinstance(body, dict):
        raw = text.strip()
        return {"error_msg": raw[:_MAX_RAW_BODY] or None}
    details = body.get("errorDetails")
    fields: dict[str, Any] = {
        "error_code": _as_int(body.get("errorCode")),
        "error_msg": _as_text(body.get("errorMsg")),
        "error_details": _as_text(_validation_text(details) if _validation_items(details) else details),
        "error_details_code": _as_int(body.get("errorDetailsCode")),
    }
    if _validation_items(details):
        fields["refused_fields"] = _refused_fields(details)
    return fields


def _validation_items(value: object) -> list[dict[str, Any]]:
    """The `{param, msg, value}` items of a validation answer (one bare object or a list), else []."""
    items = value if isinstance(value, list) else [value]
    found = [item for item in items if isinstance(item, dict) and "param" in item and "msg" in item]
    return found if found and len(found) == len(items) else []


def _validation_text(value: object) -> str:
    return "; ".join(f"{item['param']}: {item['msg']}" for item in _validation_items(value))


def _refused_fields(value: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(item["param"]) for item in _validation_items(value)))


def _as_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        parts = [_as_text(item) for item in value]
        return "; ".join(part for part in parts if part) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)[:_MAX_RAW_BODY]
    return str(value)[:_MAX_RAW_BODY]


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
