"""Linking existing companies (flow 2) and answering customers' requests (flow 3)."""

import pytest

from bot.rainbow import RainbowBadRequest, RainbowClient, RainbowConflict
from standins.rainbow import Sandbox
from standins.rainbow.models import LinkRequest
from tests.contract.support import Controls

REQUESTS = "GET /api/rainbow/admin/v1.0/companies/{companyId}/bp-link/requests"


async def test_invite_company_to_link_and_follow_it(
    client: RainbowClient, controls: Controls, sandbox: Sandbox
) -> None:
    target = await controls.company("Étoile Télécom")

    invitation = await client.invite_company_to_link(target["id"], lang="fr", custom_message="Hello")
    fetched = await client.get_link_invitation(invitation.id)
    listed = await client.list_link_invitations()

    assert invitation.status == "pending"
    assert invitation.inviting_company_id == sandbox.bp_company_id
    assert invitation.invited_company_id == target["id"]
    assert fetched.id == invitation.id
    assert [item.id for item in listed] == [invitation.id]

    await controls.post(f"/sandbox/bp-link/invitations/{invitation.id}/accept")

    assert (await client.get_link_invitation(invitation.id)).status == "accepted"
    assert (await client.get_company(target["id"])).bp_id == sandbox.bp_company_id
    assert [c.id for c in await client.list_customers()] == [target["id"]]
    assert await client.list_link_invitations(statuses=["pending"]) == []


async def test_second_invitation_within_the_hour_is_the_throttle(client: RainbowClient, controls: Controls) -> None:
    target = await controls.company("Busy Corp")
    first = await client.invite_company_to_link(target["id"])
    await client.cancel_link_invitation(first.id)

    with pytest.raises(RainbowBadRequest) as raised:
        await client.invite_company_to_link(target["id"])

    assert raised.value.is_invitation_throttle
    assert "one invitation per company per hour" in str(raised.value)


async def test_cancel_and_resend_link_invitation(client: RainbowClient, controls: Controls) -> None:
    target = await controls.company("Gamma")
    invitation = await client.invite_company_to_link(target["id"])

    canceled = await client.cancel_link_invitation(invitation.id)
    await controls.post("/sandbox/clock", {"advance_seconds": 3700})
    resent = await client.resend_link_invitation(invitation.id, custom_message="Second try")

    assert canceled.status == "canceled"
    assert resent.status == "pending"

    await controls.post(f"/sandbox/bp-link/invitations/{invitation.id}/accept")
    with pytest.raises(RainbowConflict):
        await client.cancel_link_invitation(invitation.id)


async def test_answer_link_requests(client: RainbowClient, controls: Controls, sandbox: Sandbox) -> None:
    accepted = await controls.post(
        "/sandbox/bp-link/requests",
        {"companyName": "Delta", "adminEmail": "boss@delta.example.com", "customMessage": "Please"},
    )
    declined = await controls.post("/sandbox/bp-link/requests", {"companyName": "Epsilon"})

    pending = await client.list_link_requests()
    one = await client.get_link_request(accepted["id"])

    assert {request.id for request in pending} == {accepted["id"], declined["id"]}
    assert one.requesting_company_name == "Delta"
    assert one.requesting_admin_login_email == "boss@delta.example.com"
    assert one.requested_company_id == sandbox.bp_company_id
    assert one.request_date is not None

    assert (await client.accept_link_request(accepted["id"])).status == "accepted"
    assert (await client.decline_link_request(declined["id"])).status == "declined"
    assert await client.list_link_requests() == []
    everything = await client.list_link_requests(statuses=None)
    assert {request.status for request in everything} == {"accepted", "declined"}
    assert (await client.get_company(one.requesting_company_id or "")).bp_id == sandbox.bp_company_id
    with pytest.raises(RainbowConflict):
        await client.decline_link_request(declined["id"])


async def test_link_requests_walk_every_page(client: RainbowClient, controls: Controls) -> None:
    for i in range(120):
        await controls.post("/sandbox/bp-link/requests", {"companyName": f"Requester {i:03d}"})

    pending = await client.list_link_requests()

    assert len({request.id for request in pending}) == 120
    assert controls.count(REQUESTS) == 2


async def test_only_requests_addressed_to_us_are_listed(client: RainbowClient, sandbox: Sandbox) -> None:
    """The list holds requests the company "sent/received" (S2S-doc LinkEcToBpRequestsApi.md): our own request
    to a VAD is not a customer asking us."""
    incoming = sandbox.file_link_request(company_name="Asking SARL", admin_email="boss@asking.fr")
    vad = sandbox.create_customer_company("Big VAD")
    now = sandbox.state.clock.now()
    sandbox.state.link_requests["f" * 24] = LinkRequest(
        id="f" * 24,
        requesting_company_id=sandbox.bp_company_id,
        requested_company_id=vad["id"],
        requesting_admin_id=sandbox.state.account.id,
        requesting_admin_email=sandbox.state.account.login_email,
        request_date=now,
        last_notification_date=now,
    )

    listed = await client.list_link_requests()

    assert [request.id for request in listed] == [incoming["id"]]
