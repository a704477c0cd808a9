"""What real Slack demands, driven through signed requests against the strict stand-in: every request
answered in time, every failure told to the person by one route, refusals from one place."""

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlmodel import select

from blocks.ids import Action, Callback
from standins.rainbow import Sandbox
from standins.slack import FakeSlack, example_workspace
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import AuditEvent
from tests.e2e.conftest import ALICE, BOB, CAROL, World, settings_for

UNREACHABLE_API = "http://127.0.0.1:9/api/"  # the discard port: nothing listens, the connection is refused


class Exploding:
    """A service whose every method raises, as a bug or a broken store would."""

    def __getattr__(self, name: str) -> Any:
        def boom(*_: Any, **__: Any) -> Any:
            raise RuntimeError(f"{name} exploded")

        return boom


def break_services(world: World) -> None:
    runtime = world.running.runtime
    for name in ("flows", "onboarding", "linking", "requests", "reminders", "directory", "countries", "digest"):
        setattr(runtime, name, Exploding())


def button(action_id: str, value: str = "1") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "block_id": "b1",
        "value": value,
        "text": {"type": "plain_text", "text": "x"},
        "action_ts": "1700000000.000001",
    }


def responses_to(world: World, user: str) -> list[str]:
    return [str(post.body.get("text")) for post in world.slack.responses if post.target.user == user]


def dms_to(world: World, user: str) -> list[str]:
    return [m.text for m in world.slack.messages("D" + user[1:])]


async def metrics(world: World) -> str:
    async with aiohttp.ClientSession() as http, http.get(world.events_url.replace("/slack/events", "/metrics")) as r:
        return await r.text()


@pytest.fixture
async def started_with(database_url: str) -> AsyncIterator[Any]:
    """A world whose stand-ins are prepared (faults, workspace) before the bot starts."""
    stack: list[World] = []
    engine = make_engine(database_url)
    await upgrade(engine)

    async def start(prepare: Any, **overrides: Any) -> World:
        sandbox = await Sandbox(seed_companies=0).__aenter__()
        slack = await FakeSlack(example_workspace()).start()
        prepare(slack)
        world = World(
            sandbox, slack, make_session_factory(engine), settings_for(sandbox, slack, database_url, **overrides)
        )
        await world.start()
        stack.append(world)
        return world

    yield start
    for world in stack:
        await world.stop()
        await world.slack.close()
        await world.sandbox.__aexit__(None, None, None)
    await engine.dispose()


# 1. and 2.: no sleeping retry while Slack waits; membership failures are cached, failing closed


async def test_a_rate_limited_views_open_is_not_retried_and_the_person_is_told(world: World) -> None:
    world.slack.rate_limit_next("views.open", retry_after=1)
    answer = await world.alice.run_command("/rainbow create Acme", channel="general")
    assert answer.status == 200
    await world.slack.wait_until(lambda: any("try again" in text for text in responses_to(world, ALICE)))
    assert len(world.slack.calls_to("views.open")) == 1  # no second try with a trigger_id about to expire
    assert not any("saved" in text for text in responses_to(world, ALICE))  # nothing was entered


async def test_a_rate_limited_membership_lookup_fails_closed_at_once_and_is_not_asked_again(started_with: Any) -> None:
    world = await started_with(
        lambda slack: slack.rate_limit_next("usergroups.users.list", retry_after=2), resellers=("S0APPROVE",)
    )
    for _ in range(3):
        answer = await world.carol.run_command("/rainbow create Acme", channel="general")
        assert answer.status == 200 and "could not confirm" in answer.json["text"]
    assert len(world.slack.calls_to("usergroups.users.list")) == 1  # the failure is remembered, not retried
    assert world.slack.calls_to("views.open") == []


# 3.: Slack's Web API unreachable


@pytest.mark.parametrize("world", [{"slack_api_url": UNREACHABLE_API}], indirect=True)
async def test_with_slack_unreachable_every_request_is_acked_counted_and_logged_in_one_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        helped = await world.alice.run_command("/rainbow help", channel="general")
        assert helped.status == 200 and "/rainbow create" in helped.text
        created = await world.alice.run_command("/rainbow create Acme", channel="general")
        assert created.status == 200
        await world.slack.wait_until(lambda: any("not answering" in t for t in responses_to(world, ALICE)))
    failures = [r for r in caplog.records if r.name == "handlers.errors"]
    assert len(failures) == 1 and failures[0].exc_info is None, [r.getMessage() for r in failures]
    assert "Traceback" not in caplog.text
    shown = await metrics(world)
    assert 'reseller_bot_slack_requests_total{kind="command",name="/rainbow"} 2.0' in shown
    assert 'reseller_bot_listener_failures_total{outcome="slack_unreachable"} 1.0' in shown


# 5.: no exception escapes a listener after its ack


async def test_resend_from_app_home_of_an_unknown_invitation_is_acked_and_told(world: World) -> None:
    await world.alice.open_home()
    await world.slack.wait_for_calls("views.publish")
    home = world.slack.home(ALICE)
    assert home is not None
    for action in (Action.RESEND_INVITATION, Action.CANCEL_INVITATION):
        payload = world.sender.payloads.view_action(
            ALICE, home.view, button(action, "admin:9999"), world.slack.issue_trigger(ALICE)
        )
        answer = await world.sender.post_payload(payload)
        assert answer.status == 200
    await world.slack.wait_until(lambda: len(dms_to(world, ALICE)) == 2, what="two DMs")


# 6.: one route; the words reach a person where the bot is not


async def test_a_failure_after_a_command_in_a_channel_without_the_bot_is_told_by_response_url(world: World) -> None:
    world.slack.fail_next("views.open", "internal_error")
    answer = await world.alice.run_command("/rainbow create Tyrell", channel="random")
    assert answer.status == 200
    await world.slack.wait_until(lambda: any("error id" in t for t in responses_to(world, ALICE)))
    assert world.slack.calls_to("chat.postEphemeral") == []
    assert not any("saved" in t for t in responses_to(world, ALICE))  # the form never opened: nothing saved


# 7.: a typeahead error never replaces the modal


async def test_a_failing_typeahead_answers_one_option_and_leaves_the_form_alone(world: World) -> None:
    await world.alice.run_command("/rainbow create Acme", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    world.running.runtime.countries = Exploding()
    offered = await world.alice.type_in_external_select(view_id, "country", "Fra")
    assert len(offered) == 1 and "not available" in offered[0]["text"]["text"].lower()
    assert world.slack.calls_to("views.update") == []
    assert world.slack.view(view_id).view["callback_id"] == Callback.CREATE_DETAILS


# 8.: authorization in one place, never silent, always audited


@pytest.mark.parametrize("world", [{"resellers": (BOB,)}], indirect=True)
async def test_a_refused_click_in_app_home_is_told_by_dm_and_audited(world: World) -> None:
    await world.alice.open_home()
    await world.slack.wait_for_calls("views.publish")
    await world.alice.click("Create a customer company", in_home=True)
    await world.slack.wait_until(lambda: any("reseller team" in t for t in dms_to(world, ALICE)))
    assert world.slack.calls_to("views.open") == []
    async with world.sessions() as session:
        denied = [(e.actor, e.action) for e in (await session.exec(select(AuditEvent))).all() if e.outcome == "denied"]
    assert denied == [(ALICE, "command.create")]


@pytest.mark.parametrize("world", [{"resellers": (BOB,)}], indirect=True)
async def test_approvers_and_resellers_may_list_requests_others_may_not(world: World) -> None:
    for person in (world.carol, world.bob):  # Carol approves (approvals channel), Bob resells
        answer = await person.run_command("/rainbow requests", channel="general")
        assert answer.status == 200
    await world.slack.wait_until(
        lambda: all(any("No customer request" in t for t in responses_to(world, p)) for p in (CAROL, BOB))
    )
    refused = await world.alice.run_command("/rainbow requests", channel="general")
    assert "approvers and members of the reseller team" in refused.json["text"]


async def test_bolt_is_built_without_a_token_warning(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, started_with: Any
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    with caplog.at_level(logging.WARNING, logger="slack_bolt"):
        world = await started_with(lambda slack: None)
    assert not [r.getMessage() for r in caplog.records if "token" in r.getMessage()]
    answer = await world.alice.run_command("/rainbow help", channel="general")
    assert answer.status == 200


# 9.: the create and invite modals end on their result in either order


async def test_the_create_modal_ends_on_its_result_when_the_ack_lands_last(world: World) -> None:
    world.slack.state.views.ack_lands_last = True
    await world.alice.run_command("/rainbow create Wonka", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"country": "FRA"})
    await world.view_becomes(view_id, Callback.CREATE_ADMIN)
    await world.alice.fill_and_submit(view_id, {"admin_email": "willy@wonka.example.com"})
    await world.view_becomes(view_id, Callback.CREATE_RESULT)


async def test_the_invite_modal_ends_on_its_result_when_the_ack_lands_last(world: World) -> None:
    world.sandbox.create_customer_company("Oscorp", country="FRA", visibility="public")
    world.slack.state.views.ack_lands_last = True
    await world.alice.run_command("/rainbow invite", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"company": "Oscorp"})
    await world.view_becomes(view_id, Callback.INVITE_CONFIRM)
    await world.alice.fill_and_submit(view_id)
    await world.view_becomes(view_id, Callback.INVITE_RESULT)


# Every action id and view callback, with every service failing: the person is told


async def test_every_listener_tells_the_person_when_its_service_fails(world: World) -> None:
    await world.alice.run_command("/rainbow create Acme", channel="general")
    modal = await world.modal_of(ALICE)
    await world.alice.open_home()
    await world.slack.wait_for_calls("views.publish")
    home = world.slack.home(ALICE)
    assert home is not None
    break_services(world)
    told: dict[str, bool] = {}

    async def from_modal(action: str, value: str = "1") -> None:
        before = len(world.slack.calls_to("views.update"))
        payload = world.sender.payloads.view_action(ALICE, modal.view, button(action, value), "t")
        assert (await world.sender.post_payload(payload)).status == 200
        await world.slack.wait_for_calls("views.update", before + 1)
        told[action] = world.slack.calls_to("views.update")[-1].params["view"]["callback_id"] == Callback.ERROR

    async def from_message(action: str, value: str = "1", user: str = ALICE) -> None:
        before = len(responses_to(world, user))
        payload = world.sender.payloads.message_action(
            user, "C0GENERAL", None, "1700000000.000100", True, button(action, value), {},
            world.slack.issue_response_url("C0GENERAL", user), world.slack.issue_trigger(user),
        )  # fmt: skip
        assert (await world.sender.post_payload(payload)).status == 200
        await world.slack.wait_until(lambda: len(responses_to(world, user)) > before, what=action)
        told[action] = "error id" in responses_to(world, user)[-1]

    async def from_home(action: str, value: str = "1") -> None:
        before = len(dms_to(world, ALICE))
        payload = world.sender.payloads.view_action(
            ALICE, home.view, button(action, value), world.slack.issue_trigger(ALICE)
        )
        assert (await world.sender.post_payload(payload)).status == 200
        await world.slack.wait_until(lambda: len(dms_to(world, ALICE)) > before, what=action)
        told[action] = "error id" in dms_to(world, ALICE)[-1]

    for action in (
        Action.INVITE_INSTEAD, Action.CREATE_ANYWAY, Action.BACK_TO_DETAILS, Action.BACK_TO_PICK,
        Action.RETRY_CHECK, Action.RETRY_SUBMIT, Action.RETRY_INVITATION,
    ):  # fmt: skip
        await from_modal(action)
    for action in (Action.CUSTOMERS_MORE, Action.RETRY_INVITATION):
        await from_message(action)
    for action in (Action.ACCEPT_REQUEST, Action.DECLINE_REQUEST):
        await from_message(action, user=CAROL)  # an approver
    for action in (Action.OPEN_CREATE, Action.OPEN_INVITE, Action.RESEND_INVITATION, Action.CANCEL_INVITATION):
        await from_home(action, "admin:1")

    for action in (Action.COUNTRY, Action.ADMIN_USER, Action.COMPANY):
        payload = world.sender.payloads.block_suggestion(ALICE, modal.view, action, action, "Ac")
        options = (await world.sender.post_payload(payload)).json["options"]
        told[action] = len(options) == 1 and "error" in options[0]["text"]["text"]

    for callback in (Callback.CREATE_DETAILS, Callback.CREATE_ADMIN, Callback.INVITE_PICK, Callback.INVITE_CONFIRM):
        view = {**modal.view, "callback_id": callback}
        answer = await world.sender.post_payload(world.sender.payloads.view_submission(ALICE, view, "t"))
        body = answer.json or {}  # field errors (what was typed is invalid) or the failure, in the form
        told[callback] = body.get("response_action") in ("errors", "update") and bool(
            body.get("errors") or body.get("view")
        )

    for sub in ("customers", "requests"):
        answer = await world.alice.run_command(f"/rainbow {sub}", channel="general")
        told[sub] = "error id" in (answer.json or {}).get("text", "") or any(
            "error id" in t for t in responses_to(world, ALICE)
        )

    assert told and all(told.values()), {k: v for k, v in told.items() if not v}
