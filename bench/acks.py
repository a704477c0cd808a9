"""Ack latency under load: `/rainbow create` and Accept clicks at a given concurrency, and 500 decisions.

A request's latency is the time from sending Slack's signed POST until the HTTP answer (the ack);
whatever the app does after its ack runs concurrently and shows only through the event loop it shares.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlmodel import select

from bench.stage import APPROVALS, SECRET, percentile
from blocks.requests import request_message
from standins.rainbow import Sandbox
from standins.rainbow import bp_link as sandbox_bp_link
from standins.slack import FakeSlack, SlackSender
from standins.slack.answers import BotAnswer
from storage.engine import make_engine, make_session_factory
from storage.models import IncomingRequest, utcnow

RESELLER, APPROVER = "U0ALICE01", "U0CAROL01"


@dataclass(frozen=True)
class Latency:
    samples: int
    p50_ms: float
    p99_ms: float
    errors: int

    @classmethod
    def of(cls, seconds: list[float], errors: int) -> Latency:
        return cls(len(seconds), percentile(seconds, 0.50) * 1000, percentile(seconds, 0.99) * 1000, errors)


async def under_load(actions: list[Callable[[], Awaitable[BotAnswer]]], concurrency: int) -> Latency:
    """Run `actions` with `concurrency` in flight; the latency of each one's answer."""
    queue = list(reversed(actions))
    seconds: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while queue:
            action = queue.pop()
            started = time.perf_counter()
            answer = await action()
            seconds.append(time.perf_counter() - started)
            errors += answer.status != 200

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Latency.of(seconds, errors)


@dataclass(frozen=True)
class Posted:
    ts: str  # the message an approver clicks
    rainbow_id: str


async def seed_requests(sandbox: Sandbox, slack: FakeSlack, database_url: str, count: int, tag: str) -> list[Posted]:
    """`count` pending customer requests, in Rainbow and in the store, each already posted with its buttons."""
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    ids = [
        sandbox_bp_link.file_request(sandbox.state, company_name=f"{tag} customer {n:04d} SA").id for n in range(count)
    ]
    async with sessions() as session, session.begin():
        for request_id in ids:
            request = sandbox.state.link_requests[request_id]
            session.add(
                IncomingRequest(
                    rainbow_request_id=request_id,
                    requesting_company_id=request.requesting_company_id,
                    requesting_company_name=sandbox.state.companies[request.requesting_company_id].name,
                    requester_email=request.requesting_admin_email,
                    request_date=utcnow(),
                    channel_id=APPROVALS,
                )
            )
    posted: list[Posted] = []
    async with sessions() as session, session.begin():
        rows = (
            await session.exec(select(IncomingRequest).where(IncomingRequest.rainbow_request_id.in_(ids)))  # type: ignore[attr-defined]
        ).all()
        for row in rows:
            text, blocks = request_message(row)
            message = slack.state.conversations.post(APPROVALS, method="chat.postMessage", text=text, blocks=blocks)
            row.message_ts = message.ts
            session.add(row)
            posted.append(Posted(message.ts, row.rainbow_request_id))
    await engine.dispose()
    return posted


def post_lookalikes(slack: FakeSlack, count: int) -> list[Posted]:
    """Messages that look like the bot's request messages, for the anchor to be clicked on (it reads nothing
    else of them); nothing is filed in Rainbow, so the bot under test never sees them."""
    posted = []
    for n in range(count):
        row = IncomingRequest(
            id=1_000_000 + n,
            rainbow_request_id=f"anchor-{n}",
            requesting_company_id=f"anchor-company-{n}",
            requesting_company_name=f"Anchor customer {n:04d} SA",
            request_date=utcnow(),
        )
        text, blocks = request_message(row)
        message = slack.state.conversations.post(APPROVALS, method="chat.postMessage", text=text, blocks=blocks)
        posted.append(Posted(message.ts, row.rainbow_request_id))
    return posted


def commands(sender: SlackSender, count: int) -> list[Callable[[], Awaitable[BotAnswer]]]:
    user = sender.user(RESELLER)
    return [lambda n=n: user.run_command(f"/rainbow create Bench {n}", "general") for n in range(count)]


def clicks(sender: SlackSender, posted: list[Posted]) -> list[Callable[[], Awaitable[BotAnswer]]]:
    user = sender.user(APPROVER)
    return [lambda ts=p.ts: user.click("Accept", in_message=(APPROVALS, ts)) for p in posted]


async def sender_for(slack: FakeSlack, events_url: str) -> SlackSender:
    return await SlackSender(slack, events_url, SECRET).__aenter__()


async def decisions(sandbox: Sandbox, sender: SlackSender, posted: list[Posted], limit: float = 600.0) -> float:
    """Click Accept on every message at once; seconds until Rainbow has accepted them all."""
    requests = sandbox.state.link_requests
    started = time.perf_counter()
    await under_load(clicks(sender, posted), len(posted))
    done = 0
    while time.perf_counter() - started < limit:
        done = sum(1 for p in posted if requests[p.rainbow_id].status != "pending")
        if done == len(posted):
            return time.perf_counter() - started
        await asyncio.sleep(0.05)
    raise TimeoutError(f"only {done} of {len(posted)} decisions reached Rainbow in {limit} s")
