"""Inviting an existing company to make us its reseller."""

from sqlmodel import select

from storage.models import Association, LinkInvitation
from tests.e2e.conftest import ALICE, World


async def test_invite_finds_the_company_by_its_first_letters_and_sends_one_invitation(world: World) -> None:
    target = world.sandbox.create_customer_company("Étoile Télécom", country="FRA", visibility="public")
    world.sandbox.create_customer_company("Etna Foods", country="ITA", visibility="public")
    world.sandbox.create_customer_company("Vega Étoile", country="ESP", visibility="public")

    await world.alice.run_command("/rainbow invite", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    offered = await world.alice.type_in_external_select(view_id, "company", "eto")
    assert [o["text"]["text"] for o in offered] == ["Étoile Télécom (FRA)"]

    await world.alice.fill_and_submit(view_id, {"company": "Étoile", "message": "Welcome <aboard>!"})
    await world.view_becomes(view_id, "invite_confirm")
    rendered = world.slack.render_view(view_id)
    assert "Étoile Télécom (FRA)" in rendered and "Welcome <aboard>!" in rendered, rendered
    await world.alice.fill_and_submit(view_id, {})
    await world.view_becomes(view_id, "invite_result")
    assert "Invitation sent" in world.slack.render_view(view_id)

    invitations = world.sandbox.link_invitations(target["id"])
    assert [i["status"] for i in invitations] == ["pending"]
    assert world.sandbox.state.link_invitations[invitations[0]["id"]].custom_message == "Welcome <aboard>!"
    async with world.sessions() as session:
        association = (await session.exec(select(Association))).one()
        link = (await session.exec(select(LinkInvitation))).one()
    assert (association.origin, association.rainbow_company_id, association.country) == ("invited", target["id"], "FRA")
    assert link.rainbow_invitation_id == invitations[0]["id"] and link.requester == ALICE
    text = world.slack.render_channel("C0GENERAL")
    assert "Étoile Télécom" in text and "Reseller invitation: pending" in text, text


async def test_letters_typed_with_the_command_preselect_the_only_match(world: World) -> None:
    target = world.sandbox.create_customer_company("Acme Telecom", country="FRA", visibility="public")
    world.sandbox.create_customer_company("Acme Ours", country="FRA", ours=True)
    await world.alice.run_command("/rainbow invite acm", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.slack.wait_until(
        lambda: "initial_option" in str(world.slack.view(view_id).view["blocks"][1]), what="preselected company"
    )
    assert world.slack.view(view_id).view["blocks"][1]["element"]["initial_option"]["value"] == target["id"]


async def test_a_second_invitation_within_the_hour_is_explained_not_crashed(world: World) -> None:
    target = world.sandbox.create_customer_company("Soylent", country="GBR", visibility="public")
    for _ in range(2):
        await world.alice.run_command("/rainbow invite soy", channel="general")
        view_id = (await world.modal_of(ALICE)).id
        await world.slack.wait_until(lambda v=view_id: "initial_option" in str(world.slack.view(v).view["blocks"][1]))
        await world.alice.fill_and_submit(view_id, {})
        await world.view_becomes(view_id, "invite_confirm")
        await world.alice.fill_and_submit(view_id, {})
        await world.slack.wait_until(
            lambda v=view_id: world.slack.view(v).view["callback_id"] in ("invite_result", "create_result")
        )
    rendered = world.slack.render_view(view_id)
    assert "one reseller invitation per company per hour" in rendered and "Try again" in rendered, rendered
    assert len(world.sandbox.link_invitations(target["id"])) == 1

    world.sandbox.advance_clock(3601)
    await world.alice.click("Try again", in_view=view_id)
    await world.view_becomes(view_id, "invite_result")
    statuses = sorted(i["status"] for i in world.sandbox.link_invitations(target["id"]))
    assert statuses.count("pending") == 1


async def test_rainbow_down_during_the_typeahead_is_said_in_words_and_cannot_be_submitted(world: World) -> None:
    await world.alice.run_command("/rainbow invite", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    world.sandbox.set_faults(rules=[{"method": "GET", "path_prefix": "/api/rainbow/enduser/", "status": 503}])
    offered = await world.alice.type_in_external_select(view_id, "company", "acm")
    assert [o["text"]["text"] for o in offered] == ["Rainbow is not answering: try again in a minute"]
    await world.alice.fill_and_submit(view_id, {"company": "Rainbow is not answering: try again in a minute"})
    view = world.slack.view(view_id)
    assert view.view["callback_id"] == "invite_pick" and "could not be searched" in view.errors["company"]
