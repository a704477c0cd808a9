"""/admin/v1.0/companies/{companyId}/join-companies/invitations: inviting people into a company."""

from __future__ import annotations

from aiohttp import web

from standins.rainbow import join_invitations
from standins.rainbow.responses import data, json_body, listing
from standins.rainbow.runtime import runtime_of
from standins.rainbow.views import join_invitation_row

BASE = "/api/rainbow/admin/v1.0/companies/{companyId}/join-companies/invitations"

routes = web.RouteTableDef()


@routes.post(BASE)
async def invite(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    invitation = join_invitations.create(state, request.match_info["companyId"], await json_body(request))
    return data(join_invitation_row(state, invitation))


@routes.get(BASE)
async def list_invitations(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    return listing(join_invitations.list_for_company(state, request.match_info["companyId"], request.query))


@routes.get(BASE + "/{invitationId}")
async def get_invitation(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    invitation = join_invitations.get_for_company(
        state, request.match_info["companyId"], request.match_info["invitationId"]
    )
    return data(join_invitation_row(state, invitation))


@routes.post(BASE + "/{invitationId}/cancel")
async def cancel(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    await json_body(request)
    invitation = join_invitations.cancel(state, request.match_info["companyId"], request.match_info["invitationId"])
    return data(join_invitation_row(state, invitation))


@routes.post(BASE + "/{invitationId}/re-send")
async def resend(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    invitation = join_invitations.resend(
        state, request.match_info["companyId"], request.match_info["invitationId"], await json_body(request)
    )
    return data(join_invitation_row(state, invitation))
