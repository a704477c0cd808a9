"""Seeded data: deterministic, unique names, a realistic mix, and usable at benchmark size."""

from __future__ import annotations

from collections import Counter

import aiohttp

from standins.rainbow import Sandbox
from standins.rainbow.seed import DEFAULT_USERS, company_names

from .rainbow_http import ADMIN, ENDUSER, RainbowHttp


def test_names_are_unique_and_deterministic() -> None:
    names = list(company_names(12000))

    assert len(set(names)) == len(names)
    assert names == list(company_names(12000))
    assert names[0] == "Étoile Télécom"


def test_a_large_seed_has_the_documented_mix() -> None:
    sandbox = Sandbox(seed_companies=2000)
    state = sandbox.state
    seeded = [c for c in state.companies.values() if not (c.is_default or c.is_bp)]

    ours = [c for c in seeded if c.bp_id == state.bp_company.id]
    statuses = Counter(c.status.value for c in ours)
    free_public = [c for c in seeded if c.bp_id is None and c.visibility == "public"]

    assert len(seeded) == 2000
    assert 150 < len(ours) < 350
    assert set(statuses) == {"active", "initializing", "hold", "alerting"}
    assert len(free_public) > 1200
    assert len(state.users_of(state.default_company.id)) == len(DEFAULT_USERS)


async def test_seeded_companies_are_searchable() -> None:
    seeded = Sandbox(seed_companies=100)
    await seeded.start()
    try:
        async with aiohttp.ClientSession() as session:
            api = RainbowHttp(session, seeded)
            assert (await api.login()).status == 200
            accented = await api.get(f"{ENDUSER}/companies", {"name": "étoile", "hasBP": "false"})
            customers = await api.get(f"{ADMIN}/companies", {"bpId": seeded.bp_company_id, "format": "medium"})
    finally:
        await seeded.stop()

    assert [c["name"] for c in accented.data] == ["Étoile Télécom"]
    assert customers.body["total"] > 0
