"""JSON shapes of each record and the fields each `format` (small|medium|full) keeps.

Absent optional values are omitted rather than sent as null, so a client must not assume a key exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standins.rainbow.clock import iso
from standins.rainbow.models import Company, JoinInvitation, LinkInvitation, LinkRequest, User
from standins.rainbow.state import SandboxState

Row = dict[str, Any]

COMPANY_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("id", "name"),
    "medium": ("id", "name", "status", "adminEmail", "country", "website", "visibility"),
    "full": None,
}
# The enduser portal's company formats (enduser OpenAPI 1.84.0, getCompanies `format`): no visibility, no bpId.
ENDUSER_COMPANY_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("id", "name"),
    "medium": ("id", "name", "status", "adminEmail", "country", "website"),
    "full": ("id", "name", "status", "adminEmail", "country", "website"),
}
USER_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("id", "loginEmail", "firstName", "lastName", "displayName", "companyId", "companyName", "isTerminated"),
    "medium": (
        "id",
        "loginEmail",
        "displayName",
        "firstName",
        "lastName",
        "companyId",
        "companyName",
        "isInDefaultCompany",
    ),
    "full": None,
}
JOIN_INVITATION_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("id", "companyId", "invitedUserId", "invitedUserEmail", "invitingAdminId", "status"),
    "medium": (
        "id",
        "companyId",
        "companyName",
        "invitedUserId",
        "invitedUserEmail",
        "invitingAdminId",
        "invitingAdminLoginEmail",
        "invitationDate",
        "lastNotificationDate",
        "status",
        "acceptationDate",
        "declinationDate",
    ),
    "full": None,
}
LINK_INVITATION_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("_id", "invitingCompanyId", "invitedCompanyId", "invitingAdminId", "status"),
    "medium": (
        "id",
        "invitingCompanyId",
        "invitedCompanyId",
        "invitingAdminId",
        "status",
        "invitingCompanyName",
        "invitedCompanyName",
        "invitingAdminLoginEmail",
        "lastNotificationDate",
        "invitationDate",
        "acceptationDate",
        "declinationDate",
    ),
    "full": None,
}
LINK_REQUEST_FIELDS: dict[str, tuple[str, ...] | None] = {
    "small": ("_id", "requestingCompanyId", "requestedCompanyId", "requestingAdminId", "status"),
    "medium": (
        "id",
        "requestingCompanyId",
        "requestedCompanyId",
        "requestingAdminId",
        "status",
        "requestingCompanyName",
        "requestedCompanyName",
        "requestingAdminLoginEmail",
        "lastNotificationDate",
        "requestDate",
        "acceptationDate",
        "declinationDate",
    ),
    "full": None,
}


def projector(fields_by_format: dict[str, tuple[str, ...] | None], chosen: str) -> Callable[[Row], Row]:
    """Cut a full row down to a format; a leading "_id" in the field list renames "id" (bp-link small)."""
    fields = fields_by_format[chosen]
    if fields is None:
        return lambda row: row

    def project(row: Row) -> Row:
        kept = {name: row[name] for name in fields if name in row}
        if "_id" in fields and "id" in row:
            kept = {"_id": row["id"], **kept}
        return kept

    return project


def _compact(row: Row) -> Row:
    return {key: value for key, value in row.items() if value is not None}


def company_row(state: SandboxState, company: Company) -> Row:
    administered = state.administers(company)
    return _compact(
        {
            "id": company.id,
            "name": company.name,
            "country": company.country,
            "state": company.state,
            "status": company.status.value,
            "visibility": company.visibility,
            "visibleBy": list(company.visible_by),
            "bpId": company.bp_id,
            "isBP": company.is_bp,
            "bpType": company.bp_type,
            "externalReference": company.external_reference if administered else None,
            "externalReference2": company.external_reference2 if administered else None,
            "supportEmail": company.support_email,
            "adminEmail": company.admin_email,
            "street": company.street,
            "city": company.city,
            "postalCode": company.postal_code,
            "website": company.website,
            "creationDate": iso(company.creation_date),
            "statusUpdatedDate": iso(company.status_updated_date),
        }
    )


def user_row(state: SandboxState, user: User) -> Row:
    company = state.companies.get(user.company_id)
    return _compact(
        {
            "id": user.id,
            "loginEmail": user.login_email,
            "displayName": user.display_name,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "companyId": user.company_id,
            "companyName": company.name if company else None,
            "isInDefaultCompany": user.company_id == state.default_company.id,
            "isTerminated": False,
            "roles": list(user.roles),
            "adminType": user.admin_type,
            "creationDate": iso(user.creation_date),
        }
    )


def logged_in_user(state: SandboxState) -> Row:
    """The login's loggedInUser, shaped as decisions §11 fixes it."""
    account = state.account
    return {
        "id": account.id,
        "loginEmail": account.login_email,
        "displayName": account.display_name,
        "companyId": account.company_id,
        "companyName": state.bp_company.name,
        "roles": list(account.roles),
        "adminType": account.admin_type,
        "isInDefaultCompany": False,
    }


def _company_name(state: SandboxState, company_id: str) -> str | None:
    company = state.companies.get(company_id)
    return company.name if company else None


def join_invitation_row(state: SandboxState, invitation: JoinInvitation) -> Row:
    return _compact(
        {
            "id": invitation.id,
            "companyId": invitation.company_id,
            "companyName": _company_name(state, invitation.company_id),
            "invitedUserId": invitation.invited_user_id,
            "invitedUserEmail": invitation.invited_email,
            "invitingAdminId": invitation.inviting_admin_id,
            "invitingAdminLoginEmail": invitation.inviting_admin_email,
            "invitationDate": iso(invitation.invitation_date),
            "lastNotificationDate": iso(invitation.last_notification_date),
            "requestedNotificationLanguage": invitation.lang,
            "status": invitation.status.value,
            "acceptationDate": iso(invitation.acceptation_date),
            "declinationDate": iso(invitation.declination_date),
        }
    )


def link_invitation_row(state: SandboxState, invitation: LinkInvitation) -> Row:
    return _compact(
        {
            "id": invitation.id,
            "invitingCompanyId": invitation.inviting_company_id,
            "invitingCompanyName": _company_name(state, invitation.inviting_company_id),
            "invitedCompanyId": invitation.invited_company_id,
            "invitedCompanyName": _company_name(state, invitation.invited_company_id),
            "invitedToBeBpIr": invitation.invited_to_be_bp_ir,
            "invitingAdminId": invitation.inviting_admin_id,
            "invitingAdminLoginEmail": invitation.inviting_admin_email,
            "invitationDate": iso(invitation.invitation_date),
            "lastNotificationDate": iso(invitation.last_notification_date),
            "requestedNotificationLanguage": invitation.lang,
            "status": invitation.status.value,
            "acceptationDate": iso(invitation.acceptation_date),
            "declinationDate": iso(invitation.declination_date),
        }
    )


def link_request_row(state: SandboxState, request: LinkRequest) -> Row:
    return _compact(
        {
            "id": request.id,
            "requestingCompanyId": request.requesting_company_id,
            "requestingCompanyName": _company_name(state, request.requesting_company_id),
            "requestedCompanyId": request.requested_company_id,
            "requestedCompanyName": _company_name(state, request.requested_company_id),
            "requestedToBeBpIr": request.requested_to_be_bp_ir,
            "requestingAdminId": request.requesting_admin_id,
            "requestingAdminLoginEmail": request.requesting_admin_email,
            "requestDate": iso(request.request_date),
            "lastNotificationDate": iso(request.last_notification_date),
            "requestedNotificationLanguage": request.lang,
            "status": request.status.value,
            "acceptationDate": iso(request.acceptation_date),
            "declinationDate": iso(request.declination_date),
        }
    )
