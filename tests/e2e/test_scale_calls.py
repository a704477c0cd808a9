"""Rainbow calls per poll + sync cycle grow with pages, not with companies (counted at the sandbox)."""

from datetime import UTC, datetime
from math import ceil

from sqlmodel import col, func, select

from bot.rainbow.core import PAGE_SIZE
from standins.demo.scale import ScaleWorld, change_some, seed_scale
from storage.models import AdminInvitation, Association
from tests.e2e.conftest import World

COMPANIES = 1000


async def cycle(world: World) -> dict[str, int]:
    """One requests.poll and one status.sync, as the scheduler runs them; the calls the sandbox received."""
    assert world.running is not None
    world.sandbox.reset_stats()
    jobs = world.running.scheduler.jobs
    await jobs["requests.poll"].run(datetime.now(UTC))
    await jobs["status.sync"].run(datetime.now(UTC))
    return world.sandbox.stats()["counts"]


def total(counts: dict[str, int]) -> int:
    return sum(counts.values())


async def scaled(world: World) -> ScaleWorld:
    return await seed_scale(world.sandbox, world.sessions, COMPANIES, pending_requests=150)


def join_listings(counts: dict[str, int]) -> int:
    return sum(n for route, n in counts.items() if route.endswith("/join-companies/invitations"))


async def test_a_steady_cycle_costs_one_call_per_page_plus_at_most_three(world: World) -> None:
    scale = await scaled(world)
    await cycle(world)  # the first cycle after seeding settles whatever the seed left open
    counts = await cycle(world)
    tracked_waiting = len(scale.waiting) + len(scale.requests)
    assert len(scale.waiting) > 50, scale
    assert total(counts) <= ceil(tracked_waiting / PAGE_SIZE) + 3, counts
    assert join_listings(counts) == 1, counts  # the rotating sample, not one per waiting company
    assert counts.get("GET /api/rainbow/admin/v1.0/companies/{companyId}", 0) == 0, counts


async def test_only_the_companies_that_changed_have_their_invitations_read(world: World) -> None:
    scale = await scaled(world)
    await cycle(world)
    joined = change_some(world.sandbox, scale, 0.02)
    counts = await cycle(world)
    assert counts["GET /api/rainbow/admin/v1.0/companies/{companyId}"] == len(joined), counts
    assert len(joined) <= join_listings(counts) <= len(joined) + 1, counts
    async with world.sessions() as session:
        active = await session.scalar(
            select(func.count()).select_from(Association).where(col(Association.status) == "active")
        )
        accepted = await session.scalar(
            select(func.count()).select_from(AdminInvitation).where(col(AdminInvitation.status) == "accepted")
        )
    assert active == accepted == len(joined)
    assert total(await cycle(world)) <= ceil((len(scale.waiting) - len(joined) + len(scale.requests)) / PAGE_SIZE) + 3


async def test_the_rotating_sample_notices_a_declined_invitation_while_the_company_waits(world: World) -> None:
    scale = await scaled(world)
    await cycle(world)
    target = scale.waiting[3]  # the sample goes round in store order, so this one comes up soon
    invitation = next(i for i in world.sandbox.join_invitations(target))
    world.sandbox.decline_join_invitation(invitation["id"])
    for _ in range(len(scale.waiting) + 1):
        counts = await cycle(world)
        assert join_listings(counts) == 1, counts
        async with world.sessions() as session:
            stored = (
                await session.exec(
                    select(AdminInvitation).where(AdminInvitation.rainbow_invitation_id == invitation["id"])
                )
            ).one()
        if stored.status == "declined":
            break
    assert stored.status == "declined"
