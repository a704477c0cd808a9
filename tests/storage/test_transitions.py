"""Compare-and-set transitions and insert-if-absent under real concurrency, on the run's backend."""

import asyncio

import pytest
from sqlmodel import select

from storage.audit import record
from storage.engine import SessionFactory
from storage.inserts import insert_if_absent
from storage.models import AuditEvent, IncomingRequest
from storage.statuses import IllegalTransition, RequestStatus
from storage.transitions import transition


async def _new_request(sessions: SessionFactory, rainbow_id: str = "req-1") -> int:
    async with sessions() as session, session.begin():
        row = IncomingRequest(rainbow_request_id=rainbow_id, requesting_company_id="c1", requesting_company_name="Acme")
        session.add(row)
    assert row.id is not None
    return row.id


async def test_fifty_concurrent_compare_and_set_have_exactly_one_winner(sessions: SessionFactory) -> None:
    request_id = await _new_request(sessions)

    async def click(user: int) -> bool:
        async with sessions() as session, session.begin():
            won = await transition(
                session,
                IncomingRequest,
                request_id,
                RequestStatus.PENDING,
                RequestStatus.ACCEPTING,
                decided_by=f"U{user:09d}",
            )
            if won:
                record(
                    session,
                    actor=f"U{user:09d}",
                    action="request.accept",
                    target_type="request",
                    target_id=request_id,
                )
            return won

    results = await asyncio.gather(*(click(user) for user in range(50)))

    assert results.count(True) == 1
    async with sessions() as session:
        stored = await session.get(IncomingRequest, request_id)
        audits = (await session.exec(select(AuditEvent))).all()
    assert stored is not None and stored.status == RequestStatus.ACCEPTING
    assert stored.decided_by == f"U{results.index(True):09d}"
    assert [audit.actor for audit in audits] == [stored.decided_by]


async def test_transition_from_a_status_the_row_no_longer_has_changes_nothing(
    sessions: SessionFactory,
) -> None:
    request_id = await _new_request(sessions)
    async with sessions() as session, session.begin():
        assert await transition(session, IncomingRequest, request_id, RequestStatus.PENDING, RequestStatus.DECLINED)
    async with sessions() as session, session.begin():
        assert not await transition(
            session, IncomingRequest, request_id, RequestStatus.PENDING, RequestStatus.ACCEPTING
        )
    async with sessions() as session:
        stored = await session.get(IncomingRequest, request_id)
    assert stored is not None and stored.status == RequestStatus.DECLINED


async def test_illegal_move_is_refused_before_touching_the_row(sessions: SessionFactory) -> None:
    request_id = await _new_request(sessions)
    async with sessions() as session, session.begin():
        assert await transition(session, IncomingRequest, request_id, RequestStatus.PENDING, RequestStatus.ACCEPTED)
    async with sessions() as session, session.begin():
        with pytest.raises(IllegalTransition, match="'accepted' to 'pending'"):
            await transition(session, IncomingRequest, request_id, RequestStatus.ACCEPTED, RequestStatus.PENDING)


async def test_updated_at_moves_and_datetimes_come_back_timezone_aware(sessions: SessionFactory) -> None:
    request_id = await _new_request(sessions)
    async with sessions() as session:
        before = await session.get(IncomingRequest, request_id)
    async with sessions() as session, session.begin():
        await transition(session, IncomingRequest, request_id, RequestStatus.PENDING, RequestStatus.DECLINING)
    async with sessions() as session:
        after = await session.get(IncomingRequest, request_id)
    assert before is not None and after is not None
    assert after.updated_at.tzinfo is not None and after.created_at.utcoffset() is not None
    assert after.updated_at > before.updated_at


async def test_ten_concurrent_inserts_of_one_rainbow_id_store_it_once(sessions: SessionFactory) -> None:
    async def store() -> bool:
        async with sessions() as session, session.begin():
            return await insert_if_absent(
                session,
                IncomingRequest,
                {"rainbow_request_id": "same", "requesting_company_id": "c", "requesting_company_name": "C"},
                unique=("rainbow_request_id",),
            )

    results = await asyncio.gather(*(store() for _ in range(10)))

    assert results.count(True) == 1
    async with sessions() as session:
        rows = (await session.exec(select(IncomingRequest))).all()
    assert len(rows) == 1 and rows[0].status == RequestStatus.PENDING
