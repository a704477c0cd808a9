"""bp-link invitations and requests: BP id in the path, status rules, throttle, and the link itself."""

from __future__ import annotations

from typing import Any

import pytest

from standins.rainbow import Sandbox, SandboxError

from .rainbow_http import ADMIN, RainbowHttp


def _invitations(company_id: str) -> str:
    return f"{ADMIN}/companies/{company_id}/bp-link/invitations"


def _requests(company_id: str) -> str:
    return f"{ADMIN}/companies/{company_id}/bp-link/requests"


async def _invite(api: RainbowHttp, sandbox: Sandbox, company_id: str) -> dict[str, Any]:
    reply = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": company_id, "lang": "en"})
    assert reply.status == 200, reply.body
    return reply.data


async def test_invitation_accepted_by_the_customer_links_the_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    invitation = await _invite(api, sandbox, prospect["id"])

    before = await api.get(f"{ADMIN}/companies", {"bpId": sandbox.bp_company_id})
    answered = await api.post(f"/sandbox/bp-link/invitations/{invitation['id']}/accept")
    fetched = await api.get(f"{_invitations(sandbox.bp_company_id)}/{invitation['id']}")
    after = await api.get(f"{ADMIN}/companies", {"bpId": sandbox.bp_company_id, "format": "full"})

    assert invitation["status"] == "pending"
    assert invitation["invitingCompanyId"] == sandbox.bp_company_id
    assert invitation["invitedCompanyName"] == "Prospect SA"
    assert before.data == []
    assert answered.status == 200
    assert fetched.data["status"] == "accepted"
    assert [(c["id"], c["bpId"]) for c in after.data] == [(prospect["id"], sandbox.bp_company_id)]


async def test_invitation_needs_the_bp_id_in_the_path(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")

    reply = await api.post(_invitations(prospect["id"]), {"invitedCompanyId": prospect["id"]})

    assert (reply.status, reply.detail_code) == (400, 400100)


async def test_invitation_only_to_companies_without_a_bp(api: RainbowHttp, sandbox: Sandbox) -> None:
    customer = sandbox.create_customer_company("Already Ours", ours=True)
    missing = await api.post(_invitations(sandbox.bp_company_id), {})
    unknown = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": "f" * 24})
    linked = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": customer["id"]})
    ourselves = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": sandbox.bp_company_id})

    assert (missing.status, unknown.status, ourselves.status) == (400, 404, 400)
    assert (linked.status, linked.detail_code) == (400, 400251)  # the create documents no 409


async def test_one_invitation_per_company_per_hour(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    first = await _invite(api, sandbox, prospect["id"])

    again = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": prospect["id"]})
    resend_too_soon = await api.post(f"{_invitations(sandbox.bp_company_id)}/{first['id']}/re-send")
    sandbox.advance_clock(59 * 60)
    still_throttled = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": prospect["id"]})
    await api.post("/sandbox/clock", {"advance_seconds": 61})
    allowed = await api.post(_invitations(sandbox.bp_company_id), {"invitedCompanyId": prospect["id"]})
    replaced = await api.get(f"{_invitations(sandbox.bp_company_id)}/{first['id']}")

    assert (again.status, again.detail_code) == (400, 400250)
    assert again.body["errorDetails"] == "An invitation has already been sent to this company less than one hour ago"
    assert resend_too_soon.detail_code == 409250
    assert still_throttled.detail_code == 400250
    assert allowed.status == 200
    assert replaced.data["status"] == "canceled"


async def test_the_throttle_is_per_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    first = sandbox.create_customer_company("First SA")
    second = sandbox.create_customer_company("Second SA")

    to_first = await _invite(api, sandbox, first["id"])
    to_second = await _invite(api, sandbox, second["id"])

    assert (to_first["status"], to_second["status"]) == ("pending", "pending")


async def test_invitation_status_rules(api: RainbowHttp, sandbox: Sandbox) -> None:
    declining = sandbox.create_customer_company("Declining SA")
    accepting = sandbox.create_customer_company("Accepting SA")
    declined = await _invite(api, sandbox, declining["id"])
    accepted = await _invite(api, sandbox, accepting["id"])
    sandbox.answer_link_invitation(declined["id"], accept=False)
    sandbox.answer_link_invitation(accepted["id"], accept=True)
    sandbox.advance_clock(3601)
    base = _invitations(sandbox.bp_company_id)

    answer_again = await api.post(f"/sandbox/bp-link/invitations/{declined['id']}/accept")
    cancel_accepted = await api.post(f"{base}/{accepted['id']}/cancel")
    resend_accepted = await api.post(f"{base}/{accepted['id']}/re-send")
    resend_declined = await api.post(f"{base}/{declined['id']}/re-send", {"customMessage": "Please reconsider"})
    cancel_pending = await api.post(f"{base}/{declined['id']}/cancel")
    cancel_canceled = await api.post(f"{base}/{declined['id']}/cancel")

    assert (answer_again.status, cancel_accepted.status, resend_accepted.status) == (409, 409, 409)
    assert resend_declined.data["status"] == "pending"
    assert cancel_pending.data["status"] == "canceled"
    assert cancel_canceled.status == 409


async def test_bp_side_actions_refuse_a_customer_id_in_the_path(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    invitation = await _invite(api, sandbox, prospect["id"])
    on_prospect = f"{_invitations(prospect['id'])}/{invitation['id']}"
    on_bp = f"{_invitations(sandbox.bp_company_id)}/{invitation['id']}"

    cancel = await api.post(f"{on_prospect}/cancel")
    resend = await api.post(f"{on_prospect}/re-send")
    accept_with_bp_id = await api.post(f"{on_bp}/accept")
    accept_as_customer = await api.post(f"{on_prospect}/accept")

    assert (cancel.status, resend.status, accept_with_bp_id.status) == (400, 400, 400)
    assert accept_as_customer.status == 403


async def test_small_format_of_bp_link_lists_uses_underscore_id(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    invitation = await _invite(api, sandbox, prospect["id"])
    request = sandbox.file_link_request(company_name="Asking SARL")

    invitations = await api.get(_invitations(sandbox.bp_company_id), {"format": "small"})
    requests = await api.get(_requests(sandbox.bp_company_id), {"format": "small"})
    medium = await api.get(_requests(sandbox.bp_company_id), {"format": "medium"})

    assert invitations.data == [
        {
            "_id": invitation["id"],
            "invitingCompanyId": sandbox.bp_company_id,
            "invitedCompanyId": prospect["id"],
            "invitingAdminId": sandbox.state.account.id,
            "status": "pending",
        }
    ]
    assert set(requests.data[0]) == {
        "_id",
        "requestingCompanyId",
        "requestedCompanyId",
        "requestingAdminId",
        "status",
    }
    assert requests.data[0]["_id"] == request["id"]
    assert medium.data[0]["id"] == request["id"]
    assert medium.data[0]["requestingCompanyName"] == "Asking SARL"


async def test_lists_are_read_through_our_own_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    stranger = sandbox.create_customer_company("Stranger Inc")

    assert (await api.get(_invitations(stranger["id"]))).status == 403
    assert (await api.get(_requests("f" * 24))).status == 403


async def test_accepting_a_request_links_the_requesting_company(api: RainbowHttp, sandbox: Sandbox) -> None:
    filed = await api.post(
        "/sandbox/bp-link/requests",
        {"companyName": "Asking SARL", "adminEmail": "boss@asking.fr", "customMessage": "Be our reseller"},
    )
    request_id = filed.data["id"]
    base = _requests(sandbox.bp_company_id)

    pending = await api.get(base, {"status": "pending", "format": "medium"})
    wrong_company = await api.post(f"{_requests(filed.data['requestingCompanyId'])}/{request_id}/accept")
    accepted = await api.post(f"{base}/{request_id}/accept")
    accepted_again = await api.post(f"{base}/{request_id}/accept")
    declined_after = await api.post(f"{base}/{request_id}/decline")
    linked = await api.get(f"{ADMIN}/companies/{filed.data['requestingCompanyId']}")

    assert filed.status == 201
    assert [r["requestingAdminLoginEmail"] for r in pending.data] == ["boss@asking.fr"]
    assert (wrong_company.status, wrong_company.detail_code) == (400, 400100)
    assert accepted.data["status"] == "accepted"
    assert (accepted_again.status, declined_after.status) == (409, 409)
    assert linked.data["bpId"] == sandbox.bp_company_id


async def test_a_cancelled_request_cannot_be_answered(api: RainbowHttp, sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    request = sandbox.file_link_request(requesting_company_id=prospect["id"])
    base = _requests(sandbox.bp_company_id)

    cancelled = await api.post(f"/sandbox/bp-link/requests/{request['id']}/cancel")
    fetched = await api.get(f"{base}/{request['id']}")
    accept = await api.post(f"{base}/{request['id']}/accept")
    decline = await api.post(f"{base}/{request['id']}/decline")

    assert cancelled.data["status"] == "canceled"
    assert fetched.data["status"] == "canceled"
    assert (accept.status, decline.status) == (409, 409)
    assert sandbox.company(prospect["id"]).get("bpId") is None


async def test_declining_a_request_leaves_the_company_unlinked(api: RainbowHttp, sandbox: Sandbox) -> None:
    request = sandbox.file_link_request(company_name="Asking SARL")

    declined = await api.post(f"{_requests(sandbox.bp_company_id)}/{request['id']}/decline")

    assert declined.data["status"] == "declined"
    assert "declinationDate" in declined.data
    assert "bpId" not in sandbox.company(request["requestingCompanyId"])


async def test_requester_actions_are_not_the_bps(api: RainbowHttp, sandbox: Sandbox) -> None:
    request = sandbox.file_link_request(company_name="Asking SARL")

    with_bp_id = await api.post(f"{_requests(sandbox.bp_company_id)}/{request['id']}/cancel")
    with_requester_id = await api.post(f"{_requests(request['requestingCompanyId'])}/{request['id']}/re-send")

    assert (with_bp_id.status, with_requester_id.status) == (400, 403)


async def test_a_company_with_a_pending_request_cannot_file_another(sandbox: Sandbox) -> None:
    prospect = sandbox.create_customer_company("Prospect SA")
    sandbox.file_link_request(requesting_company_id=prospect["id"])

    with pytest.raises(SandboxError) as refusal:
        sandbox.file_link_request(requesting_company_id=prospect["id"])

    assert refusal.value.status == 409
