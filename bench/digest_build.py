"""How long the daily digest takes to build from a large store, and the plan of each of its queries."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import time as clock_time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from blocks.digest import digest_messages
from bot.services.digest import Digest
from storage.engine import make_session_factory
from storage.migrate import upgrade
from storage.models import AdminInvitation, Association, AuditEvent, IncomingRequest, JobRun, LinkInvitation, utcnow
from storage.plans import captured, explain, full_scans

BATCH = 2000
# a year of requests: most decided one way or another, a few waiting or failed (1 in 20 each kind)
REQUEST_MIX = ("pending", *["accepted"] * 9, "failed", *["declined"] * 6, "canceled", "canceled", "auto-accepted")


@dataclass(frozen=True)
class DigestFigures:
    backend: str
    associations: int
    audit_events: int
    job_runs: int
    build_ms: float  # median of the builds
    plans: list[tuple[str, str]]  # (statement, plan)
    full_scans: int


async def _bulk(engine: AsyncEngine, model: type, rows: list[dict[str, object]]) -> None:
    async with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            await connection.execute(insert(model), rows[start : start + BATCH])


async def populate(engine: AsyncEngine, associations: int, audit_events: int, job_runs: int) -> None:
    draws, now = random.Random(7), utcnow()
    statuses = ("active", "active", "initializing", "hold", "terminated")
    await _bulk(
        engine,
        Association,
        [
            {
                "rainbow_company_id": f"c{n}",
                "name": f"Company {n}",
                "name_folded": f"company {n}",
                "external_reference": f"REF-{n}",
                "origin": ("created", "invited", "requested")[n % 3],
                "status": statuses[n % len(statuses)],
                "requester": f"U{n % 40:08d}",
                "activated_at": now - timedelta(hours=draws.randint(1, 24 * 365)) if n % 5 < 2 else None,
                "created_at": now - timedelta(hours=draws.randint(1, 24 * 365)),
                "updated_at": now,
            }
            for n in range(associations)
        ],
    )
    await _bulk(
        engine,
        AdminInvitation,
        [
            {
                "rainbow_invitation_id": f"a{n}",
                "association_id": n + 1,
                "status": "pending" if n % 5 == 2 else "accepted",
                "sent_at": now - timedelta(hours=draws.randint(1, 24 * 60)),
                "created_at": now,
                "updated_at": now,
            }
            for n in range(0, associations, 3)
        ],
    )
    await _bulk(
        engine,
        LinkInvitation,
        [
            {
                "rainbow_invitation_id": f"l{n}",
                "association_id": n + 1,
                "invited_company_id": f"c{n}",
                "invited_company_name": f"Company {n}",
                "status": "pending" if n % 4 == 0 else "accepted",
                "sent_at": now - timedelta(hours=draws.randint(1, 24 * 365)),
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, associations, 3)
        ],
    )
    await _bulk(
        engine,
        IncomingRequest,
        [
            {
                "rainbow_request_id": f"r{n}",
                "requesting_company_id": f"c{n}",
                "requesting_company_name": f"Company {n}",
                "status": REQUEST_MIX[n % len(REQUEST_MIX)],
                "request_date": now - timedelta(hours=draws.randint(1, 24 * 365)),
                "decided_at": now - timedelta(hours=draws.randint(1, 24 * 365)),
                "channel_id": "C0APPROVE",
                "message_ts": f"1700000000.{n:06d}",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(2, associations, 3)
        ],
    )
    await _bulk(
        engine,
        AuditEvent,
        [
            {
                "at": now - timedelta(seconds=draws.randint(1, 86400 * 365)),
                "actor": "scheduler",
                "action": "sync.association",
                "target_type": "association",
                "target_id": str(n % max(1, associations)),
                "details": {},
            }
            for n in range(audit_events)
        ],
    )
    await _bulk(
        engine,
        JobRun,
        [
            {
                "job": ("requests.poll", "status.sync")[n % 2],
                "period": f"p{n}",
                "owner": "bench",
                "status": "failed" if n % 97 == 0 else "done",
                "lease_until": now - timedelta(seconds=10 * n),
                "started_at": now - timedelta(seconds=10 * n),
            }
            for n in range(job_runs)
        ],
    )


async def measure(
    engine: AsyncEngine, associations: int = 10_000, audit_events: int = 100_000, job_runs: int = 86_000
) -> DigestFigures:
    await upgrade(engine)
    await populate(engine, associations, audit_events, job_runs)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")
    digest = Digest(
        make_session_factory(engine),
        None,  # type: ignore[arg-type]  # building never posts
        channel="C0DIGEST",
        zone=ZoneInfo("UTC"),
        at=clock_time(9),
        stale_after=timedelta(days=7),
        rainbow_problem=lambda: None,
    )
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        digest_messages(await digest.collect())
        builds.append((time.perf_counter() - started) * 1000)
    with captured(engine) as statements:
        await digest.collect()
    plans = [(s, await explain(engine, s, p, forbid_seqscan=False)) for s, p in statements]
    scans = sum(bool(full_scans(plan, engine.dialect.name)) for _, plan in plans)
    return DigestFigures(
        engine.dialect.name, associations, audit_events, job_runs, sorted(builds)[len(builds) // 2], plans, scans
    )
