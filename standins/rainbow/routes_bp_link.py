"""/admin/v1.0/companies/{companyId}/bp-link/{invitations,requests}: the BP <-> customer link."""

from __future__ import annotations

from aiohttp import web

from standins.rainbow import bp_link
from standins.rainbow.responses import data, json_body, listing
from standins.rainbow.runtime import runtime_of
from standins.rainbow.views import link_invitation_row, link_request_row

INVITATIONS = "/api/rainbow/admin/v1.0/companies/{companyId}/bp-link/invitations"
REQUESTS = "/api/rainbow/admin/v1.0/companies/{companyId}/bp-link/requests"

routes = web.RouteTableDef()


def _ids(request: web.Request, key: str) -> tuple[str, str]:
    return request.match_info["companyId"], request.match_info[key]


@routes.post(INVITATIONS)
async def invite(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    invitation = bp_link.invite(state, request.match_info["companyId"], await json_body(request))
    return web.json_response(
        {
            "status": "Link End Customer to BP invitation successfully created, admins and user have been notified",
            "data": link_invitation_row(state, invitation),
        }
    )


@routes.get(INVITATIONS)
async def list_invitations(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    return listing(bp_link.list_invitations(state, request.match_info["companyId"], request.query))


@routes.get(INVITATIONS + "/{invitationId}")
async def get_invitation(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    return data(link_invitation_row(state, bp_link.get_invitation(state, *_ids(request, "invitationId"))))


@routes.post(INVITATIONS + "/{invitationId}/cancel")
async def cancel_invitation(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    await json_body(request)
    return data(link_invitation_row(state, bp_link.cancel_invitation(state, *_ids(request, "invitationId"))))


@routes.post(INVITATIONS + "/{invitationId}/re-send")
async def resend_invitation(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    body = await json_body(request)
    invitation = bp_link.resend_invitation(state, *_ids(request, "invitationId"), body)
    return data(link_invitation_row(state, invitation))


@routes.post(INVITATIONS + "/{invitationId}/accept")
@routes.post(INVITATIONS + "/{invitationId}/decline")
async def answer_invitation(request: web.Request) -> web.Response:
    bp_link.answer_invitation_as_ec(runtime_of(request).state, *_ids(request, "invitationId"))


@routes.get(REQUESTS)
async def list_requests(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    return listing(bp_link.list_requests(state, request.match_info["companyId"], request.query))


@routes.get(REQUESTS + "/{requestId}")
async def get_request(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    return data(link_request_row(state, bp_link.get_request(state, *_ids(request, "requestId"))))


@routes.post(REQUESTS + "/{requestId}/accept")
async def accept_request(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    await json_body(request)
    return data(link_request_row(state, bp_link.accept_request(state, *_ids(request, "requestId"))))


@routes.post(REQUESTS + "/{requestId}/decline")
async def decline_request(request: web.Request) -> web.Response:
    state = runtime_of(request).state
    await json_body(request)
    return data(link_request_row(state, bp_link.decline_request(state, *_ids(request, "requestId"))))


@routes.post(REQUESTS + "/{requestId}/cancel")
@routes.post(REQUESTS + "/{requestId}/re-send")
async def requester_action(request: web.Request) -> web.Response:
    bp_link.requester_action_as_bp(runtime_of(request).state, *_ids(request, "requestId"))
