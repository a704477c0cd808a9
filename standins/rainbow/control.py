"""The customer's side and the test knobs: /sandbox/ routes (no auth) and the same operations in Python."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from standins.rainbow import bp_link, join_invitations
from standins.rainbow.auth import TokenPolicy
from standins.rainbow.clock import iso
from standins.rainbow.errors import bad_request
from standins.rainbow.models import Visibility
from standins.rainbow.responses import json_body
from standins.rainbow.runtime import SandboxRuntime
from standins.rainbow.users import add_user
from standins.rainbow.validation import json_object
from standins.rainbow.views import (
    company_row,
    join_invitation_row,
    link_invitation_row,
    link_request_row,
    user_row,
)

Row = dict[str, Any]


class SandboxControls:
    """Each method is one thing a customer (or a test) does; the HTTP routes below only translate JSON."""

    def __init__(self, runtime: SandboxRuntime, default_policy: TokenPolicy) -> None:
        self._runtime = runtime
        self._default_policy = TokenPolicy(default_policy.lifetime_seconds, default_policy.max_renew)

    def create_customer_company(
        self, name: str, country: str | None = "FRA", visibility: str = "public", ours: bool = False
    ) -> Row:
        """A company made on the customer's side: no BP unless `ours` (then it is already our customer)."""
        state = self._runtime.state
        bp_id = state.bp_company.id if ours else None
        company = bp_link.new_customer_side_company(state, name, country, visibility, bp_id)
        return company_row(state, company)

    def add_default_user(
        self, display_name: str, login_email: str, first_name: str | None = None, last_name: str | None = None
    ) -> Row:
        """A Rainbow user who belongs to no company (the Default company)."""
        state = self._runtime.state
        user = add_user(state, state.default_company, login_email, display_name, first_name, last_name)
        return user_row(state, user)

    def accept_join_invitation(self, invitation_id: str) -> Row:
        state = self._runtime.state
        return join_invitation_row(state, join_invitations.accept(state, invitation_id))

    def decline_join_invitation(self, invitation_id: str) -> Row:
        state = self._runtime.state
        return join_invitation_row(state, join_invitations.decline(state, invitation_id))

    def file_link_request(
        self,
        requesting_company_id: str | None = None,
        company_name: str | None = None,
        admin_email: str | None = None,
        custom_message: str | None = None,
        lang: str | None = None,
    ) -> Row:
        state = self._runtime.state
        request = bp_link.file_request(state, requesting_company_id, company_name, admin_email, custom_message, lang)
        return link_request_row(state, request)

    def cancel_link_request(self, request_id: str) -> Row:
        state = self._runtime.state
        return link_request_row(state, bp_link.cancel_request(state, request_id))

    def answer_link_invitation(self, invitation_id: str, accept: bool = True) -> Row:
        state = self._runtime.state
        return link_invitation_row(state, bp_link.answer_invitation(state, invitation_id, accept))

    def set_faults(
        self,
        latency_ms: int | None = None,
        rules: list[dict[str, Any]] | None = None,
        token_lifetime_seconds: int | None = None,
        max_token_renew: int | None = None,
        users_search_forbidden: bool | None = None,
    ) -> Row:
        """Change only what is given; token settings apply to tokens issued from now on."""
        policy = self._runtime.authenticator.policy
        problems = []
        if token_lifetime_seconds is not None and not _positive_int(token_lifetime_seconds):
            problems.append("'token_lifetime_seconds' must be a positive integer")
        if max_token_renew is not None and not _non_negative_int(max_token_renew):
            problems.append("'max_token_renew' must be a non-negative integer")
        if users_search_forbidden is not None and not isinstance(users_search_forbidden, bool):
            problems.append("'users_search_forbidden' must be a boolean")
        if problems:
            raise bad_request(problems)
        self._runtime.faults.configure(latency_ms, rules)
        if token_lifetime_seconds is not None:
            policy.lifetime_seconds = token_lifetime_seconds
        if max_token_renew is not None:
            policy.max_renew = max_token_renew
        if users_search_forbidden is not None:
            self._runtime.users_search_forbidden = users_search_forbidden
        return self.describe_faults()

    def clear_faults(self) -> Row:
        """Back to no latency, no rules, users search allowed, and the token settings given at start."""
        self._runtime.faults.clear()
        self._runtime.users_search_forbidden = False
        policy = self._runtime.authenticator.policy
        policy.lifetime_seconds = self._default_policy.lifetime_seconds
        policy.max_renew = self._default_policy.max_renew
        return self.describe_faults()

    def describe_faults(self) -> Row:
        policy = self._runtime.authenticator.policy
        return {
            **self._runtime.faults.describe(),
            "token_lifetime_seconds": policy.lifetime_seconds,
            "max_token_renew": policy.max_renew,
            "users_search_forbidden": self._runtime.users_search_forbidden,
        }

    def advance_clock(self, seconds: float) -> Row:
        clock = self._runtime.state.clock
        try:
            clock.advance(seconds)
        except ValueError as backwards:
            raise bad_request(str(backwards)) from backwards
        return {"now": iso(clock.now())}

    def stats(self) -> dict[str, dict[str, int]]:
        """{"counts": {"<METHOD> <route template>": n}}, as GET /sandbox/stats answers."""
        return {"counts": self._runtime.stats.counts()}

    def reset_stats(self) -> None:
        self._runtime.stats.reset()

    def state_dump(self) -> Row:
        state = self._runtime.state
        return {
            "now": iso(state.clock.now()),
            "bpCompanyId": state.bp_company.id,
            "defaultCompanyId": state.default_company.id,
            "companies": [company_row(state, c) for c in state.companies.values()],
            "users": [user_row(state, u) for u in state.users.values()],
            "joinInvitations": [join_invitation_row(state, i) for i in state.join_invitations.values()],
            "linkInvitations": [link_invitation_row(state, i) for i in state.link_invitations.values()],
            "linkRequests": [link_request_row(state, r) for r in state.link_requests.values()],
            "faults": self.describe_faults(),
        }


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _non_negative_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


CONTROLS = web.AppKey("sandbox_controls", SandboxControls)
routes = web.RouteTableDef()


def _controls(request: web.Request) -> SandboxControls:
    return request.app[CONTROLS]


async def _fields(request: web.Request, spec: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    """The body's known fields after a type check (None stands for "not given")."""
    body = json_object(await json_body(request))
    problems = [
        f"'{key}' must be of type {expected}"
        for key, expected in spec.items()
        if body.get(key) is not None and not isinstance(body[key], expected)
    ]
    if problems:
        raise bad_request(problems)
    return {key: body.get(key) for key in spec}


def _reply(payload: Any, status: int = 200) -> web.Response:
    return web.json_response({"data": payload}, status=status)


@routes.post("/sandbox/companies")
async def create_company(request: web.Request) -> web.Response:
    fields = await _fields(request, {"name": str, "country": str, "visibility": str, "ours": bool})
    company = _controls(request).create_customer_company(
        fields["name"] or "",
        fields["country"] or "FRA",
        fields["visibility"] or Visibility.PUBLIC.value,
        bool(fields["ours"]),
    )
    return _reply(company, status=201)


@routes.post("/sandbox/users")
async def create_user(request: web.Request) -> web.Response:
    fields = await _fields(request, {"displayName": str, "loginEmail": str, "firstName": str, "lastName": str})
    if not fields["loginEmail"]:
        raise bad_request("'loginEmail' is required")
    user = _controls(request).add_default_user(
        fields["displayName"] or "", fields["loginEmail"], fields["firstName"], fields["lastName"]
    )
    return _reply(user, status=201)


@routes.post("/sandbox/join-invitations/{invitationId}/{answer:accept|decline}")
async def answer_join_invitation(request: web.Request) -> web.Response:
    controls = _controls(request)
    invitation_id = request.match_info["invitationId"]
    if request.match_info["answer"] == "accept":
        return _reply(controls.accept_join_invitation(invitation_id))
    return _reply(controls.decline_join_invitation(invitation_id))


@routes.post("/sandbox/bp-link/requests")
async def file_link_request(request: web.Request) -> web.Response:
    fields = await _fields(
        request,
        {
            "requestingCompanyId": str,
            "companyName": str,
            "adminEmail": str,
            "customMessage": str,
            "lang": str,
        },
    )
    link_request = _controls(request).file_link_request(
        fields["requestingCompanyId"],
        fields["companyName"],
        fields["adminEmail"],
        fields["customMessage"],
        fields["lang"],
    )
    return _reply(link_request, status=201)


@routes.post("/sandbox/bp-link/requests/{requestId}/cancel")
async def cancel_link_request(request: web.Request) -> web.Response:
    return _reply(_controls(request).cancel_link_request(request.match_info["requestId"]))


@routes.post("/sandbox/bp-link/invitations/{invitationId}/{answer:accept|decline}")
async def answer_link_invitation(request: web.Request) -> web.Response:
    accept = request.match_info["answer"] == "accept"
    return _reply(_controls(request).answer_link_invitation(request.match_info["invitationId"], accept))


@routes.post("/sandbox/faults")
async def set_faults(request: web.Request) -> web.Response:
    body = json_object(await json_body(request))
    known = {"latency_ms", "rules", "token_lifetime_seconds", "max_token_renew", "users_search_forbidden"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise bad_request(f"Unknown fault settings: {unknown}")
    return _reply(_controls(request).set_faults(**body))


@routes.delete("/sandbox/faults")
async def clear_faults(request: web.Request) -> web.Response:
    return _reply(_controls(request).clear_faults())


@routes.post("/sandbox/clock")
async def advance_clock(request: web.Request) -> web.Response:
    seconds = json_object(await json_body(request)).get("advance_seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        raise bad_request("'advance_seconds' must be a number")
    return _reply(_controls(request).advance_clock(seconds))


@routes.get("/sandbox/stats")
async def stats(request: web.Request) -> web.Response:
    return web.json_response(_controls(request).stats())


@routes.delete("/sandbox/stats")
async def reset_stats(request: web.Request) -> web.Response:
    _controls(request).reset_stats()
    return web.json_response({"counts": {}})


@routes.get("/sandbox/state")
async def state(request: web.Request) -> web.Response:
    return web.json_response(_controls(request).state_dump())
