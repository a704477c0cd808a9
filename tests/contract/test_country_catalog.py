"""The country picker's list: Rainbow's own, read in its documented shape; an unreadable list is a problem,
never a cached success, and the picker then offers the built-in ISO list."""

import pytest

from bot.rainbow import RainbowClient
from bot.services import countries
from bot.services.countries import CountryCatalog
from tests.contract.support import Controls

COUNTRIES = "/api/rainbow/enduser/v1.0/countries"


async def test_rainbows_list_is_read_in_its_documented_shape(client: RainbowClient) -> None:
    catalog = CountryCatalog(client)

    names = await catalog.names()

    assert names["FRA"] == "France"
    assert catalog.known() is not None and "USA" in catalog.known()
    assert catalog.problem is None
    assert await catalog.search("fra") == [("FRA", "France (FRA)")]


async def test_an_unreadable_list_is_a_problem_retried_later_with_the_builtin_list_meanwhile(
    client: RainbowClient, controls: Controls, caplog: pytest.LogCaptureFixture
) -> None:
    await controls.faults(rules=[{"method": "GET", "path_prefix": COUNTRIES, "status": 500}])
    catalog = CountryCatalog(client)

    names = await catalog.names()

    assert names["FRA"] == "France" and len(names) > 200  # pycountry's, so the picker still works
    assert catalog.known() is None  # validation does not pretend Rainbow confirmed the list
    assert catalog.problem and "could not be read" in catalog.problem
    assert "country list could not be read" in caplog.text
    await controls.faults(rules=[])
    catalog._expires = 0.0  # the fallback's retry time has come

    await catalog.names()
    await catalog._refreshing

    assert catalog.problem is None and catalog.known() is not None


async def test_the_first_load_never_holds_a_typeahead_beyond_its_budget(
    client: RainbowClient, controls: Controls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(countries, "TYPEAHEAD_WAIT_SECONDS", 0.05)
    await controls.faults(latency_ms=500)
    catalog = CountryCatalog(client)

    names = await catalog.names()

    assert names == countries.builtin_names()
    assert catalog._refreshing is not None and not catalog._refreshing.done()
    await catalog._refreshing
    assert catalog.known() is not None
