"""The BP <-> customer link: our invitations to companies and their requests to us (admin API 1.82.0, bp-link).

`:companyId` is always our BP company id (the bot's own company), as these actions require.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.rainbow.core import ADMIN, RainbowCore, segment
from bot.rainbow.models import LinkInvitation, LinkRequest


class BpLinkApi(RainbowCore):
    async def _bp_link_path(self, resource: str) -> str:
        return f"{ADMIN}/companies/{segment(await self._bp_company_id())}/bp-link/{resource}"

    async def invite_company_to_link(
        self, invited_company_id: str, lang: str | None = None, custom_message: str | None = None
    ) -> LinkInvitation:
        """Ask an existing company's admins to take us as reseller (flow 2). Never retried.

        Rainbow allows one invitation per company per hour: see RainbowConflict.is_invitation_throttle.
        """
        fields = {"invitedCompanyId": invited_company_id, "lang": lang, "customMessage": custom_message}
        body = {key: value for key, value in fields.items() if value is not None}
        path = await self._bp_link_path("invitations")
        return LinkInvitation.from_api(await self._get_object("invite_company_to_link", "POST", path, json_body=body))

    async def get_link_invitation(self, invitation_id: str) -> LinkInvitation:
        path = f"{await self._bp_link_path('invitations')}/{segment(invitation_id)}"
        return LinkInvitation.from_api(await self._get_object("get_link_invitation", "GET", path))

    async def list_link_invitations(self, statuses: Iterable[str] | None = None) -> list[LinkInvitation]:
        """Link invitations we sent or received (all pages)."""
        params = {"format": "full", "status": list(statuses) if statuses is not None else None}
        items = await self._paginate("list_link_invitations", await self._bp_link_path("invitations"), params)
        return [LinkInvitation.from_api(item) for item in items]

    async def cancel_link_invitation(self, invitation_id: str) -> LinkInvitation:
        """Withdraw a pending/declined/failed invitation; 409 (RainbowConflict) otherwise."""
        return await self._invitation_action(invitation_id, "cancel", {})

    async def resend_link_invitation(self, invitation_id: str, custom_message: str | None = None) -> LinkInvitation:
        """Notify the company's admins again; 409 if already accepted, or inside the hourly limit."""
        body = {"customMessage": custom_message} if custom_message is not None else {}
        return await self._invitation_action(invitation_id, "re-send", body)

    async def list_link_requests(self, statuses: Iterable[str] | None = ("pending",)) -> list[LinkRequest]:
        """Customers' requests to have us as reseller, pending ones by default (all pages).

        The list holds the requests the company "sent/received" (S2S-doc LinkEcToBpRequestsApi.md), so only
        those addressed to us (`requestedCompanyId` is our BP) are kept: ours to a VAD are not for us to answer.
        """
        bp_id = await self._bp_company_id()
        params = {"format": "full", "status": list(statuses) if statuses is not None else None}
        items = await self._paginate("list_link_requests", await self._bp_link_path("requests"), params)
        requests = (LinkRequest.from_api(item) for item in items)
        return [request for request in requests if request.requested_company_id == bp_id]

    async def get_link_request(self, request_id: str) -> LinkRequest:
        path = f"{await self._bp_link_path('requests')}/{segment(request_id)}"
        return LinkRequest.from_api(await self._get_object("get_link_request", "GET", path))

    async def accept_link_request(self, request_id: str) -> LinkRequest:
        """Become the requesting company's reseller; 409 if the request is no longer pending."""
        return await self._request_action(request_id, "accept")

    async def decline_link_request(self, request_id: str) -> LinkRequest:
        """Turn the request down; 409 if it is no longer pending/failed."""
        return await self._request_action(request_id, "decline")

    async def _invitation_action(self, invitation_id: str, action: str, body: dict[str, Any]) -> LinkInvitation:
        path = f"{await self._bp_link_path('invitations')}/{segment(invitation_id)}/{action}"
        data = await self._post_action(f"{action.replace('-', '')}_link_invitation", path, body)
        return LinkInvitation.from_api(data) if data else await self.get_link_invitation(invitation_id)

    async def _request_action(self, request_id: str, action: str) -> LinkRequest:
        path = f"{await self._bp_link_path('requests')}/{segment(request_id)}/{action}"
        data = await self._post_action(f"{action}_link_request", path, {})
        return LinkRequest.from_api(data) if data else await self.get_link_request(request_id)
