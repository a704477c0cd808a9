"""Error parsing and the messages people will read (Rainbow's error body, wire decisions §5, §9)."""

import json

import pytest

from bot.rainbow.credentials import Redactor, Secret
from bot.rainbow.errors import (
    RainbowBadRequest,
    RainbowConflict,
    RainbowError,
    RainbowForbidden,
    RainbowLoginRefused,
    RainbowNotFound,
    RainbowRateLimited,
    RainbowServerError,
    RainbowUnavailable,
    error_class_for_status,
    error_fields,
    parse_error_body,
)

PASSWORD = "Tr0ub4dor&3"
APP_SECRET = "app-secret-xyz"
redact = Redactor(Secret(PASSWORD), Secret(APP_SECRET))


def _body(**fields: object) -> str:
    return json.dumps(fields)


def test_parses_documented_json_body() -> None:
    fields = parse_error_body(
        _body(
            errorCode=403,
            errorMsg="Forbidden",
            errorDetails="Not allowed",
            errorDetailsCode=403000,
            errorDetailsData={},
        )
    )

    assert fields == {
        "error_code": 403,
        "error_msg": "Forbidden",
        "error_details": "Not allowed",
        "error_details_code": 403000,
    }


def test_list_error_details_are_joined() -> None:
    fields = parse_error_body(
        _body(errorCode=400, errorMsg="Bad Request", errorDetails=["name is required", "country is invalid"])
    )

    assert fields["error_details"] == "name is required; country is invalid"


def test_error_details_objects_are_kept_as_text() -> None:
    fields = parse_error_body(_body(errorDetails=[{"param": "country", "msg": "invalid"}]))

    assert "country" in fields["error_details"]


def test_non_json_body_becomes_the_message() -> None:
    fields = parse_error_body("<html>502 Bad Gateway</html>")

    assert fields == {"error_msg": "<html>502 Bad Gateway</html>"}


def test_empty_and_odd_bodies() -> None:
    assert parse_error_body("") == {"error_msg": None}
    assert parse_error_body("[1, 2]") == {"error_msg": "[1, 2]"}
    assert parse_error_body(_body(errorDetailsCode="409003"))["error_details_code"] == 409003


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, RainbowBadRequest),
        (403, RainbowForbidden),
        (404, RainbowNotFound),
        (409, RainbowConflict),
        (429, RainbowRateLimited),
        (500, RainbowServerError),
        (503, RainbowServerError),
        (418, RainbowError),
    ],
)
def test_status_mapping(status: int, error_class: type[RainbowError]) -> None:
    assert error_class_for_status(status) is error_class


def test_error_carries_the_details() -> None:
    body = _body(errorCode=404, errorMsg="Not Found", errorDetails="Company not found", errorDetailsCode=404002)
    error = RainbowNotFound(**error_fields("get_company", 404, body, "req-42", redact))

    assert error.status == 404
    assert error.error_code == 404
    assert error.error_details_code == 404002
    assert error.request_id == "req-42"
    assert error.operation == "get_company"
    assert str(error) == "Rainbow could not find the requested object: Company not found."
    assert "req-42" in repr(error)


def test_conflict_tells_the_hourly_throttle_apart() -> None:
    throttle = RainbowConflict(
        status=409,
        error_details="An invitation has already been sent to this company less than one hour ago",
        error_details_code=409250,
    )
    state_conflict = RainbowConflict(status=409, error_details="Invitation is not pending", error_details_code=409003)

    assert throttle.is_invitation_throttle
    assert "once" in str(throttle).lower() or "one invitation" in str(throttle)
    assert not state_conflict.is_invitation_throttle


def test_login_refusal_message() -> None:
    refused = RainbowLoginRefused.for_login("bot@reseller.example.com", status=401, error_details_code=401500)
    locked = RainbowLoginRefused.for_login("bot@reseller.example.com", status=401, error_details_code=401501)

    expected = "Rainbow refused the login for bot@reseller.example.com: wrong password or application credentials"
    assert str(refused) == expected
    assert not refused.account_locked
    assert "locked this account" in str(locked)
    assert "wrong password" not in str(locked)
    assert locked.account_locked


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (401500, "wrong password or application credentials"),
        (401501, "locked this account after repeated failed logins"),
        (401521, "company is not active (for example on hold)"),
        (401523, "account has expired"),
    ],
)
def test_each_documented_login_refusal_is_told_in_its_own_words(code: int, words: str) -> None:
    refused = RainbowLoginRefused.for_login("bot@reseller.example.com", status=401, error_details_code=code)

    assert words in str(refused)
    others = {401500: "wrong password", 401501: "locked", 401521: "not active", 401523: "expired"}
    assert not any(other in str(refused) for key, other in others.items() if key != code)


def test_the_bare_validation_400_names_the_refused_field() -> None:
    """SPEC-admin 1.82.0, PostCompanies 400 example: `{param, msg, value}` with no errorCode."""
    bare = parse_error_body('{"param":"adminEmail","msg":"Invalid admin email address.","value":false}')
    listed = parse_error_body('[{"param":"supportEmail","msg":"Invalid","value":"a@b.agency"}]')
    standard = parse_error_body(
        '{"errorCode":400,"errorMsg":"Bad Request","errorDetailsCode":400000,'
        '"errorDetails":[{"param":"name","msg":"Invalid name","value":""},{"param":"country","msg":"Bad","value":"F"}]}'
    )

    assert bare["refused_fields"] == ("adminEmail",)
    assert bare["error_details"] == "adminEmail: Invalid admin email address."
    assert listed["refused_fields"] == ("supportEmail",)
    assert standard["refused_fields"] == ("name", "country")
    assert str(RainbowBadRequest(status=400, **bare)).startswith("Rainbow refused the field adminEmail:")


def test_unavailable_post_says_the_outcome_is_unknown() -> None:
    on_post = RainbowUnavailable(operation="create_company", method="POST", error_msg="no answer within 15 s")
    on_get = RainbowUnavailable(operation="get_company", method="GET", error_msg="no answer within 15 s")

    assert on_post.outcome_unknown
    assert "may or may not" in str(on_post)
    assert not on_get.outcome_unknown
    assert "may or may not" not in str(on_get)
    assert on_get.status is None


def test_no_secret_in_error_strings_or_reprs() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoxfQ.c2lnbmF0dXJl"
    echoing = _body(
        errorMsg=f"Unauthorized {PASSWORD}",
        errorDetails=[f"secret {APP_SECRET}", f"token {token}"],
        errorDetailsCode=401500,
    )
    errors = [
        RainbowLoginRefused.for_login("bot@x.example.com", **error_fields("login", 401, echoing, "r1", redact)),
        RainbowBadRequest(**error_fields("create_company", 400, echoing, "r2", redact)),
        RainbowServerError(**error_fields("get_company", 500, f"raw {PASSWORD} {token}", "r3", redact)),
    ]

    for error in errors:
        for shown in (str(error), repr(error), repr(error.fields())):
            assert PASSWORD not in shown
            assert APP_SECRET not in shown
            assert token not in shown
