"""Fault injection, request statistics, the users search switch and the /sandbox/ control routes."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from standins.rainbow import Sandbox

from .rainbow_http import ADMIN, AUTH, ENDUSER, RainbowHttp

COUNTRIES = f"{ENDUSER}/countries"


async def test_a_status_rule_fires_the_given_number_of_times(api: RainbowHttp) -> None:
    rule = {"method": "GET", "path_prefix": COUNTRIES, "status": 503, "retry_after": 2, "times": 2}
    configured = await api.post("/sandbox/faults", {"rules": [rule]})

    replies = [await api.get(COUNTRIES) for _ in range(3)]

    assert configured.status == 200
    assert [reply.status for reply in replies] == [503, 503, 200]
    assert replies[0].headers["Retry-After"] == "2"
    assert replies[0].body["errorCode"] == 503
    assert (await api.get("/sandbox/state")).body["faults"]["rules"] == []


async def test_rules_match_method_and_path_prefix(api: RainbowHttp) -> None:
    await api.post("/sandbox/faults", {"rules": [{"method": "POST", "path_prefix": f"{ADMIN}/companies"}]})

    read = await api.get(f"{ADMIN}/companies")
    write = await api.post(f"{ADMIN}/companies", {"name": "Acme", "country": "FRA"})

    assert (read.status, write.status) == (200, 503)
    assert (await api.get(f"{ADMIN}/companies", {"name": "acme"})).body["total"] == 0


async def test_a_zero_rate_rule_never_fires(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.set_faults(rules=[{"path_prefix": "/api/", "rate": 0}])

    assert [(await api.get(COUNTRIES)).status for _ in range(5)] == [200] * 5


async def test_drop_connection_closes_without_an_answer(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.set_faults(rules=[{"path_prefix": COUNTRIES, "drop_connection": True}])

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.get(COUNTRIES)

    await api.request("DELETE", "/sandbox/faults")
    assert (await api.get(COUNTRIES)).status == 200


async def test_latency_delays_every_api_answer(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=1500)

    with pytest.raises(asyncio.TimeoutError):
        await api.get(COUNTRIES, client_timeout=0.2)

    sandbox.clear_faults()
    assert (await api.get(COUNTRIES)).status == 200


@pytest.mark.parametrize(
    "settings",
    [
        {"rules": [{"method": "FETCH"}]},
        {"rules": [{"status": 200}]},
        {"rules": [{"rate": 2}]},
        {"rules": [{"times": 0}]},
        {"latency_ms": -1},
        {"token_lifetime_seconds": 0},
        {"unknown": True},
    ],
)
async def test_malformed_fault_settings_are_a_400(api: RainbowHttp, settings: dict[str, object]) -> None:
    assert (await api.post("/sandbox/faults", settings)).status == 400


async def test_clearing_faults_restores_the_start_settings(sandbox: Sandbox) -> None:
    sandbox.set_faults(latency_ms=5, token_lifetime_seconds=2, max_token_renew=0, users_search_forbidden=True)

    cleared = sandbox.clear_faults()

    assert cleared == {
        "latency_ms": 0,
        "rules": [],
        "token_lifetime_seconds": 3600,
        "max_token_renew": 5,
        "users_search_forbidden": False,
    }


async def test_stats_count_every_api_request_by_route_template(api: RainbowHttp, sandbox: Sandbox) -> None:
    request = sandbox.file_link_request(company_name="Asking SARL")
    accept = f"{ADMIN}/companies/{sandbox.bp_company_id}/bp-link/requests/{request['id']}/accept"
    await api.post(accept)
    await api.post(accept)
    await api.get(f"{ADMIN}/companies/{sandbox.bp_company_id}")
    await api.get(f"{ADMIN}/companies/{'f' * 24}")
    await api.login(password="wrong")

    counts = (await api.get("/sandbox/stats")).body["counts"]

    assert counts == {
        f"GET {AUTH}/login": 2,
        f"POST {ADMIN}/companies/{{companyId}}/bp-link/requests/{{requestId}}/accept": 2,
        f"GET {ADMIN}/companies/{{companyId}}": 2,
    }
    assert sandbox.stats() == {"counts": counts}


@pytest.mark.rainbow_deviation
async def test_refused_and_faulted_requests_are_counted(anonymous: RainbowHttp, sandbox: Sandbox) -> None:
    await anonymous.get(COUNTRIES)
    sandbox.set_faults(rules=[{"path_prefix": "/api/", "status": 500, "times": 1}])
    await anonymous.get(COUNTRIES)
    await anonymous.get("/api/rainbow/nothing/here")

    counts = sandbox.stats()["counts"]

    assert counts[f"GET {COUNTRIES}"] == 2
    assert counts["GET /api/rainbow/nothing/here"] == 1


async def test_users_search_and_its_forbidden_switch(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.add_default_user("Alice Martin", "alice@people.com", "Alice", "Martin")
    customer = (await api.post(f"{ADMIN}/companies", {"name": "Martin SA", "country": "FRA"})).data
    invitation = await api.post(
        f"{ADMIN}/companies/{customer['id']}/join-companies/invitations", {"email": "marta@martin.com"}
    )
    sandbox.accept_join_invitation(invitation.data["id"])
    params = {"displayName": "MART", "format": "small", "limit": "20"}

    default_users = await api.get(f"{ADMIN}/users", {**params, "companyId": sandbox.default_company_id})
    found = await api.get(f"{ADMIN}/users", params)
    await api.post("/sandbox/faults", {"users_search_forbidden": True})
    refused = await api.get(f"{ADMIN}/users", params)

    # A bp_admin gets only users of its End Customers (admin OpenAPI 1.82.0, GetUsers).
    assert (default_users.status, default_users.data) == (200, [])
    assert found.data == [
        {
            "id": found.data[0]["id"],
            "loginEmail": "marta@martin.com",
            "displayName": "marta",
            "companyId": customer["id"],
            "companyName": "Martin SA",
            "isTerminated": False,
        }
    ]
    assert (refused.status, refused.detail_code) == (403, 403630)


async def test_users_of_a_stranger_company_are_not_listed(api: RainbowHttp, sandbox: Sandbox) -> None:
    stranger = sandbox.create_customer_company("Stranger Inc")

    assert (await api.get(f"{ADMIN}/users", {"companyId": stranger["id"]})).data == []


async def test_control_routes_create_customer_side_records(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await api.post("/sandbox/companies", {"name": "Public Co", "country": "DEU"})
    ours = await api.post("/sandbox/companies", {"name": "Our Co", "ours": True})
    user = await api.post("/sandbox/users", {"displayName": "Zoé", "loginEmail": "zoe@people.com"})
    duplicate = await api.post("/sandbox/users", {"displayName": "Zoé", "loginEmail": "ZOE@people.com"})
    bad_country = await api.post("/sandbox/companies", {"name": "X", "country": "Germany"})

    assert (company.status, company.data["visibility"]) == (201, "public")
    assert "bpId" not in company.data
    assert ours.data["bpId"] == sandbox.bp_company_id
    assert user.data["companyId"] == sandbox.default_company_id
    assert (duplicate.status, bad_country.status) == (409, 400)


async def test_control_answers_to_unknown_ids_are_a_404(api: RainbowHttp) -> None:
    for path in (
        "/sandbox/join-invitations/unknown/accept",
        "/sandbox/bp-link/invitations/unknown/decline",
        "/sandbox/bp-link/requests/unknown/cancel",
    ):
        assert (await api.post(path)).status == 404


async def test_declining_a_link_invitation_through_the_control_route(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    invitation = await api.post(
        f"{ADMIN}/companies/{sandbox.bp_company_id}/bp-link/invitations", {"invitedCompanyId": prospect["id"]}
    )

    declined = await api.post(f"/sandbox/bp-link/invitations/{invitation.data['id']}/decline")

    assert declined.data["status"] == "declined"
    assert "bpId" not in sandbox.company(prospect["id"])


async def test_clock_only_moves_forward(api: RainbowHttp) -> None:
    before = (await api.get("/sandbox/state")).body["now"]

    moved = await api.post("/sandbox/clock", {"advance_seconds": 86400})
    backwards = await api.post("/sandbox/clock", {"advance_seconds": -1})

    assert moved.data["now"][:10] > before[:10]
    assert backwards.status == 400


async def test_state_dump_lists_everything(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.file_link_request(company_name="Asking SARL")

    dump = (await api.get("/sandbox/state")).body

    assert dump["bpCompanyId"] == sandbox.bp_company_id
    assert {c["name"] for c in dump["companies"]} == {"Default", "Sandbox Reseller (BP)", "Asking SARL"}
    assert len(dump["linkRequests"]) == 1
    assert dump["users"][0]["loginEmail"] == sandbox.credentials.login


async def test_environment_lines_point_at_the_running_sandbox(sandbox: Sandbox) -> None:
    environment = sandbox.environment()

    assert environment["RAINBOW_HOST"] == sandbox.url
    assert environment["RAINBOW_LOGIN"] == sandbox.credentials.login
    assert set(environment) == {
        "RAINBOW_HOST",
        "RAINBOW_LOGIN",
        "RAINBOW_PASSWORD",
        "RAINBOW_APP_ID",
        "RAINBOW_APP_SECRET",
    }
