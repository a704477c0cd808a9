"""The stand-in refuses what Slack's reference says Slack refuses (slack-api-ref copies in the package)."""

import json
from pathlib import Path

import pytest
import yaml
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from standins.slack import FakeSlack
from standins.slack.methods import METHODS
from standins.slack.payloads import PayloadFactory
from standins.slack.reference import reference
from standins.slack.workspace import MANIFEST_SCOPES
from tests.slack.test_manifest import ROOT

from .conftest import ALICE, GENERAL, RANDOM, modal, section


async def error_of(call: object) -> str:
    try:
        await call  # type: ignore[misc]
    except SlackApiError as error:
        return str(error.response["error"])
    raise AssertionError("Slack accepted the call")


def test_every_method_served_has_its_reference() -> None:
    for method in METHODS:
        assert reference(method) is not None, method


def test_the_workspace_grants_the_scopes_the_manifest_asks_for() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == MANIFEST_SCOPES


async def test_missing_and_unknown_arguments_are_refused(client: AsyncWebClient) -> None:
    assert await error_of(client.api_call("chat.postMessage", json={"text": "no channel"})) == "invalid_arguments"
    unknown = client.api_call("chat.postMessage", json={"channel": GENERAL, "text": "x", "colour": "red"})
    assert await error_of(unknown) == "invalid_arg_name"


async def test_a_method_needing_a_scope_the_manifest_does_not_grant_is_refused(client: AsyncWebClient) -> None:
    assert await error_of(client.users_info(user=ALICE)) == "missing_scope"


def test_only_documented_errors_can_be_forced(fake: FakeSlack) -> None:
    fake.fail_next("usergroups.users.list", "plan_upgrade_required")
    with pytest.raises(ValueError, match="does not document"):
        fake.fail_next("views.open", "not_in_channel")


async def test_calls_beyond_the_tier_are_rate_limited(fake: FakeSlack, client: AsyncWebClient) -> None:
    quiet = AsyncWebClient(token=fake.token, base_url=fake.api_url, retry_handlers=[])
    for _ in range(20):  # usergroups.users.list is Tier 2: 20 a minute
        await quiet.usergroups_users_list(usergroup="S0APPROVE")
    with pytest.raises(SlackApiError) as refused:
        await quiet.usergroups_users_list(usergroup="S0APPROVE")
    assert refused.value.response.status_code == 429 and int(refused.value.response.headers["Retry-After"]) >= 1
    fake.clock.advance(60)
    await quiet.usergroups_users_list(usergroup="S0APPROVE")


async def test_post_ephemeral_needs_the_bot_in_the_channel(fake: FakeSlack, client: AsyncWebClient) -> None:
    assert await error_of(client.chat_postEphemeral(channel=RANDOM, user=ALICE, text="hi")) == "not_in_channel"
    assert await error_of(client.chat_postMessage(channel=RANDOM, text="hi")) == "not_in_channel"
    url = fake.issue_response_url(RANDOM, ALICE)  # a reply to the person's own interaction gets through
    assert (await AsyncWebhookClient(url).send(text="hi")).status_code == 200


async def test_a_response_url_takes_five_uses_within_thirty_minutes(fake: FakeSlack) -> None:
    url = fake.issue_response_url(GENERAL, ALICE)
    statuses = [(await AsyncWebhookClient(url).send(text=f"{n}")).status_code for n in range(6)]
    assert statuses == [200] * 5 + [404]
    late = fake.issue_response_url(GENERAL, ALICE)
    fake.clock.advance(30 * 60 + 1)
    assert (await AsyncWebhookClient(late).send(text="late")).status_code == 404


async def test_an_ack_can_land_after_the_update(fake: FakeSlack, client: AsyncWebClient) -> None:
    trigger = fake.issue_trigger(ALICE)
    opened = (await client.views_open(trigger_id=trigger, view=modal(section("form"))))["view"]
    views = fake.state.views
    views.ack_lands_last = True
    views.begin_submission(opened["id"])
    await client.views_update(view_id=opened["id"], view=modal(section("final")))
    await views.hold_ack()
    views.apply_submission_ack(views.get(opened["id"]), {"response_action": "update", "view": modal(section("ack"))})
    views.end_submission(opened["id"])
    assert "ack" in fake.render_view(opened["id"])


def key_paths(node: object, prefix: str = "") -> set[str]:
    """Every key path of a payload; inside lists and the free-form parts (blocks, state values) only the top."""
    if not isinstance(node, dict):
        return set()
    paths = set()
    for key, value in node.items():
        paths.add(prefix + key)
        if key not in ("blocks", "values", "actions", "elements"):
            paths |= key_paths(value, f"{prefix}{key}.")
    return paths


def test_the_stand_in_sends_every_field_real_payloads_carry(fake: FakeSlack) -> None:
    """Compared with real payloads recorded in bolt-python's tests (copied in bolt_payloads.json)."""
    real = json.loads((Path(__file__).parent / "bolt_payloads.json").read_text())
    factory = PayloadFactory(fake.workspace)
    buttons = {"submit": {"type": "plain_text", "text": "Go"}, "close": {"type": "plain_text", "text": "Cancel"}}
    view = fake.state.views.open(fake.issue_trigger(ALICE), modal(section("x"), **buttons)).view
    ours = {
        "command": factory.command(ALICE, GENERAL, "/rainbow", "help", "http://r", "t"),
        "block_actions": factory.message_action(ALICE, GENERAL, None, "1.2", False, {"action_id": "a"}, {}, "u", "t"),
        "view_submission": factory.view_submission(ALICE, view, "t"),
        "block_suggestion": factory.block_suggestion(ALICE, view, "b", "a", "Ac"),
    }
    org_only = {"enterprise_id", "enterprise_name", "team.enterprise_id", "team.enterprise_name"}  # org installs
    for kind, payload in ours.items():
        missing = key_paths(real[kind]) - key_paths(payload) - org_only
        assert not missing, f"{kind} lacks {sorted(missing)}"
