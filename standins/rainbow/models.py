"""In-memory records of the sandbox, written from Rainbow's API docs independently of the bot's client models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CompanyStatus(StrEnum):
    INITIALIZING = "initializing"
    ACTIVE = "active"
    ALERTING = "alerting"
    HOLD = "hold"
    TERMINATED = "terminated"


class Visibility(StrEnum):
    """The values the create operation documents (admin OpenAPI 1.82.0, PostCompanies.visibility)."""

    PUBLIC = "public"
    PRIVATE = "private"
    ORGANISATION = "organisation"


class InvitationStatus(StrEnum):
    """Shared by join-company invitations, bp-link invitations and bp-link requests."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    AUTO_ACCEPTED = "auto-accepted"
    DECLINED = "declined"
    CANCELED = "canceled"
    FAILED = "failed"


ANSWERED = frozenset({InvitationStatus.ACCEPTED, InvitationStatus.AUTO_ACCEPTED})


@dataclass
class Company:
    id: str
    name: str
    country: str | None
    creation_date: datetime
    status: CompanyStatus = CompanyStatus.ACTIVE
    visibility: str = Visibility.PRIVATE
    state: str | None = None
    visible_by: list[str] = field(default_factory=list)
    bp_id: str | None = None
    is_bp: bool = False
    bp_type: str | None = None
    external_reference: str | None = None
    external_reference2: str | None = None
    support_email: str | None = None
    admin_email: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    website: str | None = None
    status_updated_date: datetime | None = None
    is_default: bool = False


@dataclass
class User:
    id: str
    login_email: str
    display_name: str
    company_id: str
    creation_date: datetime
    first_name: str | None = None
    last_name: str | None = None
    roles: list[str] = field(default_factory=lambda: ["user"])
    admin_type: str | None = None


@dataclass
class JoinInvitation:
    """An invitation for one person to join one company (Rainbow admin API 1.82.0, join-companies/invitations)."""

    id: str
    company_id: str
    invited_email: str
    inviting_admin_id: str
    inviting_admin_email: str
    invitation_date: datetime
    last_notification_date: datetime
    invited_user_id: str | None = None
    invited_to_be_company_admin: bool = False
    invited_to_be_bp_admin: bool = False
    lang: str | None = None
    custom_message: str | None = None
    status: InvitationStatus = InvitationStatus.PENDING
    acceptation_date: datetime | None = None
    declination_date: datetime | None = None


@dataclass
class LinkInvitation:
    """Our BP inviting an existing company to become its End Customer (Rainbow admin API 1.82.0, bp-link)."""

    id: str
    inviting_company_id: str
    invited_company_id: str
    inviting_admin_id: str
    inviting_admin_email: str
    invitation_date: datetime
    last_notification_date: datetime
    invited_to_be_bp_ir: bool = False
    lang: str | None = None
    custom_message: str | None = None
    status: InvitationStatus = InvitationStatus.PENDING
    acceptation_date: datetime | None = None
    declination_date: datetime | None = None


@dataclass
class LinkRequest:
    """A customer company asking a BP to become its reseller (Rainbow admin API 1.82.0, bp-link/requests)."""

    id: str
    requesting_company_id: str
    requested_company_id: str
    requesting_admin_id: str
    requesting_admin_email: str
    request_date: datetime
    last_notification_date: datetime
    requested_to_be_bp_ir: bool = False
    lang: str | None = None
    custom_message: str | None = None
    status: InvitationStatus = InvitationStatus.PENDING
    acceptation_date: datetime | None = None
    declination_date: datetime | None = None
