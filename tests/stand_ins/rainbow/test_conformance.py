"""Every sandbox route is a documented Rainbow operation, and driving each one leaves no contract deviation:
requests and answers are checked against Rainbow's OpenAPI files by `standins.rainbow.contract`."""

from __future__ import annotations

import re

import pytest

from standins.rainbow import Sandbox, contract

from .rainbow_http import ADMIN, AUTH, ENDUSER, RainbowHttp

_PLACEHOLDER = re.compile(r"\{[^}]+\}")


def _api_routes(sandbox: Sandbox) -> set[str]:
    routes = set()
    for route in sandbox.app.router.routes():
        canonical = route.resource.canonical if route.resource is not None else ""
        if canonical.startswith("/api/") and route.method != "HEAD":
            routes.add(f"{route.method} {canonical}")
    return routes


def _shape(template: str) -> str:
    return _PLACEHOLDER.sub("{}", template)


def test_every_sandbox_route_is_a_documented_operation(sandbox: Sandbox) -> None:
    documented = {f"{op.method} {_shape(op.template)}" for op in contract.operations()}

    undocumented = {route for route in _api_routes(sandbox) if _shape(route) not in documented}

    assert undocumented == set()


async def test_driving_every_route_leaves_no_deviation(api: RainbowHttp, sandbox: Sandbox) -> None:
    bp = sandbox.bp_company_id
    company = (await api.post(f"{ADMIN}/companies", {"name": "Acme", "country": "USA", "state": "NY"})).data
    spare = (
        await api.post(f"{ADMIN}/companies", {"name": "Spare", "country": "FRA", "visibility": "organisation"})
    ).data
    await api.get(f"{ADMIN}/companies", {"format": "full", "bpId": bp, "status": ["initializing", "active"]})
    await api.get(f"{ADMIN}/companies/default")
    await api.get(f"{ADMIN}/companies/{company['id']}", {"format": "full"})
    await api.get(f"{ADMIN}/companies/{'f' * 24}")
    await api.delete(f"{ADMIN}/companies/{spare['id']}")
    await api.get(f"{ADMIN}/users", {"displayName": "a", "format": "small", "limit": "100"})
    prospect = sandbox.create_customer_company("Prospect Télécom")
    await api.get(f"{ENDUSER}/companies", {"name": "Prosp", "hasBP": "false", "format": "medium", "sortField": "name"})
    await api.get(f"{ENDUSER}/companies/{prospect['id']}", {"format": "medium"})
    await api.get(f"{ENDUSER}/countries")

    joins = f"{ADMIN}/companies/{company['id']}/join-companies/invitations"
    first = (await api.post(joins, {"email": "boss@acme.com", "invitedToBeCompanyAdmin": True, "lang": "en"})).data
    await api.get(joins, {"format": "full", "status": ["pending", "accepted"], "limit": "100", "offset": "0"})
    await api.get(f"{joins}/{first['id']}")
    await api.post(f"{joins}/{first['id']}/cancel", {})
    await api.post(f"{joins}/{first['id']}/re-send", {"customMessage": "Welcome"})
    sandbox.accept_join_invitation(first["id"])
    await api.post(f"{joins}/{first['id']}/cancel", {})  # 409: documented for an accepted invitation

    links = f"{ADMIN}/companies/{bp}/bp-link/invitations"
    invitation = (await api.post(links, {"invitedCompanyId": prospect["id"], "lang": "fr"})).data
    await api.get(links, {"format": "full", "status": "pending"})
    await api.get(links, {"format": "small"})
    await api.get(f"{links}/{invitation['id']}")
    await api.post(f"{links}/{invitation['id']}/cancel", {})
    await api.post(f"{links}/{invitation['id']}/re-send", {})
    await api.post(f"{links}/{invitation['id']}/accept", {})
    await api.post(f"{links}/{invitation['id']}/decline", {})

    requests = f"{ADMIN}/companies/{bp}/bp-link/requests"
    filed = sandbox.file_link_request(company_name="Asking SARL", admin_email="boss@asking.fr")
    declined = sandbox.file_link_request(company_name="Other SARL", admin_email="boss@other.fr")
    await api.get(requests, {"format": "full", "status": "pending"})
    await api.get(f"{requests}/{filed['id']}")
    await api.post(f"{requests}/{filed['id']}/accept", {})
    await api.post(f"{requests}/{declined['id']}/decline", {})
    await api.post(f"{requests}/{filed['id']}/cancel", {})
    await api.post(f"{requests}/{filed['id']}/re-send", {})

    renewed = await api.get(f"{AUTH}/renew")
    api.token = renewed.body["token"]
    await api.get(f"{AUTH}/logout")

    hit = set(sandbox.stats()["counts"])
    assert _api_routes(sandbox) - hit == set()
    assert sandbox.contract.deviations == []


@pytest.mark.rainbow_deviation
async def test_a_deviating_request_gets_rainbows_validation_answer_and_is_recorded(
    api: RainbowHttp, sandbox: Sandbox
) -> None:
    reply = await api.post(f"{ADMIN}/companies", {"name": "Acme", "visibility": "organization", "colour": "red"})

    assert reply.status == 400
    assert (reply.body["errorCode"], reply.body["errorMsg"], reply.body["errorDetailsCode"]) == (
        400,
        "Bad Request",
        400000,
    )
    assert {(d["param"], d["value"]) for d in reply.body["errorDetails"]} == {
        ("visibility", "organization"),
        ("colour", "red"),
    }
    assert [(d.direction, d.param) for d in sandbox.contract.deviations] == [
        ("request", "visibility"),
        ("request", "colour"),
    ]
    assert sandbox.state_dump()["companies"][-1]["name"] != "Acme"  # nothing was created


OPERATIONS_THE_BOT_USES = (
    "GetBasicLogin",
    "GetRenew",
    "PostCompanies",
    "GetCompanies",
    "GetCompaniesId",
    "GetDefaultCompany",
    "GetUsers",
    "getCompanies",
    "getCountries",
    "admin_PostJoinCompanyInvite",
    "GetJoinCompanyInvitations",
    "GetJoinCompanyInviteById",
    "PutCancelJoinCompanyInviteById",
    "ResendJoinCompanyInviteById",
    "admin_PostLinkEcToBpInvite",
    "GetLinkECToBPInvitations",
    "GetLinkECToBPInviteById",
    "PutCancelLinkEcToBpInviteById",
    "ResendLinkEcToBpInviteById",
    "GetLinkECToBPRequests",
    "GetLinkECToBPRequestById",
    "admin_PostAcceptLinkEcToBpRequest",
    "admin_PostDeclineLinkEcToBpRequest",
)


# The company examples carry `customData.key1: 123` where the schema says string; the sandbox sends no customData.
SPEC_CONTRADICTIONS = {"customData.key1"}


@pytest.mark.parametrize("operation_id", OPERATIONS_THE_BOT_USES)
def test_the_specs_own_success_examples_pass_the_answer_check(operation_id: str) -> None:
    """The checker reads Swagger 2.0 as Rainbow wrote it: `data`-inner response definitions, nulls in examples,
    enums the spec contradicts elsewhere. Its own examples must pass, or the checker is wrong."""
    operation = next(op for op in contract.operations() if op.operation_id == operation_id)
    examples = operation.raw["responses"]["200"].get("examples", {}).values()

    for example in examples:
        problems = contract.check_response(operation, 200, example)
        assert [problem for problem in problems if problem["param"] not in SPEC_CONTRADICTIONS] == []
