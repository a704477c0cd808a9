"""A typeahead answer spends at most TYPEAHEAD_SECONDS on Rainbow in all, however many calls it needs
(the user search makes two), so Slack's 3 s are never exceeded."""

import pytest

from bot.rainbow import RainbowClient, RainbowUnavailable
from bot.services import typeahead
from bot.services.typeahead import within_typeahead_budget
from tests.contract.support import Controls


async def test_a_slow_rainbow_ends_the_search_at_the_budget(
    client: RainbowClient, controls: Controls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typeahead, "TYPEAHEAD_SECONDS", 0.2)
    await controls.faults(latency_ms=150)  # each of the two calls fits alone; both do not

    with pytest.raises(RainbowUnavailable) as ended:
        await within_typeahead_budget(client.search_users_without_company("Ada"), "search_users_without_company")

    assert "no answer within 0.2 s" in str(ended.value)


async def test_a_prompt_rainbow_answers_within_the_budget(client: RainbowClient, controls: Controls) -> None:
    target = await controls.company("Prospect SA")

    found = await within_typeahead_budget(client.search_companies_without_reseller("Pros"), "search")

    assert [company.id for company in found] == [target["id"]]
