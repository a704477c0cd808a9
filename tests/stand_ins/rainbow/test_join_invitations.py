"""Join-company invitations: body rules, the Default-company rule, replacement, and status rules."""

from __future__ import annotations

from typing import Any

import pytest

from standins.rainbow import Sandbox

from .rainbow_http import ADMIN, RainbowHttp


async def _new_customer(api: RainbowHttp, name: str = "Acme") -> dict[str, Any]:
    return (await api.post(f"{ADMIN}/companies", {"name": name, "country": "FRA"})).data


def _invitations(company_id: str) -> str:
    return f"{ADMIN}/companies/{company_id}/join-companies/invitations"


async def _invite(api: RainbowHttp, company_id: str, **body: Any) -> dict[str, Any]:
    reply = await api.post(_invitations(company_id), body)
    assert reply.status == 200, reply.body
    return reply.data


async def test_invitation_by_email_has_the_documented_fields(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)

    invitation = await _invite(
        api, company["id"], email="boss@acme.com", invitedToBeCompanyAdmin=True, lang="fr", customMessage="Hi"
    )

    assert invitation["status"] == "pending"
    assert invitation["companyId"] == company["id"]
    assert invitation["companyName"] == "Acme"
    assert invitation["invitedUserEmail"] == "boss@acme.com"
    assert invitation["invitingAdminLoginEmail"] == sandbox.credentials.login
    assert invitation["requestedNotificationLanguage"] == "fr"
    assert invitation["invitationDate"] == invitation["lastNotificationDate"]
    assert invitation["invitationDate"].endswith("Z")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "a@acme.com", "invitedUserId": "f" * 24},
        {"email": "not an address"},
        {"email": "a@acme.com", "invitedToBeCompanyAdmin": "true"},
    ],
)
@pytest.mark.rainbow_deviation
async def test_malformed_invitation_bodies_are_a_400(api: RainbowHttp, body: dict[str, Any]) -> None:
    company = await _new_customer(api)

    assert (await api.post(_invitations(company["id"]), body)).status == 400


async def test_only_into_our_company_or_our_customers(api: RainbowHttp, sandbox: Sandbox) -> None:
    stranger = sandbox.create_customer_company("Stranger Inc")

    into_stranger = await api.post(_invitations(stranger["id"]), {"email": "a@b.com"})
    into_unknown = await api.post(_invitations("f" * 24), {"email": "a@b.com"})
    into_ours = await api.post(_invitations(sandbox.bp_company_id), {"email": "colleague@reseller.com"})

    assert (into_stranger.status, into_unknown.status, into_ours.status) == (403, 404, 200)


async def test_existing_user_must_be_in_the_default_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)
    free = sandbox.add_default_user("Free Agent", "free@people.com")

    unknown = await api.post(_invitations(company["id"]), {"invitedUserId": "f" * 24})
    taken = await api.post(_invitations(company["id"]), {"invitedUserId": sandbox.state.account.id})
    taken_by_email = await api.post(_invitations(company["id"]), {"email": sandbox.credentials.login})
    picked = await api.post(_invitations(company["id"]), {"invitedUserId": free["id"]})

    assert unknown.status == 404
    assert (taken.status, taken.detail_code) == (403, 403620)
    assert (taken_by_email.status, taken_by_email.detail_code) == (403, 403620)
    assert picked.status == 200
    assert picked.data["invitedUserEmail"] == "free@people.com"


async def test_accepting_as_company_admin_activates_the_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)
    invitation = await _invite(api, company["id"], email="boss@acme.com", invitedToBeCompanyAdmin=True)

    answered = await api.post(f"/sandbox/join-invitations/{invitation['id']}/accept")
    fetched = await api.get(f"{_invitations(company['id'])}/{invitation['id']}")
    refreshed = await api.get(f"{ADMIN}/companies/{company['id']}")

    assert answered.status == 200
    assert fetched.data["status"] == "accepted"
    assert "acceptationDate" in fetched.data
    assert refreshed.data["status"] == "active"
    assert len(sandbox.state.users_of(company["id"])) == 1


async def test_a_plain_member_does_not_activate_the_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)
    invitation = await _invite(api, company["id"], email="member@acme.com")

    sandbox.accept_join_invitation(invitation["id"])

    assert (await api.get(f"{ADMIN}/companies/{company['id']}")).data["status"] == "initializing"


async def test_a_new_invitation_replaces_a_pending_one_for_the_same_email(api: RainbowHttp) -> None:
    first_company = await _new_customer(api, "First")
    second_company = await _new_customer(api, "Second")
    first = await _invite(api, first_company["id"], email="boss@acme.com")

    await _invite(api, second_company["id"], email="Boss@Acme.com")
    replaced = await api.get(f"{_invitations(first_company['id'])}/{first['id']}")

    assert replaced.data["status"] == "canceled"


async def test_cancel_and_resend_status_rules(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)
    base = _invitations(company["id"])
    declined = await _invite(api, company["id"], email="no@acme.com")
    accepted = await _invite(api, company["id"], email="yes@acme.com")
    sandbox.decline_join_invitation(declined["id"])
    sandbox.accept_join_invitation(accepted["id"])
    sandbox.advance_clock(3600)

    cancel_accepted = await api.post(f"{base}/{accepted['id']}/cancel")
    resend_accepted = await api.post(f"{base}/{accepted['id']}/re-send")
    cancel_declined = await api.post(f"{base}/{declined['id']}/cancel")
    resend_canceled = await api.post(f"{base}/{declined['id']}/re-send", {"customMessage": "again"})
    cancel_again = await api.post(f"{base}/{declined['id']}/cancel")
    cancel_twice = await api.post(f"{base}/{declined['id']}/cancel")

    assert (cancel_accepted.status, resend_accepted.status) == (409, 409)
    assert cancel_declined.data["status"] == "canceled"
    assert resend_canceled.data["status"] == "pending"
    assert resend_canceled.data["lastNotificationDate"] > resend_canceled.data["invitationDate"]
    assert cancel_again.data["status"] == "canceled"
    assert cancel_twice.status == 409


async def test_answering_a_non_pending_invitation_is_a_409(api: RainbowHttp) -> None:
    company = await _new_customer(api)
    invitation = await _invite(api, company["id"], email="boss@acme.com")
    await api.post(f"{_invitations(company['id'])}/{invitation['id']}/cancel")

    reply = await api.post(f"/sandbox/join-invitations/{invitation['id']}/accept")

    assert reply.status == 409


async def test_list_filters_by_repeated_status_and_formats(api: RainbowHttp, sandbox: Sandbox) -> None:
    company = await _new_customer(api)
    pending = await _invite(api, company["id"], email="p@acme.com")
    declined = await _invite(api, company["id"], email="d@acme.com")
    accepted = await _invite(api, company["id"], email="a@acme.com")
    sandbox.decline_join_invitation(declined["id"])
    sandbox.accept_join_invitation(accepted["id"])
    base = _invitations(company["id"])

    answered = await api.get(base, [("status", "accepted"), ("status", "declined")])
    small = await api.get(base, {"status": "pending"})
    full = await api.get(base, {"status": "pending", "format": "full"})
    bogus = await api.get(base, {"status": "done"})

    assert {i["id"] for i in answered.data} == {declined["id"], accepted["id"]}
    assert small.data == [
        {
            "id": pending["id"],
            "companyId": company["id"],
            "invitedUserEmail": "p@acme.com",
            "invitingAdminId": sandbox.state.account.id,
            "status": "pending",
        }
    ]
    assert full.data[0]["companyName"] == "Acme"
    assert bogus.status == 400


async def test_invitation_of_another_company_is_not_found(api: RainbowHttp) -> None:
    first = await _new_customer(api, "First")
    second = await _new_customer(api, "Second")
    invitation = await _invite(api, first["id"], email="boss@acme.com")

    assert (await api.get(f"{_invitations(second['id'])}/{invitation['id']}")).status == 404
