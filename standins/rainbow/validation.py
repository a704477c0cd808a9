"""Body field checks for creates and invitations; every problem found is reported at once as a 400 list."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pycountry
from email_validator import EmailNotValidError, validate_email

from standins.rainbow.errors import bad_request
from standins.rainbow.models import Visibility
from standins.rainbow.swagger import load_spec

NAME_MAX_LENGTH = 255
TEXT_MAX_LENGTH = 255
MESSAGE_MAX_LENGTH = 4000
COUNTRIES_WITH_REQUIRED_STATE = {"USA": "US", "CAN": "CA"}


def json_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def country_exists(code: str) -> bool:
    """Only upper-case ISO 3166-1 alpha-3 codes are known ("FRA"; not "fra", "FR" or "France")."""
    return len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None


@cache
def rainbow_states() -> dict[str, frozenset[str]]:
    """The USA and Canada code lists of the PostCompanies `state` description (admin OpenAPI 1.82.0)."""
    description = load_spec("admin.swagger.json")["definitions"]["PostCompanies"]["properties"]["state"]["description"]
    usa, _, canada = description.partition("Canada states code list")
    return {
        "USA": frozenset(re.findall(r"`([A-Z]{2})`", usa)),
        "CAN": frozenset(re.findall(r"`([A-Z]{2})`", canada)),
    }


def state_exists(country_alpha3: str, state: str) -> bool:
    """`state` is one of the codes Rainbow lists for that country ("NY", "QC")."""
    return state in rainbow_states()[country_alpha3]


def email_is_valid(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


class BodyChecker:
    """Reads typed fields out of a JSON body, collecting every error before raising one 400."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.errors: list[dict[str, Any]] = []

    def refuse(self, param: str, msg: str, value: Any) -> None:
        """One problem, in the `{param, msg, value}` form of Rainbow's validation errors (SPEC-admin 400000)."""
        self.errors.append({"param": param, "msg": msg, "value": value})

    def text(self, key: str, *, required: bool = False, max_length: int = TEXT_MAX_LENGTH) -> str | None:
        value = self.body.get(key)
        if value is None:
            if required:
                self.refuse(key, "is required", value)
            return None
        if not isinstance(value, str):
            self.refuse(key, "must be a string", value)
            return None
        if required and not value.strip():
            self.refuse(key, "must not be empty", value)
            return None
        if len(value) > max_length:
            self.refuse(key, f"must be at most {max_length} characters", value)
            return None
        return value

    def flag(self, key: str) -> bool:
        """A JSON boolean; the strings "true"/"false" are refused in a body."""
        value = self.body.get(key, False)
        if not isinstance(value, bool):
            self.refuse(key, "must be a boolean", value)
            return False
        return value

    def email(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not email_is_valid(value):
            self.refuse(key, "is not a valid e-mail address", value)
            return None
        return value

    def visibility(self, key: str = "visibility") -> str:
        value = self.text(key)
        if value is None:
            return Visibility.PRIVATE.value
        allowed = [v.value for v in Visibility]
        if value not in allowed:
            self.refuse(key, f"must be one of {allowed}", value)
            return Visibility.PRIVATE.value
        return value

    def country_and_state(self) -> tuple[str | None, str | None]:
        """country (optional): a known alpha-3 code; state: required and checked for USA/CAN, else ignored."""
        country = self.text("country")
        if country is None:
            return None, None
        if not country_exists(country):
            self.refuse("country", "must be an ISO 3166-1 alpha-3 code", country)
            return None, None
        if country not in COUNTRIES_WITH_REQUIRED_STATE:
            return country, None
        state = self.text("state")
        if state is None:
            self.refuse("state", f"is required when country is {country}", None)
        elif not state_exists(country, state):
            self.refuse("state", f"is not a state code Rainbow lists for {country}", state)
        return country, state

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise bad_request(self.errors)
