"""Typed views of Rainbow objects.

Every `from_api` is tolerant: missing fields become None, unknown fields are ignored, "id" falls
back to "_id" (format=small lists, wire decisions §4), and dates become aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

ApiObject = Mapping[str, Any]


def object_id(raw: ApiObject) -> str:
    value = raw.get("id") or raw.get("_id") or ""
    return str(value)


def text(raw: ApiObject, key: str) -> str | None:
    value = raw.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def flag(raw: ApiObject, key: str) -> bool | None:
    value = raw.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def timestamp(raw: ApiObject, key: str) -> datetime | None:
    """ISO 8601 date to an aware UTC datetime; a naive date is taken as UTC."""
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class LoggedInUser:
    """The bot's own account, from the login answer's `loggedInUser` (auth API 1.104.0, GetBasicLogin)."""

    id: str
    login_email: str | None
    display_name: str | None
    company_id: str
    company_name: str | None
    roles: tuple[str, ...]
    admin_type: str | None
    is_in_default_company: bool | None

    @property
    def is_bp_admin(self) -> bool:
        return "bp_admin" in self.roles or self.admin_type == "bp_admin"

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        roles = raw.get("roles")
        return cls(
            id=object_id(raw),
            login_email=text(raw, "loginEmail"),
            display_name=text(raw, "displayName"),
            company_id=text(raw, "companyId") or "",
            company_name=text(raw, "companyName"),
            roles=tuple(str(role) for role in roles) if isinstance(roles, list) else (),
            admin_type=text(raw, "adminType"),
            is_in_default_company=flag(raw, "isInDefaultCompany"),
        )


@dataclass(frozen=True)
class Country:
    """An entry of GET /enduser/v1.0/countries: `{isoAlpha3Code, fullname}` (SPEC-enduser 1.84.0 getCountries
    example and `getCountriesSuccess_data`), with `isoAlpha2Code` and `states` in newer answers (Rainbow-Node-SDK
    AdminService.ts getListOfCountries). `states` is read whether it lists codes or objects carrying one."""

    alpha3: str
    name: str
    alpha2: str | None = None
    states: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        alpha3 = (text(raw, "isoAlpha3Code") or "").upper()
        states = raw.get("states")
        return cls(
            alpha3=alpha3,
            name=text(raw, "fullname") or alpha3,
            alpha2=text(raw, "isoAlpha2Code"),
            states=tuple(code for code in map(_state_code, states) if code) if isinstance(states, list) else (),
        )


def _state_code(raw: object) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, Mapping):
        for key in ("code", "isoCode", "stateCode", "id"):
            if value := text(raw, key):
                return value
    return None


@dataclass(frozen=True)
class Company:
    """A Rainbow company (admin API 1.82.0, GetCompanies/GetCompaniesId); format=small lists carry id and name only."""

    id: str
    name: str
    country: str | None
    state: str | None
    status: str | None
    visibility: str | None
    bp_id: str | None
    external_reference: str | None
    external_reference2: str | None
    support_email: str | None
    creation_date: datetime | None

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        return cls(
            id=object_id(raw),
            name=text(raw, "name") or "",
            country=text(raw, "country"),
            state=text(raw, "state"),
            status=text(raw, "status"),
            visibility=text(raw, "visibility"),
            bp_id=text(raw, "bpId"),
            external_reference=text(raw, "externalReference"),
            external_reference2=text(raw, "externalReference2"),
            support_email=text(raw, "supportEmail"),
            creation_date=timestamp(raw, "creationDate"),
        )


@dataclass(frozen=True)
class JoinInvitation:
    """An invitation to join a company, here as its administrator.

    The invitee's e-mail is `invitedUserLoginEmail` in the schema (SPEC-admin 1.82.0 line 29525) but
    `invitedUserEmail` in every example (lines 6841-7537): both are read.
    """

    id: str
    company_id: str | None
    company_name: str | None
    invited_user_id: str | None
    invited_user_login_email: str | None
    inviting_admin_id: str | None
    inviting_admin_login_email: str | None
    invitation_date: datetime | None
    last_notification_date: datetime | None
    requested_notification_language: str | None
    status: str | None
    acceptation_date: datetime | None
    declination_date: datetime | None
    invited_to_be_company_admin: bool | None

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        return cls(
            id=object_id(raw),
            company_id=text(raw, "companyId"),
            company_name=text(raw, "companyName"),
            invited_user_id=text(raw, "invitedUserId"),
            invited_user_login_email=text(raw, "invitedUserLoginEmail") or text(raw, "invitedUserEmail"),
            inviting_admin_id=text(raw, "invitingAdminId"),
            inviting_admin_login_email=text(raw, "invitingAdminLoginEmail"),
            invitation_date=timestamp(raw, "invitationDate"),
            last_notification_date=timestamp(raw, "lastNotificationDate"),
            requested_notification_language=text(raw, "requestedNotificationLanguage"),
            status=text(raw, "status"),
            acceptation_date=timestamp(raw, "acceptationDate"),
            declination_date=timestamp(raw, "declinationDate"),
            invited_to_be_company_admin=flag(raw, "invitedToBeCompanyAdmin"),
        )


@dataclass(frozen=True)
class LinkInvitation:
    """The BP's invitation to an existing company to be its reseller (admin API 1.82.0, GetLinkECToBPInvitations)."""

    id: str
    inviting_company_id: str | None
    inviting_company_name: str | None
    invited_company_id: str | None
    invited_company_name: str | None
    invited_to_be_bp_ir: bool | None
    inviting_admin_id: str | None
    inviting_admin_login_email: str | None
    invitation_date: datetime | None
    last_notification_date: datetime | None
    requested_notification_language: str | None
    status: str | None
    acceptation_date: datetime | None
    declination_date: datetime | None

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        return cls(
            id=object_id(raw),
            inviting_company_id=text(raw, "invitingCompanyId"),
            inviting_company_name=text(raw, "invitingCompanyName"),
            invited_company_id=text(raw, "invitedCompanyId"),
            invited_company_name=text(raw, "invitedCompanyName"),
            invited_to_be_bp_ir=flag(raw, "invitedToBeBpIr"),
            inviting_admin_id=text(raw, "invitingAdminId"),
            inviting_admin_login_email=text(raw, "invitingAdminLoginEmail"),
            invitation_date=timestamp(raw, "invitationDate"),
            last_notification_date=timestamp(raw, "lastNotificationDate"),
            requested_notification_language=text(raw, "requestedNotificationLanguage"),
            status=text(raw, "status"),
            acceptation_date=timestamp(raw, "acceptationDate"),
            declination_date=timestamp(raw, "declinationDate"),
        )


@dataclass(frozen=True)
class LinkRequest:
    """A customer's request to have the BP as its reseller (admin API 1.82.0, GetLinkECToBPRequests)."""

    id: str
    requesting_company_id: str | None
    requesting_company_name: str | None
    requested_company_id: str | None
    requested_company_name: str | None
    requested_to_be_bp_ir: bool | None
    requesting_admin_id: str | None
    requesting_admin_login_email: str | None
    request_date: datetime | None
    last_notification_date: datetime | None
    requested_notification_language: str | None
    status: str | None
    acceptation_date: datetime | None
    declination_date: datetime | None
    custom_message: str | None = None

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        """`customMessage` is undocumented (admin API 1.82.0 GetLinkECToBPRequests); read when Rainbow sends it."""
        return cls(
            id=object_id(raw),
            custom_message=text(raw, "customMessage"),
            requesting_company_id=text(raw, "requestingCompanyId"),
            requesting_company_name=text(raw, "requestingCompanyName"),
            requested_company_id=text(raw, "requestedCompanyId"),
            requested_company_name=text(raw, "requestedCompanyName"),
            requested_to_be_bp_ir=flag(raw, "requestedToBeBpIr"),
            requesting_admin_id=text(raw, "requestingAdminId"),
            requesting_admin_login_email=text(raw, "requestingAdminLoginEmail"),
            request_date=timestamp(raw, "requestDate"),
            last_notification_date=timestamp(raw, "lastNotificationDate"),
            requested_notification_language=text(raw, "requestedNotificationLanguage"),
            status=text(raw, "status"),
            acceptation_date=timestamp(raw, "acceptationDate"),
            declination_date=timestamp(raw, "declinationDate"),
        )


@dataclass(frozen=True)
class RainbowUser:
    """A user of the Default company, a candidate administrator (wire decisions §7)."""

    id: str
    login_email: str | None
    display_name: str
    first_name: str | None
    last_name: str | None
    company_id: str | None

    @classmethod
    def from_api(cls, raw: ApiObject) -> Self:
        first_name, last_name = text(raw, "firstName"), text(raw, "lastName")
        full_name = " ".join(part for part in (first_name, last_name) if part)
        return cls(
            id=object_id(raw),
            login_email=text(raw, "loginEmail"),
            display_name=text(raw, "displayName") or full_name or text(raw, "loginEmail") or "",
            first_name=first_name,
            last_name=last_name,
            company_id=text(raw, "companyId"),
        )
