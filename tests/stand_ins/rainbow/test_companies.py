"""Company create/list/get/delete refuse what Rainbow refuses, and lists follow the paging rules."""

from __future__ import annotations

import pytest

from standins.rainbow import Sandbox

from .rainbow_http import ADMIN, ENDUSER, RainbowHttp

ACME = {"name": "Acme", "country": "FRA"}


async def test_bp_admin_create_starts_initializing_under_our_bp(api: RainbowHttp, sandbox: Sandbox) -> None:
    reply = await api.post(
        f"{ADMIN}/companies",
        {
            **ACME,
            "status": "active",
            "externalReference": "CUST-001",
            "externalReference2": "Q3",
            "supportEmail": "support@acme.example.com",
        },
    )

    assert reply.status == 200
    company = reply.data
    assert company["status"] == "initializing"
    assert company["bpId"] == sandbox.bp_company_id
    assert company["visibility"] == "private"
    assert (company["externalReference"], company["externalReference2"]) == ("CUST-001", "Q3")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"country": "XYZ"}, "country"),
        ({"country": "FR"}, "country"),
        ({"country": "fra"}, "country"),
        ({"country": "USA"}, "state"),
        ({"country": "CAN"}, "state"),
        ({"country": "USA", "state": "QC"}, "state"),
        ({"country": "CAN", "state": "CA-QC"}, "state"),
        ({"visibility": "organization"}, "visibility"),
        ({"visibility": "closed"}, "visibility"),
        ({"supportEmail": "help@acme.agency"}, "supportEmail"),
        ({"supportEmail": "not-an-address"}, "supportEmail"),
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": None}, "name"),
    ],
)
@pytest.mark.rainbow_deviation
async def test_invalid_company_fields_are_a_400(api: RainbowHttp, fields: dict[str, object], problem: str) -> None:
    reply = await api.post(f"{ADMIN}/companies", {**ACME, **fields})

    assert (reply.status, reply.detail_code) == (400, 400000)
    assert any(detail["param"] == problem for detail in reply.body["errorDetails"]), reply.body


async def test_usa_and_canada_take_a_subdivision_code(api: RainbowHttp) -> None:
    new_york = await api.post(f"{ADMIN}/companies", {"name": "NY Co", "country": "USA", "state": "NY"})
    quebec = await api.post(f"{ADMIN}/companies", {"name": "QC Co", "country": "CAN", "state": "QC"})
    france = await api.post(f"{ADMIN}/companies", {"name": "FR Co", "country": "FRA", "state": "NY"})

    assert (new_york.status, quebec.status, france.status) == (200, 200, 200)
    assert (new_york.data["state"], quebec.data["state"]) == ("NY", "QC")
    assert "state" not in france.data


async def test_a_duplicate_name_is_accepted(api: RainbowHttp) -> None:
    first = await api.post(f"{ADMIN}/companies", ACME)
    second = await api.post(f"{ADMIN}/companies", ACME)

    assert (first.status, second.status) == (200, 200)
    assert first.data["id"] != second.data["id"]


@pytest.mark.rainbow_deviation
async def test_admin_list_shows_only_our_company_and_customers(api: RainbowHttp, sandbox: Sandbox) -> None:
    ours = (await api.post(f"{ADMIN}/companies", ACME)).data
    sandbox.create_customer_company("Stranger Inc")

    listed = await api.get(f"{ADMIN}/companies", {"format": "full"})
    by_bp = await api.get(f"{ADMIN}/companies", {"bpId": sandbox.bp_company_id})
    other_bp = await api.get(f"{ADMIN}/companies", {"bpId": "0" * 24})

    assert {c["id"] for c in listed.data} == {ours["id"], sandbox.bp_company_id}
    assert [c["id"] for c in by_bp.data] == [ours["id"]]
    assert other_bp.status == 403


async def test_admin_filters(api: RainbowHttp) -> None:
    for name, reference in (("My Company", "ABC1"), ("Other", "abc2"), ("Compass", "XABC")):
        await api.post(f"{ADMIN}/companies", {**ACME, "name": name, "externalReference": reference})

    by_name = await api.get(f"{ADMIN}/companies", {"name": "COMP"})
    by_reference = await api.get(f"{ADMIN}/companies", {"externalReference": "ABC"})
    without_bp = await api.get(f"{ADMIN}/companies", {"hasBP": "false"})

    assert sorted(c["name"] for c in by_name.data) == ["Compass", "My Company"]
    assert [c["name"] for c in by_reference.data] == ["My Company"]
    assert [c["name"] for c in without_bp.data] == ["Sandbox Reseller (BP)"]


@pytest.mark.rainbow_deviation
async def test_small_format_keeps_id_and_name(api: RainbowHttp) -> None:
    await api.post(f"{ADMIN}/companies", ACME)

    small = await api.get(f"{ADMIN}/companies", {"name": "acme"})
    medium = await api.get(f"{ADMIN}/companies", {"name": "acme", "format": "medium"})
    wrong = await api.get(f"{ADMIN}/companies", {"format": "huge"})

    assert set(small.data[0]) == {"id", "name"}
    assert medium.data[0]["status"] == "initializing"
    assert wrong.status == 400


@pytest.mark.rainbow_deviation
async def test_repeated_status_keys_select_several_statuses(api: RainbowHttp, sandbox: Sandbox) -> None:
    initializing = (await api.post(f"{ADMIN}/companies", ACME)).data

    both = await api.get(f"{ADMIN}/companies", [("status", "initializing"), ("status", "active")])
    only_active = await api.get(f"{ADMIN}/companies", [("status", "active")])
    comma_joined = await api.get(f"{ADMIN}/companies", {"status": "initializing,active"})

    assert {c["id"] for c in both.data} == {initializing["id"], sandbox.bp_company_id}
    assert [c["id"] for c in only_active.data] == [sandbox.bp_company_id]
    assert comma_joined.status == 400


@pytest.mark.parametrize("value", ["True", "1", "no", ""])
@pytest.mark.rainbow_deviation
async def test_booleans_must_be_true_or_false_strings(api: RainbowHttp, value: str) -> None:
    reply = await api.get(f"{ENDUSER}/companies", {"hasBP": value})

    assert reply.status == 400


@pytest.mark.rainbow_deviation
async def test_has_bp_true_is_refused_for_a_bp_admin(api: RainbowHttp) -> None:
    assert (await api.get(f"{ADMIN}/companies", {"hasBP": "true"})).status == 400
    assert (await api.get(f"{ENDUSER}/companies", {"hasBP": "true"})).status == 400


async def test_pagination_limits_offsets_and_totals(api: RainbowHttp) -> None:
    for index in range(7):
        await api.post(f"{ADMIN}/companies", {**ACME, "name": f"Paged {index}"})

    pages = [await api.get(f"{ADMIN}/companies", {"name": "paged", "limit": "3", "offset": str(o)}) for o in (0, 3, 6)]
    past_the_end = await api.get(f"{ADMIN}/companies", {"name": "paged", "offset": "50"})
    capped = await api.get(f"{ADMIN}/companies", {"limit": "5000"})
    default = await api.get(f"{ADMIN}/companies")

    names = [c["name"] for page in pages for c in page.data]
    assert names == [f"Paged {index}" for index in range(7)]
    assert [(p.body["limit"], p.body["offset"], p.body["total"]) for p in pages] == [(3, 0, 7), (3, 3, 7), (3, 6, 7)]
    assert (past_the_end.data, past_the_end.body["total"]) == ([], 7)
    assert capped.body["limit"] == 1000
    assert default.body["limit"] == 100


@pytest.mark.parametrize("params", [{"limit": "abc"}, {"limit": "0"}, {"offset": "-1"}, {"sortOrder": "2"}])
@pytest.mark.rainbow_deviation
async def test_malformed_paging_is_a_400(api: RainbowHttp, params: dict[str, str]) -> None:
    assert (await api.get(f"{ADMIN}/companies", params)).status == 400


async def test_sorting_by_name_descending(api: RainbowHttp) -> None:
    for name in ("beta", "Alpha", "gamma"):
        await api.post(f"{ADMIN}/companies", {**ACME, "name": name})

    reply = await api.get(f"{ADMIN}/companies", {"bpId": api.sandbox.bp_company_id, "sortOrder": "-1"})

    assert [c["name"] for c in reply.data] == ["gamma", "beta", "Alpha"]


async def test_get_company_by_id_scope(api: RainbowHttp, sandbox: Sandbox) -> None:
    ours = (await api.post(f"{ADMIN}/companies", ACME)).data
    stranger = sandbox.create_customer_company("Stranger Inc")

    mine = await api.get(f"{ADMIN}/companies/{ours['id']}")
    theirs = await api.get(f"{ADMIN}/companies/{stranger['id']}")
    unknown = await api.get(f"{ADMIN}/companies/{'f' * 24}")

    assert (mine.status, mine.data["status"]) == (200, "initializing")
    assert (theirs.status, unknown.status) == (404, 404)  # GetCompaniesId documents no 403


async def test_default_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    reply = await api.get(f"{ADMIN}/companies/default")

    assert reply.data == {"id": sandbox.default_company_id, "name": "Default"}


async def test_enduser_search_sees_public_companies_and_ours_only(api: RainbowHttp, sandbox: Sandbox) -> None:
    public = sandbox.create_customer_company("Visible Télécom")
    hidden = sandbox.create_customer_company("Hidden Télécom", visibility="private")
    linked = sandbox.create_customer_company("Linked Télécom", ours=True)
    other = sandbox.create_customer_company("Partner Télécom")
    sandbox.state.companies[other["id"]].bp_id = "0" * 24

    everything = await api.get(f"{ENDUSER}/companies", {"name": "télé"})
    without_bp = await api.get(f"{ENDUSER}/companies", {"name": "TÉLÉ", "hasBP": "false"})
    hidden_by_id = await api.get(f"{ENDUSER}/companies/{hidden['id']}")

    assert {c["id"] for c in everything.data} == {public["id"], linked["id"], other["id"]}
    assert [c["id"] for c in without_bp.data] == [public["id"]]
    assert hidden_by_id.status == 404  # getCompanyById documents no 403
    assert (await api.get(f"{ENDUSER}/companies/{public['id']}")).data["name"] == "Visible Télécom"


async def test_countries_are_iso_alpha3(api: RainbowHttp) -> None:
    reply = await api.get(f"{ENDUSER}/countries")

    by_code = {country["isoAlpha3Code"]: country for country in reply.data}
    assert by_code["FRA"] == {"isoAlpha3Code": "FRA", "fullname": "France"}
    assert len(by_code) == 249
    assert set(reply.body) == {"data"}


@pytest.mark.rainbow_deviation
async def test_delete_only_customers_without_users(api: RainbowHttp, sandbox: Sandbox) -> None:
    empty = (await api.post(f"{ADMIN}/companies", ACME)).data
    staffed = (await api.post(f"{ADMIN}/companies", {**ACME, "name": "Staffed"})).data
    invitation = (
        await api.post(f"{ADMIN}/companies/{staffed['id']}/join-companies/invitations", {"email": "a@staffed.com"})
    ).data
    sandbox.accept_join_invitation(invitation["id"])

    deleted = await api.delete(f"{ADMIN}/companies/{empty['id']}")
    refused = await api.delete(f"{ADMIN}/companies/{staffed['id']}")
    own = await api.delete(f"{ADMIN}/companies/{sandbox.bp_company_id}")

    assert deleted.status == 200
    assert (await api.get(f"{ADMIN}/companies/{empty['id']}")).status == 404
    assert (refused.status, own.status) == (409, 403)


async def test_errors_use_the_documented_body(api: RainbowHttp) -> None:
    reply = await api.get(f"{ADMIN}/companies/{'f' * 24}")

    assert set(reply.body) == {"errorCode", "errorMsg", "errorDetails", "errorDetailsCode"}
    assert (reply.body["errorCode"], reply.body["errorMsg"]) == (404, "Not Found")
    assert reply.headers["x-rainbow-request-id"]
