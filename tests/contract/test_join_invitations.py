"""Inviting a customer company's administrator (flow 1) and following the invitation."""

import pytest

from bot.rainbow import RainbowClient, RainbowConflict, RainbowForbidden, RainbowNotFound
from tests.contract.support import Controls


async def test_invite_by_email_and_follow_it(client: RainbowClient, controls: Controls) -> None:
    company = await client.create_company("Acme", "FRA")

    invitation = await client.invite_company_admin(
        company.id, email="boss@acme.example.com", lang="fr", custom_message="Bienvenue"
    )
    fetched = await client.get_join_invitation(company.id, invitation.id)
    listed = await client.list_join_invitations(company.id)

    assert invitation.status == "pending"
    assert invitation.company_id == company.id
    assert invitation.invited_user_login_email == "boss@acme.example.com"
    assert invitation.invitation_date is not None
    assert fetched == invitation or fetched.id == invitation.id
    assert [item.id for item in listed] == [invitation.id]

    await controls.post(f"/sandbox/join-invitations/{invitation.id}/accept")

    assert (await client.get_join_invitation(company.id, invitation.id)).status == "accepted"
    assert (await client.get_company(company.id)).status == "active"
    assert await client.list_join_invitations(company.id, statuses=["pending"]) == []
    accepted = await client.list_join_invitations(company.id, statuses=["accepted", "auto-accepted"])
    assert [item.id for item in accepted] == [invitation.id]


async def test_invite_an_existing_user_without_company(client: RainbowClient, controls: Controls) -> None:
    company = await client.create_company("Acme", "FRA")
    user = await controls.post("/sandbox/users", {"displayName": "Zoé Martin", "loginEmail": "zoe@free.example.com"})

    invitation = await client.invite_company_admin(company.id, invited_user_id=user["id"])

    assert invitation.invited_user_id == user["id"]
    assert invitation.status == "pending"


async def test_invite_needs_exactly_one_invitee(client: RainbowClient) -> None:
    with pytest.raises(ValueError):
        await client.invite_company_admin("c1")
    with pytest.raises(ValueError):
        await client.invite_company_admin("c1", email="a@b.example.com", invited_user_id="u1")


async def test_invite_refusals_are_typed(client: RainbowClient, controls: Controls) -> None:
    company = await client.create_company("Acme", "FRA")
    linked = await controls.company("Somebody Else's", ours=False)

    with pytest.raises(RainbowNotFound):
        await client.invite_company_admin(company.id, invited_user_id="0" * 24)
    with pytest.raises(RainbowForbidden):
        await client.invite_company_admin(linked["id"], email="boss@else.example.com")


async def test_cancel_and_resend(client: RainbowClient, controls: Controls) -> None:
    company = await client.create_company("Acme", "FRA")
    invitation = await client.invite_company_admin(company.id, email="boss@acme.example.com")

    canceled = await client.cancel_join_invitation(company.id, invitation.id)
    resent = await client.resend_join_invitation(company.id, invitation.id, custom_message="Again")

    assert canceled.status == "canceled"
    assert resent.status == "pending"

    await controls.post(f"/sandbox/join-invitations/{invitation.id}/accept")
    with pytest.raises(RainbowConflict):
        await client.cancel_join_invitation(company.id, invitation.id)
    with pytest.raises(RainbowConflict):
        await client.resend_join_invitation(company.id, invitation.id)


async def test_an_invitation_is_found_again_by_the_e_mail_the_examples_use(
    client: RainbowClient, controls: Controls
) -> None:
    """The sandbox answers `invitedUserEmail` like every official example (the schema says
    `invitedUserLoginEmail`): the invitation is still matched by e-mail, so it is never sent twice."""
    company = await client.create_company("Acme", "FRA")
    await client.invite_company_admin(company.id, email="boss@acme.com")

    listed = await client.list_join_invitations(company.id, statuses=["pending"])

    assert "invitedUserLoginEmail" not in controls.sandbox.join_invitations(company.id)[0]
    assert [invitation.invited_user_login_email for invitation in listed] == ["boss@acme.com"]
