"""views.open/push/update/publish: triggers, stacks, hashes, as Slack enforces them."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from standins.slack import FakeSlack

from .conftest import ALICE, modal, section, text_input


async def slack_error(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.response["error"])


async def test_open_stores_the_view_as_slack_returns_it(client: AsyncWebClient, fake: FakeSlack) -> None:
    trigger = fake.issue_trigger(ALICE)

    answer = await client.views_open(
        trigger_id=trigger, view=modal(text_input("name", "Company name"), private_metadata='{"c":"C1"}')
    )

    view = answer["view"]
    assert view["id"].startswith("V") and view["hash"] and view["root_view_id"] == view["id"]
    assert view["private_metadata"] == '{"c":"C1"}'
    assert fake.top_view(ALICE).id == view["id"]
    assert view["blocks"][0]["block_id"] == "name"


async def test_a_trigger_works_once_and_for_three_seconds(client: AsyncWebClient, fake: FakeSlack) -> None:
    used = fake.issue_trigger(ALICE)
    stale = fake.issue_trigger(ALICE)
    await client.views_open(trigger_id=used, view=modal(section("Loading…")))
    fake.clock.advance(3.1)

    assert await slack_error(client.views_open(trigger_id=used, view=modal(section("x")))) == "exchanged_trigger_id"
    assert await slack_error(client.views_open(trigger_id=stale, view=modal(section("x")))) == "expired_trigger_id"
    assert await slack_error(client.views_open(trigger_id="1.2.3", view=modal(section("x")))) == "invalid_trigger_id"


async def test_update_with_a_stale_hash_is_a_conflict(client: AsyncWebClient, fake: FakeSlack) -> None:
    opened = (await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=modal(section("Loading…"))))["view"]

    updated = await client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal(section("Ready")))

    assert updated["view"]["hash"] != opened["hash"]
    assert fake.view(opened["id"]).view["blocks"][0]["text"]["text"] == "Ready"
    error = await slack_error(client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal(section("x"))))
    assert error == "hash_conflict"
    assert await slack_error(client.views_update(view_id="V0NOTHERE", view=modal(section("x")))) == "not_found"


async def test_update_by_external_id_keeps_values_of_surviving_inputs(client: AsyncWebClient, fake: FakeSlack) -> None:
    form = modal(text_input("name", "Company name"), text_input("ref", "Reference"), external_id="flow-1")
    opened = (await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=form))["view"]
    stored = fake.view(opened["id"])
    stored.values.update(
        {
            "name": {"value": {"type": "plain_text_input", "value": "Acme"}},
            "ref": {"value": {"type": "x", "value": "R"}},
        }
    )

    await client.views_update(
        external_id="flow-1", view=modal(text_input("name", "Company name"), external_id="flow-1")
    )

    assert stored.values == {"name": {"value": {"type": "plain_text_input", "value": "Acme"}}}


async def test_push_stacks_at_most_three_views(client: AsyncWebClient, fake: FakeSlack) -> None:
    root = (await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=modal(section("1"))))["view"]
    second = (await client.views_push(trigger_id=fake.issue_trigger(ALICE), view=modal(section("2"))))["view"]
    await client.views_push(trigger_id=fake.issue_trigger(ALICE), view=modal(section("3")))

    assert second["previous_view_id"] == root["id"] and second["root_view_id"] == root["id"]
    assert len(fake.open_views(ALICE)) == 3
    error = await slack_error(client.views_push(trigger_id=fake.issue_trigger(ALICE), view=modal(section("4"))))
    assert error == "push_limit_reached"


async def test_duplicate_external_id(client: AsyncWebClient, fake: FakeSlack) -> None:
    await client.views_open(trigger_id=fake.issue_trigger(ALICE), view=modal(section("1"), external_id="same"))

    error = await slack_error(
        client.views_open(trigger_id=fake.issue_trigger(ALICE), view=modal(section("2"), external_id="same"))
    )
    assert error == "duplicate_external_id"


async def test_publish_home_keeps_one_view_per_user(client: AsyncWebClient, fake: FakeSlack) -> None:
    home = {"type": "home", "blocks": [section("Pending requests: 2")]}
    first = (await client.views_publish(user_id=ALICE, view=home))["view"]
    second = await client.views_publish(user_id=ALICE, view={"type": "home", "blocks": [section("Pending: 0")]})

    assert second["view"]["id"] == first["id"] and second["view"]["hash"] != first["hash"]
    assert fake.home(ALICE) is not None and fake.home(ALICE).view["blocks"][0]["text"]["text"] == "Pending: 0"  # type: ignore[union-attr]
    assert await slack_error(client.views_publish(user_id=ALICE, view=home, hash=first["hash"])) == "hash_conflict"
    assert await slack_error(client.views_publish(user_id=ALICE, view=modal(section("x")))) == "invalid_arguments"
