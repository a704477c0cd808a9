"""Creating a customer company from Slack, as a reseller would, against the sandbox and a real store."""

from sqlmodel import select

from storage.models import AdminInvitation, Association, AuditEvent, Flow
from storage.statuses import FlowStatus
from tests.e2e.conftest import World


async def wait_for_view(world: World, view_id: str, callback_id: str):
    await world.slack.wait_until(
        lambda: world.slack.view(view_id).view.get("callback_id") == callback_id, what=f"view {callback_id}"
    )
    return world.slack.view(view_id)


async def test_a_reseller_creates_a_company_and_invites_its_administrator(world: World) -> None:
    answer = await world.alice.run_command("/rainbow create Acme & Sons", channel="general")
    assert answer.status == 200
    view = world.slack.top_view("U0ALICE01")
    assert view.view["callback_id"] == "create_details"
    name_input = next(b for b in view.view["blocks"] if b.get("block_id") == "name")
    assert name_input["element"]["initial_value"] == "Acme & Sons"

    await world.alice.fill_and_submit(view.id, {"country": "France", "external_reference": "CUST-42"})
    admin_step = await wait_for_view(world, view.id, "create_admin")
    assert "Acme &amp; Sons" in str(admin_step.view["blocks"][0])

    await world.alice.fill_and_submit(view.id, {"admin_email": "boss@acme.example", "lang": "fr"})
    result = await wait_for_view(world, view.id, "create_result")
    rendered = world.slack.render_view(view.id)
    assert "was created in Rainbow" in rendered and "Initializing" in rendered, rendered
    assert "boss@acme.example" in rendered and "#general" in rendered, rendered
    assert result.view["close"]["text"] == "Done"

    companies = [c for c in world.sandbox.state_dump()["companies"] if c["name"] == "Acme & Sons"]
    assert len(companies) == 1
    company = companies[0]
    assert (company["status"], company["country"], company.get("bpId")) == (
        "initializing", "FRA", world.sandbox.bp_company_id)
    invitations = world.sandbox.join_invitations(company["id"])
    assert [(i["invitedUserLoginEmail"], i["status"]) for i in invitations] == [("boss@acme.example", "pending")]
    assert world.sandbox.state.join_invitations[invitations[0]["id"]].invited_to_be_company_admin

    async with world.sessions() as session:
        association = (await session.exec(select(Association))).one()
        invitation = (await session.exec(select(AdminInvitation))).one()
        flow = (await session.exec(select(Flow))).one()
        audit = [(e.actor, e.action, e.outcome) for e in (await session.exec(select(AuditEvent))).all()]
    assert (association.rainbow_company_id, association.origin, association.requester) == (
        company["id"], "created", "U0ALICE01")
    assert association.channel_id == "C0GENERAL" and association.thread_ts
    assert invitation.rainbow_invitation_id == invitations[0]["id"] and invitation.lang == "fr"
    assert flow.status == FlowStatus.DONE and flow.association_id == association.id
    assert ("U0ALICE01", "company.create", "ok") in audit and ("U0ALICE01", "admin_invitation.send", "ok") in audit

    status = world.slack.message("C0GENERAL", association.thread_ts)
    text = world.slack.render_channel("C0GENERAL")
    assert "Acme & Sons" in text and "Initializing" in text and "boss@acme.example" in text, text
    assert status.text.startswith("Acme & Sons")
