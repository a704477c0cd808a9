"""Every query the digest, the listings, the sync, the poll and the prune send reads through an index.

The statements are captured as the real services send them, then explained on the run's backend:
SQLite's EXPLAIN QUERY PLAN must never show a bare ``SCAN <table>`` (a full table scan), and
PostgreSQL, with sequential scans disabled so its plan is the one it would pick on a large table,
must never fall back to a ``Seq Scan``. The benchmark shows the same plans at 100,000 rows.
"""

from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.rainbow.models import Company, LinkRequest
from bot.rainbow.models import LinkInvitation as LinkInvitationModel
from bot.services.digest import Digest, stale_invitations
from bot.services.directory import Directory
from bot.services.requests import Requests
from bot.services.sync import StatusSync
from storage.engine import SessionFactory
from storage.jobs import claim, finish
from storage.models import AdminInvitation, Association, AuditEvent, IncomingRequest, LinkInvitation, utcnow
from storage.plans import captured, explain, full_scans
from storage.retention import prune

ROWS = 400


class QuietRainbow:
    """Answers the sync and the poll with what the store already knows: nothing changed."""

    def __init__(self, waiting: list[str]) -> None:
        self._waiting = waiting

    async def list_customers(self, **_: Any) -> list[Company]:
        return [
            Company.from_api({"id": company, "name": company, "status": "initializing"}) for company in self._waiting
        ]

    async def list_join_invitations(self, *_: Any, **__: Any) -> list[Any]:
        return []

    async def list_link_invitations(self, **_: Any) -> list[LinkInvitationModel]:
        return [LinkInvitationModel.from_api({"id": f"li{n}", "status": "pending"}) for n in range(ROWS)]

    async def list_link_requests(self, **_: Any) -> list[LinkRequest]:
        return [
            LinkRequest.from_api({"id": f"r{n}", "status": "pending", "requestingCompanyId": f"rc{n}"})
            for n in range(0, ROWS, 4)
        ]


async def populate(sessions: SessionFactory) -> list[str]:
    now = utcnow()
    async with sessions() as session, session.begin():
        connection = await session.connection()
        await connection.execute(
            insert(Association),
            [
                {
                    "rainbow_company_id": f"c{n}",
                    "name": f"Company {n}",
                    "name_folded": f"company {n}",
                    "external_reference": f"REF-{n}",
                    "origin": "created" if n % 2 else "invited",
                    "status": "initializing" if n % 10 == 0 else "active",
                    "requester": f"U{n % 7}",
                    "activated_at": None if n % 10 == 0 else now - timedelta(hours=n),
                    "created_at": now - timedelta(hours=n),
                    "updated_at": now,
                }
                for n in range(ROWS)
            ],
        )
        await connection.execute(
            insert(AdminInvitation),
            [
                {
                    "rainbow_invitation_id": f"ai{n}",
                    "association_id": n + 1,
                    "email": f"a{n}@x.example",
                    "status": "pending" if n % 10 == 0 else "accepted",
                    "sent_at": now - timedelta(days=n % 20),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(ROWS)
            ],
        )
        await connection.execute(
            insert(LinkInvitation),
            [
                {
                    "rainbow_invitation_id": f"li{n}",
                    "association_id": n + 1,
                    "invited_company_id": f"c{n}",
                    "invited_company_name": f"Company {n}",
                    "status": "pending" if n % 3 == 0 else "accepted",
                    "sent_at": now - timedelta(days=n % 20),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(ROWS)
            ],
        )
        await connection.execute(
            insert(IncomingRequest),
            [
                {
                    "rainbow_request_id": f"r{n}",
                    "requesting_company_id": f"rc{n}",
                    "requesting_company_name": f"Requester {n}",
                    "status": "pending" if n % 4 == 0 else "accepted",
                    "request_date": now - timedelta(hours=n),
                    "decided_at": None if n % 4 == 0 else now - timedelta(hours=n),
                    "channel_id": "C0APPROVE",
                    "message_ts": f"1700000000.{n:06d}",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(ROWS)
            ],
        )
        await connection.execute(
            insert(AuditEvent),
            [
                {
                    "at": now - timedelta(minutes=n),
                    "actor": "scheduler",
                    "action": "sync",
                    "target_type": "x",
                    "details": {},
                }
                for n in range(ROWS)
            ],
        )
    for n in range(20):
        assert await claim(sessions, "status.sync", f"p{n}", "replica", now=now - timedelta(minutes=n))
        await finish(sessions, "status.sync", f"p{n}", "replica", failed=n % 5 == 0)
    return [f"c{n}" for n in range(0, ROWS, 10)]


async def test_the_digest_listings_sync_poll_and_prune_read_through_indexes(
    engine: AsyncEngine, sessions: SessionFactory
) -> None:
    waiting = await populate(sessions)
    rainbow = QuietRainbow(waiting)
    digest = Digest(
        sessions,
        None,  # type: ignore[arg-type]  # collect() never posts
        channel="C0DIGEST",
        zone=ZoneInfo("UTC"),
        at=time(9),
        stale_after=timedelta(days=7),
        rainbow_problem=lambda: None,
    )
    directory = Directory(sessions)
    with captured(engine) as statements:
        await digest.collect()
        await stale_invitations(sessions, timedelta(days=7), utcnow())
        await directory.customers()
        await directory.customers("compa", offset=50)
        await directory.customers("REF-1")
        await directory.home("U3")
        await directory.pending_requests()
        await StatusSync(sessions, rainbow, None).run()  # type: ignore[arg-type]
        await Requests(sessions, rainbow, None, "C0APPROVE").poll()  # type: ignore[arg-type]
        await prune(sessions)
    assert len(statements) >= 20, statements

    scans = {}
    for statement, parameters in statements:
        plan = await explain(engine, statement, parameters)
        if found := full_scans(plan, engine.dialect.name):
            scans[statement] = (found, plan)
    assert scans == {}, "\n\n".join(f"{s}\n{p}" for s, (_, p) in scans.items())
