"""What happens after the click: status sync, reminders, the daily digest, several schedulers."""

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.rainbow import RainbowClient
from bot.scheduler import Job, Scheduler, period_key
from bot.services.digest import Digest, Posting, due_date
from storage.engine import make_engine, make_session_factory
from storage.models import AdminInvitation, Association, JobRun, LinkInvitation
from storage.statuses import InvitationStatus
from tests.e2e.conftest import ALICE, CAROL, World

PARIS = ZoneInfo("Europe/Paris")


async def create_company(world: World, name: str) -> Association:
    await world.alice.run_command(f"/rainbow create {name}", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.alice.fill_and_submit(view_id, {"country": "FRA"})
    await world.view_becomes(view_id, "create_admin")
    await world.alice.fill_and_submit(view_id, {"admin_email": f"admin@{name.lower()}.example.com"})
    await world.view_becomes(view_id, "create_result")
    async with world.sessions() as session:
        return (await session.exec(select(Association).where(Association.name == name))).one()


async def test_the_administrator_joining_activates_the_company_in_the_thread_and_by_dm(world: World) -> None:
    association = await create_company(world, "Acme")
    sync = world.running.scheduler.jobs["status.sync"]
    assert str(await sync.run(datetime.now(UTC))).startswith("0 changes in ")

    invitation = world.sandbox.join_invitations(association.rainbow_company_id)[0]
    world.sandbox.accept_join_invitation(invitation["id"])
    result = await sync.run(datetime.now(UTC))
    assert "Acme: active" in result.changes and "Acme administrator: accepted" in result.changes

    thread = world.slack.thread("C0GENERAL", association.thread_ts)
    assert any("now *Activated*" in m.text for m in thread), [m.text for m in thread]
    dm = world.slack.render_channel(world.slack.dm_channel(ALICE))
    assert "Acme is now Activated" in dm, dm
    assert "Activated" in world.slack.render_channel("C0GENERAL")
    async with world.sessions() as session:
        stored = await session.get(Association, association.id)
        admin = (await session.exec(select(AdminInvitation))).one()
    assert stored is not None and stored.status == "active" and stored.activated_at is not None
    assert admin.status == InvitationStatus.ACCEPTED
    again = await sync.run(datetime.now(UTC))
    assert again.changes == [] and len(world.slack.thread("C0GENERAL", association.thread_ts)) == len(thread)


async def test_a_link_invitation_answered_by_the_customer_is_announced(world: World) -> None:
    target = world.sandbox.create_customer_company("Globex", country="GBR", visibility="public")
    await world.alice.run_command("/rainbow invite glo", channel="general")
    view_id = (await world.modal_of(ALICE)).id
    await world.slack.wait_until(lambda: "initial_option" in str(world.slack.view(view_id).view["blocks"][1]))
    await world.alice.fill_and_submit(view_id, {})
    await world.view_becomes(view_id, "invite_confirm")
    await world.alice.fill_and_submit(view_id, {})
    await world.view_becomes(view_id, "invite_result")
    invitation = world.sandbox.link_invitations(target["id"])[0]
    world.sandbox.answer_link_invitation(invitation["id"], accept=True)
    result = await world.running.scheduler.jobs["status.sync"].run(datetime.now(UTC))
    assert result.changes == ["Globex link: accepted"]
    async with world.sessions() as session:
        link = (await session.exec(select(LinkInvitation))).one()
        association = (await session.exec(select(Association))).one()
    assert link.status == InvitationStatus.ACCEPTED
    thread = world.slack.thread("C0GENERAL", association.thread_ts)
    assert any("we are now its reseller" in m.text for m in thread)


async def test_stale_invitations_can_be_resent_or_cancelled_from_the_digest(world: World) -> None:
    association = await create_company(world, "Wonka")
    async with world.sessions() as session, session.begin():
        admin = (await session.exec(select(AdminInvitation))).one()
        admin.sent_at = datetime.now(UTC) - timedelta(days=8)
        session.add(admin)
    digest = world.running.runtime.digest
    refs = await digest.post()
    shown = world.slack.render_channel("C0APPROVE")
    assert "Wonka" in shown and "pending for 8 d" in shown and "[ Resend ]" in shown, shown

    await world.carol.click("Resend", in_message=("C0APPROVE", refs[-1]))
    await world.slack.wait_until(lambda: any("sent again" in e.text for e in world.slack.ephemerals(CAROL)))
    invitation = world.sandbox.join_invitations(association.rainbow_company_id)[0]
    assert invitation["status"] == "pending"
    await world.carol.click("Cancel", in_message=("C0APPROVE", refs[-1]))
    await world.slack.wait_until(lambda: any("cancelled" in e.text for e in world.slack.ephemerals(CAROL)))
    assert world.sandbox.join_invitations(association.rainbow_company_id)[0]["status"] == "canceled"
    async with world.sessions() as session:
        assert (await session.exec(select(AdminInvitation))).one().status == InvitationStatus.CANCELED


async def test_the_digest_counts_first_then_details_and_a_quiet_day_is_one_line(world: World) -> None:
    digest = world.running.runtime.digest
    await digest.post()
    quiet = world.slack.messages("C0APPROVE")[-1]
    assert "nothing new" in quiet.text and len(quiet.blocks) == 1

    await create_company(world, "Acme")
    world.sandbox.file_link_request(company_name="Wayne")
    await world.running.runtime.requests.poll()
    await digest.post()
    text = (
        world.slack.render_message(world.slack.messages("C0APPROVE")[-1])
        if hasattr(world.slack, "render_message")
        else world.slack.render_channel("C0APPROVE")
    )
    assert "1 created" in text and "1 request waiting" in text and "Wayne" in text and "Acme" in text, text


def test_the_digest_is_due_at_local_time_across_daylight_saving_changes() -> None:
    at = time(2, 30)
    # 29 March 2026: Paris skips from 02:00 to 03:00; 02:30 does not exist, so the digest is due at 03:00.
    assert due_date(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), PARIS, at) is None  # 01:59 CET
    assert due_date(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), PARIS, at) == datetime(2026, 3, 29).date()
    # 25 October 2026: 02:30 happens twice; the first one (CEST, 00:30 UTC) makes it due.
    assert due_date(datetime(2026, 10, 25, 0, 29, tzinfo=UTC), PARIS, at) is None
    assert due_date(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), PARIS, at) == datetime(2026, 10, 25).date()
    # An ordinary winter day: 09:00 in Paris is 08:00 UTC.
    assert due_date(datetime(2026, 12, 1, 7, 59, tzinfo=UTC), PARIS, time(9)) is None
    assert due_date(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), PARIS, time(9)) == datetime(2026, 12, 1).date()


async def test_three_schedulers_on_one_database_run_each_period_once(world: World, database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(3)]
    runs: list[str] = []

    async def counted(now: datetime) -> str:
        runs.append(period_key(now, 60))
        await asyncio.sleep(0.01)
        return "ok"

    schedulers = [
        Scheduler(make_session_factory(engine), [Job("requests.poll", 60, counted)], owner=f"replica-{n}")
        for n, engine in enumerate(engines)
    ]
    start = datetime(2026, 11, 29, 10, 0, 5, tzinfo=UTC)
    for minute in range(4):
        now = start + timedelta(minutes=minute, seconds=minute * 7)
        results = await asyncio.gather(*(s.tick("requests.poll", now) for s in schedulers))
        assert results.count(True) == 1
    assert len(runs) == 4 and len(set(runs)) == 4

    digests = [
        Digest(
            make_session_factory(engine),
            world.running.runtime.notifier,
            channel="C0APPROVE",
            zone=PARIS,
            at=time(9),
            stale_after=timedelta(days=7),
            rainbow_problem=lambda: None,
        )
        for engine in engines
    ]
    due = datetime(2026, 11, 29, 8, 0, 30, tzinfo=UTC)
    before = len(world.slack.messages("C0APPROVE"))
    outcomes = await asyncio.gather(*(d.post_if_due(f"replica-{n}", due) for n, d in enumerate(digests)))
    later = await asyncio.gather(
        *(d.post_if_due(f"replica-{n}", due + timedelta(hours=3)) for n, d in enumerate(digests))
    )
    [posted] = [o for o in outcomes if o.posted]
    assert str(posted) == "posted the digest of 2026-11-29 to C0APPROVE (1 message)"
    assert sorted(o.state for o in outcomes if not o.posted) in (
        [Posting.ALREADY_POSTED, Posting.ALREADY_POSTED],
        [Posting.ALREADY_POSTED, Posting.BEING_POSTED],
        [Posting.BEING_POSTED, Posting.BEING_POSTED],
    )
    assert [o.state for o in later] == [Posting.ALREADY_POSTED] * 3
    assert len(world.slack.messages("C0APPROVE")) == before + 1
    for engine in engines:
        await engine.dispose()


async def test_a_failing_tick_is_recorded_and_the_next_period_runs(world: World) -> None:
    calls = 0

    async def flaky(_: datetime) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("Rainbow unreachable")
        return "fine"

    scheduler = Scheduler(world.sessions, [Job("flaky", 60, flaky)], owner="me")
    now = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert await scheduler.tick("flaky", now)
    assert await scheduler.tick("flaky", now + timedelta(minutes=1))
    async with world.sessions() as session:
        runs = (await session.exec(select(JobRun).order_by(JobRun.period))).all()
    assert [(r.status, r.result) for r in runs] == [("failed", "RuntimeError: Rainbow unreachable"), ("done", "fine")]
    data = await world.running.runtime.digest.collect(now + timedelta(minutes=2))
    assert [r.result for r in data.failed_ticks] == ["RuntimeError: Rainbow unreachable"]


async def test_one_company_rainbow_cannot_read_never_blocks_the_rest_of_the_sync(world: World) -> None:
    gone = await create_company(world, "Vanished")
    hostile = "Globex <!channel> <https://evil.example|click>"
    target = world.sandbox.create_customer_company(hostile, country="GBR", visibility="public")
    c = world.sandbox.credentials
    async with RainbowClient(world.sandbox.url, c.login, c.password, c.app_id, c.app_secret) as rainbow:
        await rainbow.invite_company_to_link(target["id"])
    async with world.sessions() as session, session.begin():
        session.add(
            Association(
                rainbow_company_id=target["id"],
                name=hostile,
                name_folded="globex",
                origin="invited",
                status="active",
                requester=ALICE,
                channel_id="C0GENERAL",
            )
        )
    async with world.sessions() as session, session.begin():
        association = (await session.exec(select(Association).where(Association.name == hostile))).one()
        invitation = world.sandbox.link_invitations(target["id"])[0]
        session.add(
            LinkInvitation(
                rainbow_invitation_id=invitation["id"],
                association_id=association.id,
                invited_company_id=target["id"],
                invited_company_name=hostile,
                requester=ALICE,
            )
        )
    world.sandbox.state.companies.pop(gone.rainbow_company_id)  # deleted in Rainbow
    world.sandbox.answer_link_invitation(invitation["id"], accept=True)

    sync = world.running.scheduler.jobs["status.sync"]
    result = await sync.run(datetime.now(UTC))
    assert "Vanished: missing" in result.changes and any("link: accepted" in c for c in result.changes)
    async with world.sessions() as session:
        vanished = await session.get(Association, gone.id)
    assert vanished is not None and vanished.status == "terminated" and "no longer knows" in (vanished.problem or "")
    dm = world.slack.messages(world.slack.dm_channel(ALICE))
    assert any("&lt;!channel&gt;" in m.text for m in dm) and not any("<!channel>" in m.text for m in dm)
