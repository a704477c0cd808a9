"""Creating a customer company from Slack, as a reseller would, against the sandbox and a real store."""

import asyncio
from datetime import timedelta

from sqlmodel import select

from storage.models import AdminInvitation, Association, AuditEvent, Flow
from storage.statuses import FlowStatus
from tests.e2e.conftest import World


async def wait_for_view(world: World, view_id: str, callback_id: str):
    return await world.view_becomes(view_id, callback_id)


async def test_a_reseller_creates_a_company_and_invites_its_administrator(world: World) -> None:
    answer = await world.alice.run_command("/rainbow create Acme & Sons", channel="general")
    assert answer.status == 200
    view = await world.modal_of("U0ALICE01")
    assert view.view["callback_id"] == "create_details"
    name_input = next(b for b in view.view["blocks"] if b.get("block_id") == "name")
    assert name_input["element"]["initial_value"] == "Acme & Sons"

    await world.alice.fill_and_submit(view.id, {"country": "France", "external_reference": "CUST-42"})
    admin_step = await wait_for_view(world, view.id, "create_admin")
    assert "Acme &amp; Sons" in str(admin_step.view["blocks"][0])

    await world.alice.fill_and_submit(view.id, {"admin_email": "boss@acme.example.com", "lang": "fr"})
    result = await wait_for_view(world, view.id, "create_result")
    rendered = world.slack.render_view(view.id)
    assert "was created in Rainbow" in rendered and "Initializing" in rendered, rendered
    assert "boss@acme.example.com" in rendered and "#general" in rendered, rendered
    assert result.view["close"]["text"] == "Done"

    companies = [c for c in world.sandbox.state_dump()["companies"] if c["name"] == "Acme & Sons"]
    assert len(companies) == 1
    company = companies[0]
    assert (company["status"], company["country"], company.get("bpId")) == (
        "initializing",
        "FRA",
        world.sandbox.bp_company_id,
    )
    invitations = world.sandbox.join_invitations(company["id"])
    assert [(i["invitedUserEmail"], i["status"]) for i in invitations] == [("boss@acme.example.com", "pending")]
    assert world.sandbox.state.join_invitations[invitations[0]["id"]].invited_to_be_company_admin

    async with world.sessions() as session:
        association = (await session.exec(select(Association))).one()
        invitation = (await session.exec(select(AdminInvitation))).one()
        flow = (await session.exec(select(Flow))).one()
        audit = [(e.actor, e.action, e.outcome) for e in (await session.exec(select(AuditEvent))).all()]
    assert (association.rainbow_company_id, association.origin, association.requester) == (
        company["id"],
        "created",
        "U0ALICE01",
    )
    assert association.channel_id == "C0GENERAL" and association.thread_ts
    assert invitation.rainbow_invitation_id == invitations[0]["id"] and invitation.lang == "fr"
    assert flow.status == FlowStatus.DONE and flow.association_id == association.id
    assert ("U0ALICE01", "company.create", "ok") in audit and ("U0ALICE01", "admin_invitation.send", "ok") in audit

    status = world.slack.message("C0GENERAL", association.thread_ts)
    text = world.slack.render_channel("C0GENERAL")
    assert "Acme & Sons" in text and "Initializing" in text and "boss@acme.example.com" in text, text
    assert status.text.startswith("Acme &amp; Sons")  # fallback text is mrkdwn too: escaped


async def open_create(world: World, text: str = "Acme", channel: str = "general") -> str:
    await world.alice.run_command(f"/rainbow create {text}", channel=channel)
    return (await world.modal_of("U0ALICE01")).id


async def to_admin_step(world: World, view_id: str, **fields: str) -> None:
    await world.alice.fill_and_submit(view_id, {"country": "France", **fields})
    await wait_for_view(world, view_id, "create_admin")


def rainbow_companies(world: World, name: str) -> list[dict]:
    return [c for c in world.sandbox.state_dump()["companies"] if c["name"] == name]


async def test_bad_details_are_shown_on_their_fields_and_nothing_is_created(world: World) -> None:
    view_id = await open_create(world, "Liberty Inc")
    await world.alice.fill_and_submit(view_id, {"country": "USA", "support_email": "help@"})
    view = world.slack.view(view_id)
    assert view.view["callback_id"] == "create_details"
    assert "state" in view.errors and "required" in view.errors["state"]
    assert "support_email" in view.errors
    await world.alice.fill_and_submit(view_id, {"state": "NY", "support_email": "help@liberty.example.com"})
    await wait_for_view(world, view_id, "create_admin")
    assert rainbow_companies(world, "Liberty Inc") == []


async def test_possible_duplicates_are_shown_and_back_keeps_everything_typed(world: World) -> None:
    world.sandbox.create_customer_company("ACME corp", country="DEU", ours=True)
    world.sandbox.create_customer_company("Acmé", country="BEL", visibility="public")
    view_id = await open_create(world, "Acme")
    await world.alice.fill_and_submit(view_id, {"country": "France", "external_reference": "REF-9"})
    await wait_for_view(world, view_id, "create_duplicates")
    rendered = world.slack.render_view(view_id)
    assert "ACME corp" in rendered and "already our customer" in rendered and "DEU" in rendered, rendered
    assert "Acmé" in rendered and "Invite this company instead" in rendered, rendered

    await world.alice.click("Back", in_view=view_id)
    details = await wait_for_view(world, view_id, "create_details")
    initial = {b["block_id"]: b["element"] for b in details.view["blocks"] if b["type"] == "input"}
    assert initial["name"]["initial_value"] == "Acme"
    assert initial["external_reference"]["initial_value"] == "REF-9"
    assert initial["country"]["initial_option"]["value"] == "FRA"

    await world.alice.fill_and_submit(view_id, {})
    await wait_for_view(world, view_id, "create_duplicates")
    await world.alice.click("create_anyway", in_view=view_id)
    await wait_for_view(world, view_id, "create_admin")
    await world.alice.fill_and_submit(view_id, {"admin_email": "it@acme.example.com"})
    await wait_for_view(world, view_id, "create_result")
    assert len(rainbow_companies(world, "Acme")) == 1


async def test_invite_this_company_instead_switches_to_the_invite_flow_with_it_selected(world: World) -> None:
    existing = world.sandbox.create_customer_company("Globex", country="GBR", visibility="public")
    view_id = await open_create(world, "Globex")
    await world.alice.fill_and_submit(view_id, {"country": "France"})
    await wait_for_view(world, view_id, "create_duplicates")
    await world.alice.click("Invite this company instead", in_view=view_id)
    pick = await wait_for_view(world, view_id, "invite_pick")
    company = next(b for b in pick.view["blocks"] if b.get("block_id") == "company")
    assert company["element"]["initial_option"]["value"] == existing["id"]
    await world.alice.fill_and_submit(view_id, {})
    await wait_for_view(world, view_id, "invite_confirm")
    await world.alice.fill_and_submit(view_id, {})
    await wait_for_view(world, view_id, "invite_result")
    assert [i["status"] for i in world.sandbox.link_invitations(existing["id"])] == ["pending"]
    assert len(rainbow_companies(world, "Globex")) == 1


async def test_a_double_submit_creates_one_company(world: World) -> None:
    view_id = await open_create(world, "Initech")
    await to_admin_step(world, view_id)
    await world.alice.fill(view_id, {"admin_email": "bill@initech.example.com"})
    payload = world.sender.payloads.view_submission(
        "U0ALICE01", world.slack.view(view_id).view, world.slack.issue_trigger("U0ALICE01")
    )
    answers = await asyncio.gather(*(world.sender.post_payload(payload) for _ in range(5)))
    assert {a.status for a in answers} == {200}
    await world.slack.wait_until(lambda: world.slack.view(view_id).view["callback_id"] == "create_result")
    await asyncio.sleep(0.3)  # let any losing delivery finish what it would do
    assert len(rainbow_companies(world, "Initech")) == 1
    company = rainbow_companies(world, "Initech")[0]
    assert len(world.sandbox.join_invitations(company["id"])) == 1
    async with world.sessions() as session:
        assert len((await session.exec(select(Association))).all()) == 1


async def test_a_refused_invitation_keeps_the_company_and_offers_a_retry(world: World) -> None:
    view_id = await open_create(world, "Umbrella")
    await to_admin_step(world, view_id)
    world.sandbox.set_faults(
        rules=[{"method": "POST", "path_prefix": "/api/rainbow/admin/v1.0/companies/", "status": 503, "times": 1}]
    )
    await world.alice.fill_and_submit(view_id, {"admin_email": "alice@umbrella.example.com"})
    await wait_for_view(world, view_id, "create_result")
    rendered = world.slack.render_view(view_id)
    assert "was created" in rendered and "was not sent" in rendered and "Retry invitation" in rendered, rendered
    async with world.sessions() as session:
        association = (await session.exec(select(Association))).one()
    assert association.problem and "was not sent" in association.problem
    message = world.slack.render_channel("C0GENERAL")
    assert "Retry invitation" in message and "was not sent" in message, message

    await world.alice.click("Retry invitation", in_message=("C0GENERAL", association.thread_ts))
    await world.slack.wait_until(
        lambda: "Retry invitation" not in world.slack.render_channel("C0GENERAL"), what="message without retry"
    )
    company = rainbow_companies(world, "Umbrella")
    assert len(company) == 1
    assert [i["invitedUserEmail"] for i in world.sandbox.join_invitations(company[0]["id"])] == [
        "alice@umbrella.example.com"
    ]
    assert "pending" in world.slack.render_channel("C0GENERAL")


async def test_rainbow_unreachable_during_the_check_keeps_the_form_and_offers_to_try_again(world: World) -> None:
    view_id = await open_create(world, "Hooli")
    world.sandbox.set_faults(rules=[{"method": "GET", "path_prefix": "/api/rainbow/", "status": 503}])
    await world.alice.fill_and_submit(view_id, {"country": "France", "external_reference": "H-1"})
    await wait_for_view(world, view_id, "create_result")
    assert "Try again" in world.slack.render_view(view_id)
    world.sandbox.clear_faults()
    await world.alice.click("Try again", in_view=view_id)
    await wait_for_view(world, view_id, "create_admin")
    async with world.sessions() as session:
        flow = (await session.exec(select(Flow))).one()
    assert flow.data["company"]["external_reference"] == "H-1"


async def test_a_create_whose_outcome_was_unknown_adopts_the_company_instead_of_creating_twice(world: World) -> None:
    view_id = await open_create(world, "Massive Dynamic")
    await to_admin_step(world, view_id)
    world.sandbox.set_faults(
        rules=[{"method": "POST", "path_prefix": "/api/rainbow/admin/v1.0/companies", "status": 503, "times": 1}]
    )
    await world.alice.fill_and_submit(view_id, {"admin_email": "nina@massive.example.com"})
    await wait_for_view(world, view_id, "create_result")
    assert "Try again" in world.slack.render_view(view_id)
    assert rainbow_companies(world, "Massive Dynamic") == []
    # Rainbow did create it after all (the 503 came after the write): the retry must find it, not create another.
    made = world.sandbox.create_customer_company("Massive Dynamic", country="FRA", visibility="private", ours=True)
    await world.alice.click("Try again", in_view=view_id)
    await world.slack.wait_until(lambda: "was created in Rainbow" in world.slack.render_view(view_id))
    assert [c["id"] for c in rainbow_companies(world, "Massive Dynamic")] == [made["id"]]
    assert len(world.sandbox.join_invitations(made["id"])) == 1


async def test_a_submit_left_running_by_a_dead_process_can_be_tried_again_later(world: World) -> None:
    view_id = await open_create(world, "Aperture")
    await to_admin_step(world, view_id)
    await world.alice.fill(view_id, {"admin_email": "glados@aperture.example.com"})
    flows = world.running.runtime.flows
    await flows.save(view_id, "submitting", admin={"email": "glados@aperture.example.com", "lang": "en"})
    assert await flows.begin_submit(view_id) is not None  # a process claims it, then dies
    assert await flows.begin_submit(view_id) is None, "a live submit is not taken over"
    async with world.sessions() as session, session.begin():
        flow = (await session.exec(select(Flow))).one()
        flow.updated_at = flow.updated_at - timedelta(minutes=11)
        session.add(flow)
    result = await world.running.runtime.onboarding.submit(view_id)
    assert result is not None and result.association.name == "Aperture"
    assert len(rainbow_companies(world, "Aperture")) == 1


async def test_the_picker_offers_rainbows_countries_and_a_usa_company_gets_a_rainbow_state(world: World) -> None:
    """Against the sandbox serving the official countries shape ({"data":[{"isoAlpha3Code","fullname"}]},
    enduser OpenAPI 1.84.0) and Rainbow's own US state list (admin OpenAPI 1.82.0, PostCompanies.state)."""
    await world.alice.run_command("/rainbow create Liberty Corp", channel="general")
    view_id = world.slack.top_view("U0ALICE01").id
    offered = await world.alice.type_in_external_select(view_id, "country", "united st")
    assert "USA" in [option["value"] for option in offered]

    await world.alice.fill_and_submit(view_id, {"country": "USA", "state": "AS"})  # ISO has it, Rainbow does not
    refused = world.slack.top_view("U0ALICE01")
    assert refused.view["callback_id"] == "create_details"
    assert "“AS” is not a valid code here" in refused.errors["state"]
    await world.alice.fill_and_submit(view_id, {"country": "USA", "state": "AE"})
    await wait_for_view(world, view_id, "create_admin")
    await world.alice.fill_and_submit(view_id, {"admin_email": "it@liberty.example.com"})
    await wait_for_view(world, view_id, "create_result")

    company = next(c for c in world.sandbox.state_dump()["companies"] if c["name"] == "Liberty Corp")
    assert (company["country"], company["state"]) == ("USA", "AE")
    assert world.sandbox.contract.deviations == []
