"""Join-company invitations (Rainbow admin API 1.82.0, join-companies): the admin side, and the invitee's answer."""

from __future__ import annotations

from typing import Any

from standins.rainbow import query
from standins.rainbow.errors import USER_NOT_IN_DEFAULT_COMPANY, conflict, forbidden, not_found
from standins.rainbow.models import ANSWERED, InvitationStatus, JoinInvitation, User
from standins.rainbow.state import SandboxState
from standins.rainbow.users import add_user, make_company_admin
from standins.rainbow.validation import MESSAGE_MAX_LENGTH, BodyChecker, json_object
from standins.rainbow.views import JOIN_INVITATION_FIELDS, join_invitation_row, projector

INVITATION_STATUSES = [s.value for s in InvitationStatus]
CANCELABLE = frozenset({InvitationStatus.PENDING, InvitationStatus.DECLINED, InvitationStatus.FAILED})


def create(state: SandboxState, company_id: str, body: Any) -> JoinInvitation:
    """Invite by e-mail or by existing user id (exactly one); an existing invitee must be in the
    Default company (403620). A pending invitation for the same e-mail elsewhere is replaced."""
    company = state.administered_company(company_id)
    checker = BodyChecker(json_object(body))
    email = checker.email("email")
    invited_user_id = checker.text("invitedUserId")
    as_company_admin = checker.flag("invitedToBeCompanyAdmin")
    as_bp_admin = checker.flag("invitedToBeBpAdmin")
    lang = checker.text("lang", max_length=16)
    custom_message = checker.text("customMessage", max_length=MESSAGE_MAX_LENGTH)
    checker.text("customDisplayName")
    if (email is None) == (invited_user_id is None) and not checker.errors:
        checker.refuse("email", "exactly one of email or invitedUserId must be given", email)
    if as_bp_admin and company.id != state.bp_company.id:
        checker.refuse("invitedToBeBpAdmin", "is only possible in the BP company itself", True)
    checker.raise_if_invalid()
    invitee = state.user(invited_user_id) if invited_user_id else state.user_by_email(email or "")
    if invitee is not None:
        _require_in_default_company(state, invitee)
    now = state.clock.now()
    invitation = JoinInvitation(
        id=state.new_id(),
        company_id=company.id,
        invited_email=invitee.login_email if invitee else email or "",
        invited_user_id=invitee.id if invitee else None,
        inviting_admin_id=state.account.id,
        inviting_admin_email=state.account.login_email,
        invitation_date=now,
        last_notification_date=now,
        invited_to_be_company_admin=as_company_admin,
        invited_to_be_bp_admin=as_bp_admin,
        lang=lang,
        custom_message=custom_message,
    )
    _replace_pending_for(state, invitation.invited_email)
    state.join_invitations[invitation.id] = invitation
    return invitation


def _require_in_default_company(state: SandboxState, user: User) -> None:
    if user.company_id != state.default_company.id:
        raise forbidden(
            f"User {user.id} already belongs to a company and cannot be invited", USER_NOT_IN_DEFAULT_COMPANY
        )


def _replace_pending_for(state: SandboxState, email: str) -> None:
    wanted = email.casefold()
    for other in state.join_invitations.values():
        if other.status == InvitationStatus.PENDING and other.invited_email.casefold() == wanted:
            other.status = InvitationStatus.CANCELED


def list_for_company(state: SandboxState, company_id: str, params: query.Query) -> dict[str, Any]:
    state.administered_company(company_id)
    statuses = query.choices(params, "status", INVITATION_STATUSES)
    chosen_format = query.response_format(params)
    chosen_page = query.page(params)
    matches = (
        inv
        for inv in state.join_invitations.values()
        if inv.company_id == company_id and (not statuses or inv.status.value in statuses)
    )
    rows = query.sorted_rows((join_invitation_row(state, inv) for inv in matches), params, "lastNotificationDate", -1)
    return query.list_envelope(rows, chosen_page, projector(JOIN_INVITATION_FIELDS, chosen_format))


def get_for_company(state: SandboxState, company_id: str, invitation_id: str) -> JoinInvitation:
    state.administered_company(company_id)
    invitation = state.join_invitations.get(invitation_id)
    if invitation is None or invitation.company_id != company_id:
        raise not_found(f"Join company invitation {invitation_id} not found in company {company_id}")
    return invitation


def cancel(state: SandboxState, company_id: str, invitation_id: str) -> JoinInvitation:
    invitation = get_for_company(state, company_id, invitation_id)
    if invitation.status not in CANCELABLE:
        raise conflict(f"Cannot cancel an invitation whose status is '{invitation.status}'")
    invitation.status = InvitationStatus.CANCELED
    return invitation


def resend(state: SandboxState, company_id: str, invitation_id: str, body: Any) -> JoinInvitation:
    """Back to pending with a fresh lastNotificationDate; refused (409) once accepted."""
    checker = BodyChecker(json_object(body) if body is not None else {})
    custom_message = checker.text("customMessage", max_length=MESSAGE_MAX_LENGTH)
    checker.text("customDisplayName")
    checker.raise_if_invalid()
    invitation = get_for_company(state, company_id, invitation_id)
    if invitation.status in ANSWERED:
        raise conflict(f"Cannot re-send an invitation whose status is '{invitation.status}'")
    _replace_pending_for(state, invitation.invited_email)
    invitation.status = InvitationStatus.PENDING
    invitation.last_notification_date = state.clock.now()
    invitation.custom_message = custom_message or invitation.custom_message
    return invitation


def accept(state: SandboxState, invitation_id: str) -> JoinInvitation:
    """The invitee accepts: they are created (or moved from Default) into the company; an invited
    company admin's acceptance turns an initializing company active."""
    invitation = _pending(state, invitation_id)
    company = state.company(invitation.company_id)
    member = state.user_by_email(invitation.invited_email)
    if member is None:
        member = add_user(state, company, invitation.invited_email)
    elif member.company_id != state.default_company.id:
        raise conflict(f"{member.login_email} already belongs to another company")
    member.company_id = company.id
    if invitation.invited_to_be_company_admin:
        make_company_admin(member)
        state.activate_if_initializing(company)
    invitation.invited_user_id = member.id
    invitation.status = InvitationStatus.ACCEPTED
    invitation.acceptation_date = state.clock.now()
    return invitation


def decline(state: SandboxState, invitation_id: str) -> JoinInvitation:
    invitation = _pending(state, invitation_id)
    invitation.status = InvitationStatus.DECLINED
    invitation.declination_date = state.clock.now()
    return invitation


def _pending(state: SandboxState, invitation_id: str) -> JoinInvitation:
    invitation = state.join_invitations.get(invitation_id)
    if invitation is None:
        raise not_found(f"Join company invitation {invitation_id} not found")
    if invitation.status != InvitationStatus.PENDING:
        raise conflict(f"Cannot answer an invitation whose status is '{invitation.status}'")
    return invitation
