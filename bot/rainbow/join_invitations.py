"""Inviting a customer company's administrator and following it (Rainbow admin API 1.82.0, join-companies)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.rainbow.core import ADMIN, RainbowCore, segment
from bot.rainbow.models import JoinInvitation


def _invitations_path(company_id: str) -> str:
    return f"{ADMIN}/companies/{segment(company_id)}/join-companies/invitations"


class JoinInvitationsApi(RainbowCore):
    async def invite_company_admin(
        self,
        company_id: str,
        *,
        email: str | None = None,
        invited_user_id: str | None = None,
        lang: str | None = None,
        custom_message: str | None = None,
    ) -> JoinInvitation:
        """Invite the future company_admin of `company_id`, by e-mail or as an existing user.

        Always sends `invitedToBeCompanyAdmin: true` (the Node SDK's inviteUserInCompany omits it); the
        company turns active when this person joins. Never retried (not idempotent).
        """
        if (email is None) == (invited_user_id is None):
            raise ValueError("give exactly one of email or invited_user_id")
        fields: dict[str, Any] = {
            "email": email,
            "invitedUserId": invited_user_id,
            "invitedToBeCompanyAdmin": True,
            "lang": lang,
            "customMessage": custom_message,
        }
        body = {key: value for key, value in fields.items() if value is not None}
        data = await self._get_object("invite_company_admin", "POST", _invitations_path(company_id), json_body=body)
        return JoinInvitation.from_api(data)

    async def get_join_invitation(self, company_id: str, invitation_id: str) -> JoinInvitation:
        data = await self._get_object(
            "get_join_invitation", "GET", f"{_invitations_path(company_id)}/{segment(invitation_id)}"
        )
        return JoinInvitation.from_api(data)

    async def list_join_invitations(
        self, company_id: str, statuses: Iterable[str] | None = None
    ) -> list[JoinInvitation]:
        """All invitations to join `company_id` (all pages), optionally only some statuses."""
        params = {"format": "full", "status": list(statuses) if statuses is not None else None}
        items = await self._paginate("list_join_invitations", _invitations_path(company_id), params)
        return [JoinInvitation.from_api(item) for item in items]

    async def cancel_join_invitation(self, company_id: str, invitation_id: str) -> JoinInvitation:
        """Cancel a pending/declined/failed invitation; 409 (RainbowConflict) otherwise."""
        return await self._join_invitation_action(company_id, invitation_id, "cancel", {})

    async def resend_join_invitation(
        self, company_id: str, invitation_id: str, custom_message: str | None = None
    ) -> JoinInvitation:
        """Send the invitation e-mail again (back to pending); 409 if it was already accepted."""
        body = {"customMessage": custom_message} if custom_message is not None else {}
        return await self._join_invitation_action(company_id, invitation_id, "re-send", body)

    async def _join_invitation_action(
        self, company_id: str, invitation_id: str, action: str, body: dict[str, Any]
    ) -> JoinInvitation:
        """POST the action, then return the invitation as Rainbow now has it."""
        operation = f"{action.replace('-', '')}_join_invitation"
        path = f"{_invitations_path(company_id)}/{segment(invitation_id)}/{action}"
        data = await self._post_action(operation, path, body)
        return JoinInvitation.from_api(data) if data else await self.get_join_invitation(company_id, invitation_id)
