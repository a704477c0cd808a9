"""bp-link invitations and requests (Rainbow admin API 1.82.0, bp-link): every status rule, the BP-id-in-the-path rule,
and the one-invitation-per-company-per-hour throttle (decisions §5)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, NoReturn

from standins.rainbow import query
from standins.rainbow.errors import (
    COMPANY_ALREADY_HAS_BP,
    INVITED_COMPANY_HAS_BP,
    LINK_INVITATION_THROTTLED,
    LINK_RESEND_THROTTLED,
    LINK_THROTTLE_MESSAGE,
    WRONG_COMPANY_FOR_ACTION,
    SandboxError,
    bad_request,
    conflict,
    forbidden,
    not_found,
)
from standins.rainbow.models import (
    ANSWERED,
    Company,
    CompanyStatus,
    InvitationStatus,
    LinkInvitation,
    LinkRequest,
    User,
    Visibility,
)
from standins.rainbow.state import SandboxState
from standins.rainbow.users import add_user
from standins.rainbow.validation import MESSAGE_MAX_LENGTH, NAME_MAX_LENGTH, BodyChecker, json_object
from standins.rainbow.views import (
    LINK_INVITATION_FIELDS,
    LINK_REQUEST_FIELDS,
    link_invitation_row,
    link_request_row,
    projector,
)

INVITATION_THROTTLE = timedelta(hours=1)
STATUSES = [s.value for s in InvitationStatus]
CANCELABLE = frozenset({InvitationStatus.PENDING, InvitationStatus.DECLINED, InvitationStatus.FAILED})
ANSWERABLE = frozenset({InvitationStatus.PENDING, InvitationStatus.FAILED})


def _own_company(state: SandboxState, company_id: str) -> Company:
    """List and get calls name the caller's own company: 403 for any other, known or not (the lists
    document no 404, admin OpenAPI 1.82.0 GetLinkECToBPInvitations / GetLinkECToBPRequests)."""
    state.require_role("admin")
    company = state.companies.get(company_id)
    if company is None or company.id != state.account.company_id:
        raise forbidden("bp-link resources can only be read through the caller's own company")
    return company


def _require_no_bp(company: Company) -> None:
    if company.bp_id is not None:
        raise conflict(f"Company {company.id} is already linked to a BP", COMPANY_ALREADY_HAS_BP)


def _require_invitable(company: Company) -> None:
    if company.bp_id is not None:
        raise bad_request(f"Company {company.id} is already linked to a BP", INVITED_COMPANY_HAS_BP)


# --- invitations: our BP invites an existing company -------------------------------------------------


def invite(state: SandboxState, company_id: str, body: Any) -> LinkInvitation:
    """POST .../bp-link/invitations; only towards a company with no BP (409 otherwise)."""
    state.require_role("bp_admin")
    state.require_bp_company_in_path(company_id, "Sending a bp-link invitation")
    checker = BodyChecker(json_object(body))
    invited_company_id = checker.text("invitedCompanyId", required=True)
    lang = checker.text("lang", max_length=16)
    custom_message = checker.text("customMessage", max_length=MESSAGE_MAX_LENGTH)
    if checker.flag("invitedToBeBpIr") and state.bp_company.bp_type != "VAD":
        checker.refuse("invitedToBeBpIr", "can only be used by a BP VAD", True)
    checker.raise_if_invalid()
    invited = state.company(invited_company_id or "")
    if invited.id == state.bp_company.id or invited.is_default:
        raise bad_request("A BP cannot invite its own company or the Default company")
    _require_invitable(invited)
    _require_not_throttled(state, invited.id)
    _cancel_pending_invitations_to(state, invited.id)
    now = state.clock.now()
    invitation = LinkInvitation(
        id=state.new_id(),
        inviting_company_id=state.bp_company.id,
        invited_company_id=invited.id,
        inviting_admin_id=state.account.id,
        inviting_admin_email=state.account.login_email,
        invitation_date=now,
        last_notification_date=now,
        lang=lang,
        custom_message=custom_message,
    )
    state.link_invitations[invitation.id] = invitation
    return invitation


def _require_not_throttled(state: SandboxState, invited_company_id: str, *, on_resend: bool = False) -> None:
    """One invitation (sent or re-sent) to the same company per hour of sandbox time: a 400 on the create
    (which documents no 409), a 409 on the re-send (which does)."""
    threshold = state.clock.now() - INVITATION_THROTTLE
    if any(
        inv.invited_company_id == invited_company_id and inv.last_notification_date > threshold
        for inv in state.link_invitations.values()
    ):
        if on_resend:
            raise conflict(LINK_THROTTLE_MESSAGE, LINK_RESEND_THROTTLED)
        raise bad_request(LINK_THROTTLE_MESSAGE, LINK_INVITATION_THROTTLED)


def _cancel_pending_invitations_to(state: SandboxState, invited_company_id: str) -> None:
    for other in state.link_invitations.values():
        if other.invited_company_id == invited_company_id and other.status == InvitationStatus.PENDING:
            other.status = InvitationStatus.CANCELED


def list_invitations(state: SandboxState, company_id: str, params: query.Query) -> dict[str, Any]:
    """Invitations the company sent or received."""
    _own_company(state, company_id)
    statuses = query.choices(params, "status", STATUSES)
    chosen_format = query.response_format(params)
    chosen_page = query.page(params)
    matches = (
        inv
        for inv in state.link_invitations.values()
        if company_id in (inv.inviting_company_id, inv.invited_company_id)
        and (not statuses or inv.status.value in statuses)
    )
    rows = query.sorted_rows((link_invitation_row(state, inv) for inv in matches), params, "lastNotificationDate", -1)
    return query.list_envelope(rows, chosen_page, projector(LINK_INVITATION_FIELDS, chosen_format))


def get_invitation(state: SandboxState, company_id: str, invitation_id: str) -> LinkInvitation:
    _own_company(state, company_id)
    invitation = state.link_invitations.get(invitation_id)
    if invitation is None or company_id not in (
        invitation.inviting_company_id,
        invitation.invited_company_id,
    ):
        raise not_found(f"bp-link invitation {invitation_id} not found for company {company_id}")
    return invitation


def _sent_invitation(state: SandboxState, company_id: str, invitation_id: str, action: str) -> LinkInvitation:
    state.require_role("bp_admin")
    state.require_bp_company_in_path(company_id, action)
    invitation = state.link_invitations.get(invitation_id)
    if invitation is None or invitation.inviting_company_id != company_id:
        raise not_found(f"bp-link invitation {invitation_id} not found for company {company_id}")
    return invitation


def cancel_invitation(state: SandboxState, company_id: str, invitation_id: str) -> LinkInvitation:
    invitation = _sent_invitation(state, company_id, invitation_id, "Canceling a bp-link invitation")
    if invitation.status not in CANCELABLE:
        raise conflict(f"Cannot cancel a bp-link invitation whose status is '{invitation.status}'")
    invitation.status = InvitationStatus.CANCELED
    return invitation


def resend_invitation(state: SandboxState, company_id: str, invitation_id: str, body: Any) -> LinkInvitation:
    invitation = _sent_invitation(state, company_id, invitation_id, "Re-sending a bp-link invitation")
    checker = BodyChecker(json_object(body) if body is not None else {})
    custom_message = checker.text("customMessage", max_length=MESSAGE_MAX_LENGTH)
    checker.raise_if_invalid()
    if invitation.status in ANSWERED:
        raise conflict(f"Cannot re-send a bp-link invitation whose status is '{invitation.status}'")
    _require_no_bp(state.company(invitation.invited_company_id))
    _require_not_throttled(state, invitation.invited_company_id, on_resend=True)
    _cancel_pending_invitations_to(state, invitation.invited_company_id)
    invitation.status = InvitationStatus.PENDING
    invitation.last_notification_date = state.clock.now()
    invitation.custom_message = custom_message or invitation.custom_message
    return invitation


def answer_invitation_as_ec(state: SandboxState, company_id: str, invitation_id: str) -> NoReturn:
    """accept/decline through the API belong to the invited company's admins: the path must name that
    company (else 400), and the BP's account is not one of its admins (403)."""
    invitation = state.link_invitations.get(invitation_id)
    if invitation is None:
        raise not_found(f"bp-link invitation {invitation_id} not found")
    if company_id != invitation.invited_company_id:
        raise SandboxError(400, "companyId must be the invited company id", WRONG_COMPANY_FOR_ACTION)
    raise forbidden("Only the invited company's administrators can answer a bp-link invitation")


def answer_invitation(state: SandboxState, invitation_id: str, accept: bool) -> LinkInvitation:
    """The invited company's admins answer (only pending or failed); accepting makes us its BP."""
    invitation = state.link_invitations.get(invitation_id)
    if invitation is None:
        raise not_found(f"bp-link invitation {invitation_id} not found")
    if invitation.status not in ANSWERABLE:
        raise conflict(f"Cannot answer a bp-link invitation whose status is '{invitation.status}'")
    now = state.clock.now()
    if not accept:
        invitation.status = InvitationStatus.DECLINED
        invitation.declination_date = now
        return invitation
    invited = state.company(invitation.invited_company_id)
    _require_no_bp(invited)
    invited.bp_id = invitation.inviting_company_id
    invitation.status = InvitationStatus.ACCEPTED
    invitation.acceptation_date = now
    return invitation


# --- requests: a customer asks our BP to become its reseller -----------------------------------------


def file_request(
    state: SandboxState,
    requesting_company_id: str | None = None,
    company_name: str | None = None,
    admin_email: str | None = None,
    custom_message: str | None = None,
    lang: str | None = None,
) -> LinkRequest:
    """A customer files a request to our BP, from an existing company or a new public one without BP."""
    if (requesting_company_id is None) == (company_name is None):
        raise bad_request("Give exactly one of 'requestingCompanyId' or 'companyName'")
    if company_name is not None:
        requesting = new_customer_side_company(state, company_name, "FRA", Visibility.PUBLIC.value)
    else:
        requesting = state.company(requesting_company_id or "")
    if requesting.id == state.bp_company.id or requesting.is_default:
        raise bad_request("The BP company and the Default company cannot file a bp-link request")
    _require_no_bp(requesting)
    if any(
        req.requesting_company_id == requesting.id and req.status == InvitationStatus.PENDING
        for req in state.link_requests.values()
    ):
        raise conflict(f"Company {requesting.id} already has a pending bp-link request")
    admin = _requesting_admin(state, requesting, admin_email)
    now = state.clock.now()
    request = LinkRequest(
        id=state.new_id(),
        requesting_company_id=requesting.id,
        requested_company_id=state.bp_company.id,
        requesting_admin_id=admin.id,
        requesting_admin_email=admin.login_email,
        request_date=now,
        last_notification_date=now,
        lang=lang,
        custom_message=custom_message,
    )
    state.link_requests[request.id] = request
    return request


def new_customer_side_company(
    state: SandboxState, name: str, country: str | None, visibility: str, bp_id: str | None = None
) -> Company:
    """A company that exists on the customer's side (created through the console, not by our BP)."""
    checker = BodyChecker({"name": name, "country": country, "visibility": visibility})
    checker.text("name", required=True, max_length=NAME_MAX_LENGTH)
    checker.country_and_state()
    checker.visibility()
    checker.raise_if_invalid()
    return state.add_company(
        Company(
            id=state.new_id(),
            name=name.strip(),
            country=country,
            creation_date=state.clock.now(),
            status=CompanyStatus.ACTIVE,
            visibility=visibility,
            bp_id=bp_id,
        )
    )


def _requesting_admin(state: SandboxState, company: Company, admin_email: str | None) -> User:
    if admin_email is None:
        existing = next((u for u in state.users_of(company.id) if "admin" in u.roles), None)
        if existing is not None:
            return existing
        admin_email = f"admin@{_slug(company.name)}.example.com"
    user = state.user_by_email(admin_email)
    if user is None:
        return add_user(state, company, admin_email, company_admin=True)
    if user.company_id != company.id or "admin" not in user.roles:
        raise conflict(f"{admin_email} is not an administrator of company {company.id}")
    return user


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "company"


def list_requests(state: SandboxState, company_id: str, params: query.Query) -> dict[str, Any]:
    """Requests the company received (the BP's "requests to process") or sent."""
    _own_company(state, company_id)
    statuses = query.choices(params, "status", STATUSES)
    chosen_format = query.response_format(params)
    chosen_page = query.page(params)
    matches = (
        req
        for req in state.link_requests.values()
        if company_id in (req.requesting_company_id, req.requested_company_id)
        and (not statuses or req.status.value in statuses)
    )
    rows = query.sorted_rows((link_request_row(state, req) for req in matches), params, "requestDate", -1)
    return query.list_envelope(rows, chosen_page, projector(LINK_REQUEST_FIELDS, chosen_format))


def get_request(state: SandboxState, company_id: str, request_id: str) -> LinkRequest:
    _own_company(state, company_id)
    request = state.link_requests.get(request_id)
    if request is None or company_id not in (request.requesting_company_id, request.requested_company_id):
        raise not_found(f"bp-link request {request_id} not found for company {company_id}")
    return request


def _received_request(state: SandboxState, company_id: str, request_id: str, action: str) -> LinkRequest:
    state.require_role("bp_admin")
    state.require_bp_company_in_path(company_id, action)
    request = state.link_requests.get(request_id)
    if request is None or request.requested_company_id != company_id:
        raise not_found(f"bp-link request {request_id} not found for company {company_id}")
    return request


def accept_request(state: SandboxState, company_id: str, request_id: str) -> LinkRequest:
    """Only a pending request can be accepted; the requesting company's bpId becomes ours."""
    request = _received_request(state, company_id, request_id, "Accepting a bp-link request")
    if request.status != InvitationStatus.PENDING:
        raise conflict(f"Cannot accept a bp-link request whose status is '{request.status}'")
    requesting = state.company(request.requesting_company_id)
    _require_no_bp(requesting)
    requesting.bp_id = request.requested_company_id
    request.status = InvitationStatus.ACCEPTED
    request.acceptation_date = state.clock.now()
    return request


def decline_request(state: SandboxState, company_id: str, request_id: str) -> LinkRequest:
    request = _received_request(state, company_id, request_id, "Declining a bp-link request")
    if request.status not in ANSWERABLE:
        raise conflict(f"Cannot decline a bp-link request whose status is '{request.status}'")
    request.status = InvitationStatus.DECLINED
    request.declination_date = state.clock.now()
    return request


def requester_action_as_bp(state: SandboxState, company_id: str, request_id: str) -> NoReturn:
    """cancel/re-send through the API belong to the requesting company's admins: the path must name
    that company (else 400), and the BP's account is not one of its admins (403)."""
    request = state.link_requests.get(request_id)
    if request is None:
        raise not_found(f"bp-link request {request_id} not found")
    if company_id != request.requesting_company_id:
        raise SandboxError(400, "companyId must be the requesting company id", WRONG_COMPANY_FOR_ACTION)
    raise forbidden("Only the requesting company's administrators can cancel or re-send a bp-link request")


def cancel_request(state: SandboxState, request_id: str) -> LinkRequest:
    """The customer withdraws its request (pending, declined or failed)."""
    request = state.link_requests.get(request_id)
    if request is None:
        raise not_found(f"bp-link request {request_id} not found")
    if request.status not in CANCELABLE:
        raise conflict(f"Cannot cancel a bp-link request whose status is '{request.status}'")
    request.status = InvitationStatus.CANCELED
    return request
