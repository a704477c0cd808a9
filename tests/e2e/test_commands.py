"""The /rainbow command around the flows: help, listings, who may use it, and how it is served."""

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlmodel import select

from storage.models import Association, AuditEvent, IncomingRequest
from tests.e2e.conftest import ALICE, BOB, World


async def test_an_empty_or_unknown_sub_command_answers_with_help(world: World) -> None:
    for text in ("/rainbow", "/rainbow frobnicate <!channel>"):
        answer = await world.alice.run_command(text, channel="general")
        assert answer.status == 200
    shown = world.slack.render_channel("C0GENERAL", user=ALICE)
    assert shown.count("/rainbow create") == 2 and "I don't know “frobnicate" in shown, shown
    assert "<!channel>" not in str([e.blocks for e in world.slack.ephemerals(ALICE)])
    assert world.slack.calls_to("views.open") == []


async def track(world: World, count: int) -> None:
    now = datetime.now(UTC)
    async with world.sessions() as session, session.begin():
        for n in range(count):
            session.add(
                Association(
                    rainbow_company_id=f"co{n:03d}",
                    name=f"Customer {n:02d}",
                    name_folded=f"customer {n:02d}",
                    country="FRA",
                    external_reference=f"REF-{n:03d}",
                    status="active" if n % 2 else "initializing",
                    requester=BOB,
                    created_at=now - timedelta(hours=n),
                )
            )


async def answered(world: World, words: str) -> str:
    """The newest private answer (response_url), once it contains ``words``."""
    await world.slack.wait_until(
        lambda: bool(world.slack.responses) and words in str(world.slack.responses[-1].body), what=words
    )
    return str(world.slack.responses[-1].body)


async def test_customers_lists_ten_at_a_time_with_more_and_search(world: World) -> None:
    await track(world, 23)
    await world.alice.run_command("/rainbow customers", channel="general")
    assert "Customer 00" in await answered(world, "1–10 of 23")

    await world.alice.click("More", in_channel="general")
    await world.slack.wait_until(lambda: "11–20 of 23" in str(world.slack.responses[-1].body))
    await world.alice.click("More", in_channel="general")
    await world.slack.wait_until(lambda: "21–23 of 23" in str(world.slack.responses[-1].body))
    assert "More" not in str(world.slack.responses[-1].body)

    await world.alice.run_command("/rainbow customers REF-00", channel="general")
    assert "of 10" in await answered(world, "matching “REF-00”")
    await world.alice.run_command("/rainbow customers nobody", channel="general")
    await answered(world, "No customer companies matching")


async def test_requests_lists_pending_requests_with_links_to_their_messages(world: World) -> None:
    await world.alice.run_command("/rainbow requests", channel="general")
    await answered(world, "No customer request is waiting")
    async with world.sessions() as session, session.begin():
        session.add(
            IncomingRequest(
                rainbow_request_id="r1",
                requesting_company_id="c1",
                requesting_company_name="Wayne Enterprises",
                requester_email="bruce@wayne.example.com",
                channel_id="C0APPROVE",
                message_ts="1700000000.000100",
                request_date=datetime.now(UTC) - timedelta(hours=5),
            )
        )
    await world.alice.run_command("/rainbow requests", channel="general")
    body = await answered(world, "Wayne Enterprises")
    assert "Wayne Enterprises" in body and "waiting 5 h" in body
    assert "slack.com/archives/C0APPROVE/p1700000000000100" in body


@pytest.mark.parametrize("world", [{"resellers": ("U0BOB0001",)}], indirect=True)
async def test_only_resellers_may_create_and_each_refusal_is_audited(world: World) -> None:
    refused = await world.alice.run_command("/rainbow create Acme", channel="general")
    assert "Only members of the reseller team" in refused.json["text"]  # the ack itself answers, privately
    assert world.slack.calls_to("views.open") == []

    await world.bob.run_command("/rainbow create Acme", channel="general")
    view_id = (await world.modal_of(BOB)).id
    # The form is open; Alice cannot submit it even with a forged copy of Bob's view.
    payload = world.sender.payloads.view_submission(
        ALICE, world.slack.view(view_id).view, world.slack.issue_trigger(ALICE)
    )
    answer = await world.sender.post_payload(payload)
    assert answer.json["response_action"] == "errors" and "reseller team" in answer.json["errors"]["name"]
    async with world.sessions() as session:
        denied = [(e.actor, e.action) for e in (await session.exec(select(AuditEvent))).all() if e.outcome == "denied"]
    assert denied == [(ALICE, "command.create"), (ALICE, "create.details")]


async def test_a_forged_or_stale_request_is_refused_and_changes_nothing(world: World) -> None:
    forged = await world.sender.with_wrong_secret().user(ALICE).run_command("/rainbow create Evil", channel="general")
    stale = await world.sender.with_clock_skew(-301).user(ALICE).run_command("/rainbow create Old", channel="general")
    assert (forged.status, stale.status) == (401, 401)
    assert world.slack.calls_to("views.open") == []


async def test_a_restart_between_two_steps_loses_nothing(world: World) -> None:
    await world.alice.run_command("/rainbow create Cyberdyne", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"country": "FRA", "external_reference": "T-800"})
    await world.view_becomes(view_id, "create_admin")
    await world.restart()
    await world.alice.fill_and_submit(view_id, {"admin_email": "miles@cyberdyne.example.com"})
    await world.view_becomes(view_id, "create_result")
    company = [c for c in world.sandbox.state_dump()["companies"] if c["name"] == "Cyberdyne"]
    assert len(company) == 1 and company[0].get("externalReference") == "T-800"


async def test_a_command_from_a_channel_the_bot_is_not_in_reports_by_direct_message(world: World) -> None:
    await world.alice.run_command("/rainbow create Tyrell", channel="random")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"country": "FRA"})
    await world.view_becomes(view_id, "create_admin")
    await world.alice.fill_and_submit(view_id, {"admin_email": "eldon@tyrell.example.com"})
    await world.view_becomes(view_id, "create_result")
    assert "direct messages" in world.slack.render_view(view_id)
    dm = world.slack.dm_channel(ALICE)
    assert "Tyrell" in world.slack.render_channel(dm)
    async with world.sessions() as session:
        association = (await session.exec(select(Association))).one()
    assert association.channel_id == dm


async def test_the_user_search_says_why_it_finds_no_one_and_steers_to_e_mail(world: World) -> None:
    """A bp_admin's GetUsers returns only users of its End Customers (admin OpenAPI 1.82.0), so people
    without a company are never listed: the typeahead says so in words instead of an empty list."""
    world.sandbox.add_default_user("Ada Lovelace", "ada@example.org")
    await world.alice.run_command("/rainbow create Analytical", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"country": "GBR"})
    await world.view_becomes(view_id, "create_admin")
    offered = await world.alice.type_in_external_select(view_id, "admin_user", "ada")
    assert [o["text"]["text"] for o in offered] == ["Rainbow shows resellers no company-less users: type the e-mail"]

    world.sandbox.set_faults(users_search_forbidden=True)
    offered = await world.alice.type_in_external_select(view_id, "admin_user", "ada")
    assert "not available" in offered[0]["text"]["text"]
    world.sandbox.set_faults(users_search_forbidden=False)
    await world.alice.fill_and_submit(view_id, {"admin_email": "ada@example.org"})
    await world.view_becomes(view_id, "create_result")
    company = next(c for c in world.sandbox.state_dump()["companies"] if c["name"] == "Analytical")
    assert [i["invitedUserEmail"] for i in world.sandbox.join_invitations(company["id"])] == ["ada@example.org"]


async def test_app_home_shows_the_picture_with_buttons_to_start(world: World) -> None:
    await track(world, 3)
    await world.bob.open_home()
    await world.slack.wait_until(lambda: world.slack.home(BOB) is not None, what="home published")
    home = world.slack.render_view(world.slack.home(BOB).id)
    assert "3 customer companies" in home and "Create a customer company" in home and "Customer 00" in home, home
    await world.bob.click("Create a customer company", in_home=True)
    await world.slack.wait_until(lambda: world.slack.open_views(BOB), what="create modal")
    assert (await world.modal_of(BOB)).view["callback_id"] == "create_details"


async def test_health_and_readiness_endpoints(world: World) -> None:
    base = world.events_url.removesuffix("/slack/events")
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as alive:
            assert (alive.status, await alive.json()) == (200, {"status": "alive"})
        async with http.get(f"{base}/readyz") as ready:
            assert ready.status == 200
            assert (await ready.json())["checks"] == {"database": "ok", "rainbow": "ok", "slack": "ok"}
        world.running.runtime.health.observe_rainbow("login", "login_refused", 0.1)
        async with http.get(f"{base}/readyz") as unready:
            assert unready.status == 503 and (await unready.json())["checks"]["rainbow"] == "login: login_refused"
