"""A large, steady world for the call-count tests and the benchmark: the Rainbow sandbox and the store
agree on many companies, a tenth of them ours, tracked and waiting for their administrator, and on
pending customer requests already posted to Slack.

Records go straight into the sandbox's memory and into the store in bulk (no HTTP, no Slack), so a
world of 100,000 companies is ready in seconds; what the bot then does is measured from outside.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select
from sqlmodel import col

from standins.rainbow import Sandbox
from standins.rainbow import bp_link as sandbox_bp_link
from standins.rainbow.models import Company, CompanyStatus, JoinInvitation, Visibility
from standins.rainbow.seed import company_names
from storage.engine import SessionFactory
from storage.models import AdminInvitation, Association, IncomingRequest, utcnow

BATCH = 1000


@dataclass(frozen=True)
class ScaleWorld:
    companies: int
    waiting: list[str]  # Rainbow ids of our customers still initializing, tracked in the store
    requests: list[str]  # Rainbow ids of the pending customer requests, stored and posted
    channel: str


async def seed_scale(
    sandbox: Sandbox,
    sessions: SessionFactory,
    companies: int,
    *,
    waiting_fraction: float = 0.10,
    pending_requests: int = 500,
    channel: str = "C0GENERAL",
) -> ScaleWorld:
    """`companies` companies in Rainbow; `waiting_fraction` of them our customers still initializing,
    each with one pending administrator invitation, all tracked; `pending_requests` pending requests."""
    state = sandbox.state
    now = state.clock.now()
    draws = random.Random(1414)
    waiting: list[str] = []
    for index, name in enumerate(company_names(companies)):
        company = state.add_company(
            Company(
                id=state.new_id(),
                name=name,
                country="FRA",
                creation_date=now - timedelta(minutes=companies - index),
                visibility=Visibility.PUBLIC,
            )
        )
        if draws.random() < waiting_fraction:
            company.bp_id, company.visibility = state.bp_company.id, Visibility.PRIVATE
            company.status = CompanyStatus.INITIALIZING
            company.external_reference = f"SCALE-{index:06d}"
            waiting.append(company.id)
    invitations: dict[str, JoinInvitation] = {}
    for position, company_id in enumerate(waiting):
        invitation = JoinInvitation(
            id=state.new_id(),
            company_id=company_id,
            invited_email=f"admin{position}@scale{position}.example.com",
            inviting_admin_id=state.account.id,
            inviting_admin_email=state.account.login_email,
            invitation_date=now,
            last_notification_date=now,
            invited_to_be_company_admin=True,
        )
        state.join_invitations[invitation.id] = invitation
        invitations[company_id] = invitation
    requests = [
        sandbox_bp_link.file_request(state, company_name=f"Requester {number:04d} SA").id
        for number in range(pending_requests)
    ]
    await _store(sessions, sandbox, waiting, invitations, requests, channel)
    return ScaleWorld(companies=companies, waiting=waiting, requests=requests, channel=channel)


async def _store(
    sessions: SessionFactory,
    sandbox: Sandbox,
    waiting: list[str],
    invitations: dict[str, JoinInvitation],
    requests: list[str],
    channel: str,
) -> None:
    state, at = sandbox.state, utcnow()
    async with sessions() as session, session.begin():
        connection = await session.connection()
        for start in range(0, len(waiting), BATCH):
            chunk = waiting[start : start + BATCH]
            await connection.execute(
                insert(Association),
                [
                    {
                        "rainbow_company_id": company_id,
                        "name": state.companies[company_id].name,
                        "name_folded": state.companies[company_id].name.casefold(),
                        "origin": "created",
                        "status": "initializing",
                        "requester": "U0ALICE01",
                        "channel_id": channel,
                        "thread_ts": f"1700000000.{start + offset:06d}",
                        "created_at": at,
                        "updated_at": at,
                    }
                    for offset, company_id in enumerate(chunk)
                ],
            )
        rows = await connection.execute(select(col(Association.rainbow_company_id), col(Association.id)))
        ids: dict[str, int | None] = {company_id: row_id for company_id, row_id in rows.all()}
        for start in range(0, len(waiting), BATCH):
            await connection.execute(
                insert(AdminInvitation),
                [
                    {
                        "rainbow_invitation_id": invitations[company_id].id,
                        "association_id": ids[company_id],
                        "email": invitations[company_id].invited_email,
                        "status": "pending",
                        "requester": "U0ALICE01",
                        "sent_at": at,
                        "created_at": at,
                        "updated_at": at,
                    }
                    for company_id in waiting[start : start + BATCH]
                ],
            )
        for start in range(0, len(requests), BATCH):
            await connection.execute(
                insert(IncomingRequest),
                [
                    {
                        "rainbow_request_id": request_id,
                        "requesting_company_id": state.link_requests[request_id].requesting_company_id,
                        "requesting_company_name": state.companies[
                            state.link_requests[request_id].requesting_company_id
                        ].name,
                        "requester_email": state.link_requests[request_id].requesting_admin_email,
                        "request_date": at,
                        "status": "pending",
                        "channel_id": channel,
                        "message_ts": f"1700000001.{start + offset:06d}",
                        "created_at": at,
                        "updated_at": at,
                    }
                    for offset, request_id in enumerate(requests[start : start + BATCH])
                ],
            )


def change_some(sandbox: Sandbox, world: ScaleWorld, fraction: float) -> list[str]:
    """Let `fraction` of the waiting companies' administrators join (the company turns active): what a
    busy day looks like to the next sync."""
    state = sandbox.state
    count = max(1, round(len(world.waiting) * fraction))
    joined = world.waiting[:count]
    pending = {
        invitation.company_id: invitation
        for invitation in state.join_invitations.values()
        if invitation.company_id in set(joined)
    }
    for company_id in joined:
        sandbox.accept_join_invitation(pending[company_id].id)
    return joined
