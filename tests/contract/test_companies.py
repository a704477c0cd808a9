"""Company operations, the typeahead searches and pagination, against the sandbox."""

import asyncio

import pytest

from bot.rainbow import RainbowClient, RainbowSearchUnavailable, RainbowServerError, RainbowUnavailable
from standins.rainbow import Sandbox
from tests.contract.support import COMPANIES, ClientFactory, Controls

ENDUSER_COMPANIES = "GET /api/rainbow/enduser/v1.0/companies"
USERS = "GET /api/rainbow/admin/v1.0/users"


async def test_countries(client: RainbowClient) -> None:
    countries = await client.countries()

    by_code = {country.alpha3: country.name for country in countries}
    assert by_code["FRA"] == "France"
    assert "USA" in by_code
    assert len(by_code) > 200


async def test_create_then_get_company(client: RainbowClient, sandbox: Sandbox) -> None:
    created = await client.create_company(
        "Étoile Télécom",
        "USA",
        state="NY",
        visibility="private",
        external_reference="CUST-001",
        external_reference2="Q3-batch",
        support_email="support@etoile.example.com",
    )
    fetched = await client.get_company(created.id)

    assert created.status == "initializing"
    assert created.bp_id == sandbox.bp_company_id
    assert fetched.name == "Étoile Télécom"
    assert (fetched.country, fetched.state, fetched.visibility) == ("USA", "NY", "private")
    assert (fetched.external_reference, fetched.external_reference2) == ("CUST-001", "Q3-batch")
    assert fetched.support_email == "support@etoile.example.com"
    assert fetched.creation_date is not None and fetched.creation_date.tzinfo is not None


async def test_list_customers_walks_every_page(client: RainbowClient, controls: Controls, sandbox: Sandbox) -> None:
    await asyncio.gather(*(controls.company(f"Customer {i:03d}", ours=True) for i in range(250)))
    await controls.company("Not ours")

    customers = await client.list_customers()

    assert len(customers) == 250
    assert len({company.id for company in customers}) == 250
    assert sandbox.bp_company_id not in {company.id for company in customers}
    assert controls.count(f"GET {COMPANIES}") == 3


async def test_list_customers_filters(client: RainbowClient) -> None:
    await client.create_company("Alpha Networks", "FRA", external_reference="REF-1")
    await client.create_company("Beta Alpha", "FRA", external_reference="OTHER")
    await client.create_company("Gamma", "FRA")

    by_name = await client.list_customers(name="alpha")
    by_reference = await client.list_customers(external_reference="REF")
    by_status = await client.list_customers(statuses=["active", "hold"])
    initializing = await client.list_customers(statuses=["initializing"])

    assert {company.name for company in by_name} == {"Alpha Networks", "Beta Alpha"}
    assert [company.name for company in by_reference] == ["Alpha Networks"]
    assert by_status == []
    assert len(initializing) == 3


async def test_search_without_reseller_is_a_strict_accent_insensitive_prefix(
    client: RainbowClient, controls: Controls
) -> None:
    await controls.company("Étoile Télécom")
    await controls.company("Etoiles du Sud")
    await controls.company("Bel Étoile")
    await controls.company("Étoile Linked", ours=True)

    found = await client.search_companies_without_reseller("eto")

    assert sorted(company.name for company in found) == ["Etoiles du Sud", "Étoile Télécom"]
    assert await client.search_companies_without_reseller("  ") == []


async def test_search_without_reseller_honours_the_limit(client: RainbowClient, controls: Controls) -> None:
    await asyncio.gather(*(controls.company(f"Zeta {i:02d}") for i in range(30)))

    assert len(await client.search_companies_without_reseller("zeta", limit=5)) == 5


async def test_search_visible_companies(client: RainbowClient, controls: Controls) -> None:
    await controls.company("Acme Public")
    await client.create_company("Acme Customer", "FRA")
    await controls.company("Acme Hidden", visibility="private")

    names = {company.name for company in await client.search_visible_companies("acme")}

    assert {"Acme Public", "Acme Customer"} <= names
    assert "Acme Hidden" not in names


async def test_default_company_id_is_cached(client: RainbowClient, controls: Controls) -> None:
    first = await client.default_company_id()

    assert await client.default_company_id() == first
    assert controls.count(f"GET {COMPANIES}/default") == 1


async def test_search_users_without_company(client: RainbowClient, controls: Controls) -> None:
    await controls.post("/sandbox/users", {"displayName": "Zoé Martin", "loginEmail": "zoe@free.example.com"})
    await controls.post("/sandbox/users", {"displayName": "Anne Zola", "loginEmail": "anne@free.example.com"})
    await controls.post(
        "/sandbox/users", {"firstName": "Zack", "lastName": "Stone", "loginEmail": "zack@free.example.com"}
    )

    found = await client.search_users_without_company("zo")

    # GetUsers gives a bp_admin only the users of its End Customers (admin OpenAPI 1.82.0): an empty 200.
    assert found == []
    assert controls.count("GET /api/rainbow/admin/v1.0/users") == 1


async def test_users_search_degrades_when_refused(client: RainbowClient, controls: Controls) -> None:
    await controls.faults(users_search_forbidden=True)

    with pytest.raises(RainbowSearchUnavailable) as raised:
        await client.search_users_without_company("zo")

    assert raised.value.status == 403
    assert "e-mail" in str(raised.value)
    assert controls.count(USERS) == 1


async def test_users_search_does_not_retry_inside_slacks_window(make_client: ClientFactory, controls: Controls) -> None:
    client = make_client(search_timeout_seconds=0.2)
    await client.default_company_id()
    await controls.faults(rules=[{"method": "GET", "path_prefix": "/api/rainbow/admin/v1.0/users", "status": 503}])

    with pytest.raises(RainbowServerError) as raised:
        await client.search_users_without_company("zo")
    await controls.faults(rules=[], latency_ms=600)
    with pytest.raises(RainbowUnavailable):
        await client.search_users_without_company("zo")

    assert raised.value.status == 503
    assert controls.count(USERS) == 2
