"""Customers asking us to be their reseller: posted once, decided once, by approvers only."""

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.notifier import ChannelPacer
from bot.rainbow import RainbowClient
from standins.slack.forms import find_button
from storage.models import Association, AuditEvent, IncomingRequest
from storage.statuses import RequestStatus
from tests.e2e.conftest import ALICE, CAROL, World

APPROVALS = "C0APPROVE"
ACCEPT_ROUTE = "POST /api/rainbow/admin/v1.0/companies/{companyId}/bp-link/requests/{requestId}/accept"


async def requested(world: World, name: str, message: str | None = "Please be our reseller") -> IncomingRequest:
    """A customer files a request; one poll posts it for approval."""
    world.sandbox.file_link_request(
        company_name=name, admin_email=f"it@{name.lower()}.example.com", custom_message=message
    )
    await world.running.runtime.requests.poll()
    async with world.sessions() as session:
        return (
            await session.exec(select(IncomingRequest).where(IncomingRequest.requesting_company_name == name))
        ).one()


def approval_text(world: World, request: IncomingRequest) -> str:
    return world.slack.render_channel(APPROVALS) if request.message_ts else ""


async def test_a_request_is_posted_once_and_accepted_by_an_approver(world: World) -> None:
    request = await requested(world, "Wayne", "We would like <b>you</b> & nobody else")
    await world.running.runtime.requests.poll()
    messages = world.slack.messages(APPROVALS)
    assert len(messages) == 1 and messages[0].ts == request.message_ts
    shown = world.slack.render_channel(APPROVALS)
    # The documented request object carries no customMessage (admin OpenAPI 1.82.0, GetLinkECToBPRequests),
    # so Rainbow's answers never show what the customer wrote: the post says so rather than invent it.
    assert "Wayne" in shown and "it@wayne.example.com" in shown and "No message." in shown
    assert "[ Accept ]" in shown and "[ Decline ]" in shown, shown

    await world.carol.click("Accept", in_message=(APPROVALS, request.message_ts))
    await world.slack.wait_until(lambda: "Accepted by" in world.slack.render_channel(APPROVALS), what="accepted")
    shown = world.slack.render_channel(APPROVALS)
    assert "Accepted by @carol" in shown and "[ Accept ]" not in shown, shown
    rainbow = world.sandbox.state.link_requests[request.rainbow_request_id]
    assert rainbow.status.value == "accepted"
    assert world.sandbox.company(request.requesting_company_id)["bpId"] == world.sandbox.bp_company_id
    async with world.sessions() as session:
        stored = await session.get(IncomingRequest, request.id)
        customer = (await session.exec(select(Association))).one()
        audit = [(e.actor, e.action) for e in (await session.exec(select(AuditEvent))).all()]
    assert stored is not None and (stored.status, stored.decided_by) == (RequestStatus.ACCEPTED, CAROL)
    assert (customer.origin, customer.rainbow_company_id) == ("requested", request.requesting_company_id)
    assert (CAROL, "request.answer") in audit
    await world.slack.wait_until(
        lambda: any("You accepted" in e.text for e in world.slack.ephemerals(CAROL, APPROVALS))
    )


async def test_a_request_can_be_declined(world: World) -> None:
    request = await requested(world, "Stark")
    await world.carol.click("Decline", in_message=(APPROVALS, request.message_ts))
    await world.slack.wait_until(lambda: "Declined by @carol" in world.slack.render_channel(APPROVALS))
    assert world.sandbox.state.link_requests[request.rainbow_request_id].status.value == "declined"
    async with world.sessions() as session:
        assert (await session.exec(select(Association))).all() == []


async def test_twenty_concurrent_clicks_make_one_rainbow_call(world: World) -> None:
    request = await requested(world, "Oscorp")
    world.sandbox.reset_stats()
    message = world.slack.message(APPROVALS, request.message_ts)
    accept = find_button(message.blocks, "Accept")
    payloads = [
        world.sender.payloads.message_action(
            CAROL,
            APPROVALS,
            message.as_slack(world.slack.workspace.team_id),
            request.message_ts,
            False,
            accept.action(f"{1700000000 + n}.000100"),
            {},
            world.slack.issue_response_url(APPROVALS, CAROL, request.message_ts),
            world.slack.issue_trigger(CAROL),
        )
        for n in range(20)
    ]
    answers = await asyncio.gather(*(world.sender.post_payload(p) for p in payloads))
    assert {a.status for a in answers} == {200}
    await world.slack.wait_until(lambda: len(world.slack.ephemerals(CAROL, APPROVALS)) >= 20, what="20 answers")
    assert world.sandbox.stats()["counts"].get(ACCEPT_ROUTE) == 1
    texts = [e.text for e in world.slack.ephemerals(CAROL, APPROVALS)]
    assert sum("You accepted" in t for t in texts) == 1
    assert all("You accepted" in t or "accept" in t.lower() for t in texts)


@pytest.mark.parametrize("world", [{"approvals_channel": "C0GENERAL", "approvers": ("U0CAROL01",)}], indirect=True)
async def test_someone_who_is_not_an_approver_is_refused(world: World) -> None:
    request = await requested(world, "Cyberdyne")
    assert request.channel_id == "C0GENERAL"
    world.sandbox.reset_stats()
    await world.alice.click("Accept", in_message=("C0GENERAL", request.message_ts))
    await world.slack.wait_until(lambda: any("Only approvers" in e.text for e in world.slack.ephemerals(ALICE)))
    assert world.sandbox.stats()["counts"].get(ACCEPT_ROUTE) is None
    assert "[ Accept ]" in world.slack.render_channel("C0GENERAL")
    async with world.sessions() as session:
        denied = [(e.actor, e.outcome) for e in (await session.exec(select(AuditEvent))).all()]
    assert (ALICE, "denied") in denied


async def test_a_request_answered_elsewhere_or_cancelled_is_reflected_by_the_next_poll(world: World) -> None:
    answered = await requested(world, "Initech")
    cancelled = await requested(world, "Hooli")
    c = world.sandbox.credentials
    async with RainbowClient(world.sandbox.url, c.login, c.password, c.app_id, c.app_secret) as console:
        await console.accept_link_request(answered.rainbow_request_id)
    world.sandbox.cancel_link_request(cancelled.rainbow_request_id)
    await world.running.runtime.requests.poll()
    shown = world.slack.render_channel(APPROVALS)
    assert "Accepted by Rainbow" in shown and "Cancelled by the customer" in shown, shown
    assert "[ Accept ]" not in shown


async def test_buttons_still_work_after_a_restart(world: World) -> None:
    request = await requested(world, "Umbrella")
    await world.restart()
    await world.carol.click("Accept", in_message=(APPROVALS, request.message_ts))
    await world.slack.wait_until(lambda: "Accepted by @carol" in world.slack.render_channel(APPROVALS))


async def test_rainbow_failing_during_the_answer_leaves_the_request_pending_and_says_so(world: World) -> None:
    request = await requested(world, "Soylent")
    world.sandbox.set_faults(
        rules=[{"method": "POST", "path_prefix": "/api/rainbow/admin/v1.0/companies/", "status": 503}]
    )
    await world.carol.click("Accept", in_message=(APPROVALS, request.message_ts))
    await world.slack.wait_until(lambda: any("Not answered" in e.text for e in world.slack.ephemerals(CAROL)))
    world.sandbox.clear_faults()
    async with world.sessions() as session:
        stored = await session.get(IncomingRequest, request.id)
    assert stored is not None and stored.status == RequestStatus.PENDING and stored.decided_by is None
    assert "[ Accept ]" in world.slack.render_channel(APPROVALS)
    await world.carol.click("Accept", in_message=(APPROVALS, request.message_ts))
    await world.slack.wait_until(lambda: "Accepted by @carol" in world.slack.render_channel(APPROVALS))


async def test_two_hundred_requests_at_once_are_all_posted_once_at_slacks_pace(world: World) -> None:
    world.running.runtime.notifier.pacer = ChannelPacer(0.01)
    world.slack.rate_limit_next("chat.postMessage", times=2, retry_after=1)
    for n in range(200):
        world.sandbox.file_link_request(company_name=f"Customer {n:03d}")
    result = await world.running.runtime.requests.poll()
    again = await world.running.runtime.requests.poll()
    assert (result.new, result.posted) == (200, 200) and (again.new, again.posted) == (0, 0)
    posted = [m.text for m in world.slack.messages(APPROVALS)]
    assert len(posted) == 200 and len(set(posted)) == 200
    async with world.sessions() as session:
        rows = (await session.exec(select(IncomingRequest))).all()
    assert len(rows) == 200 and all(r.message_ts for r in rows)


async def test_overlapping_polls_of_two_replicas_post_each_request_once(world: World) -> None:
    world.running.runtime.notifier.pacer = ChannelPacer(0.005)
    for n in range(30):
        world.sandbox.file_link_request(company_name=f"Overlap {n:02d}")
    requests = world.running.runtime.requests
    results = await asyncio.gather(requests.poll(), requests.poll(), requests.poll())
    assert sum(r.posted for r in results) == 30
    texts = [m.text for m in world.slack.messages(APPROVALS)]
    assert len(texts) == 30 and len(set(texts)) == 30


async def test_an_answer_abandoned_by_a_dead_process_is_settled_by_the_next_poll(world: World) -> None:
    interrupted = await requested(world, "Tyrell")
    landed = await requested(world, "Weyland")
    async with world.sessions() as session, session.begin():
        for request in (interrupted, landed):
            row = await session.get(IncomingRequest, request.id)
            assert row is not None
            row.status, row.decided_by = RequestStatus.ACCEPTING, CAROL
            row.updated_at = row.updated_at - timedelta(minutes=11)
            session.add(row)
    c = world.sandbox.credentials
    async with RainbowClient(world.sandbox.url, c.login, c.password, c.app_id, c.app_secret) as rainbow:
        await rainbow.accept_link_request(landed.rainbow_request_id)  # Rainbow heard this one before the crash
    await world.running.runtime.requests.poll()
    async with world.sessions() as session:
        again = await session.get(IncomingRequest, interrupted.id)
        done = await session.get(IncomingRequest, landed.id)
    assert again is not None and (again.status, again.decided_by) == (RequestStatus.PENDING, None)
    assert done is not None and (done.status, done.decided_by) == (RequestStatus.ACCEPTED, CAROL)
    shown = world.slack.render_channel(APPROVALS)
    assert "[ Accept ]" in shown and "Accepted by @carol" in shown, shown
