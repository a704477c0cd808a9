"""The local store's tables.

Unique keys carry the idempotency of the whole system: a Rainbow id is stored
once however often a poll sees it, a (job, period) runs once however many
replicas tick, and a modal view submits once however often Slack delivers it.
Constraint and index names are explicit because Alembic's batch mode needs them.
Every datetime is timezone-aware UTC (SQLModel's UTCDateTime refuses naive ones).
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.statuses import (
    CompanyStatus,
    FlowKind,
    FlowStatus,
    InvitationStatus,
    JobStatus,
    Origin,
    RequestStatus,
)

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, always timezone-aware."""
    return datetime.now(UTC)


def _status(default: str) -> Any:
    return Field(default=default, sa_type=String(24), nullable=False)


def _fk(table: str, *, nullable: bool = True) -> Any:
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(f"{table}.id", ondelete="SET NULL"), nullable=nullable),
    )


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Association(Timestamped, table=True):
    """A customer company we track, however it came to us."""

    __tablename__ = "association"
    __table_args__ = (
        UniqueConstraint("rainbow_company_id"),
        Index("ix_association_status", "status"),
        Index("ix_association_name_folded", "name_folded", "external_reference"),
        Index("ix_association_requester", "requester", "created_at", "id"),
        Index("ix_association_created_at", "created_at", "id"),
        Index("ix_association_origin_created_at", "origin", "created_at"),
        Index("ix_association_activated_at", "activated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rainbow_company_id: str = Field(max_length=64)
    name: str = Field(max_length=255)
    name_folded: str = Field(max_length=255, description="lower-case, accent-free name for search")
    country: str | None = Field(default=None, max_length=3)
    state: str | None = Field(default=None, max_length=8)
    visibility: str | None = Field(default=None, max_length=24)
    external_reference: str | None = Field(default=None, max_length=255)
    external_reference2: str | None = Field(default=None, max_length=255)
    support_email: str | None = Field(default=None, max_length=320)
    origin: Origin = _status(Origin.CREATED)
    status: CompanyStatus = _status(CompanyStatus.INITIALIZING)
    requester: str | None = Field(default=None, max_length=32, description="Slack user id")
    channel_id: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    activated_at: datetime | None = None
    problem: str | None = Field(
        default=None,
        sa_type=Text,
        description="the last failure awaiting a retry, shown on the status message",
    )


class AdminInvitation(Timestamped, table=True):
    """A join-company invitation making someone the administrator of a company we created."""

    __tablename__ = "admin_invitation"
    __table_args__ = (
        UniqueConstraint("rainbow_invitation_id"),
        Index("ix_admin_invitation_status", "status", "sent_at"),
        Index("ix_admin_invitation_association_id", "association_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rainbow_invitation_id: str = Field(max_length=64)
    association_id: int | None = _fk("association")
    email: str | None = Field(default=None, max_length=320)
    invited_user_id: str | None = Field(default=None, max_length=64)
    lang: str | None = Field(default=None, max_length=16)
    status: InvitationStatus = _status(InvitationStatus.PENDING)
    requester: str | None = Field(default=None, max_length=32)
    sent_at: datetime = Field(default_factory=utcnow, nullable=False)
    decided_at: datetime | None = None
    reminded_at: datetime | None = None


class LinkInvitation(Timestamped, table=True):
    """A bp-link invitation asking an existing company to take us as reseller."""

    __tablename__ = "link_invitation"
    __table_args__ = (
        UniqueConstraint("rainbow_invitation_id"),
        Index("ix_link_invitation_status", "status", "sent_at"),
        Index("ix_link_invitation_association_id", "association_id"),
        Index("ix_link_invitation_sent_at", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rainbow_invitation_id: str = Field(max_length=64)
    association_id: int | None = _fk("association")
    invited_company_id: str = Field(max_length=64)
    invited_company_name: str = Field(max_length=255)
    lang: str | None = Field(default=None, max_length=16)
    custom_message: str | None = Field(default=None, sa_type=Text)
    status: InvitationStatus = _status(InvitationStatus.PENDING)
    requester: str | None = Field(default=None, max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    sent_at: datetime = Field(default_factory=utcnow, nullable=False)
    decided_at: datetime | None = None
    reminded_at: datetime | None = None


class IncomingRequest(Timestamped, table=True):
    """A customer's request that we become its reseller, and the decision taken on it."""

    __tablename__ = "incoming_request"
    __table_args__ = (
        UniqueConstraint("rainbow_request_id"),
        Index("ix_incoming_request_status", "status", "request_date"),
        Index("ix_incoming_request_decided_at", "decided_at"),
        Index("ix_incoming_request_message_ts", "message_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rainbow_request_id: str = Field(max_length=64)
    requesting_company_id: str = Field(max_length=64)
    requesting_company_name: str = Field(max_length=255)
    requester_email: str | None = Field(default=None, max_length=320)
    message: str | None = Field(default=None, sa_type=Text)
    request_date: datetime | None = None
    status: RequestStatus = _status(RequestStatus.PENDING)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    post_claimed_at: datetime | None = Field(
        default=None, description="when a replica took the job of posting it (a lease: stale after minutes)"
    )
    decided_by: str | None = Field(default=None, max_length=32, description="Slack user id")
    decided_at: datetime | None = None
    association_id: int | None = _fk("association")


class AuditEvent(SQLModel, table=True):
    """Who did what to which object, including every refused attempt."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_target", "target_type", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    actor: str = Field(max_length=64, description="Slack user id, or 'scheduler' / 'system'")
    action: str = Field(max_length=64)
    target_type: str = Field(max_length=32)
    target_id: str | None = Field(default=None, max_length=64)
    outcome: str = Field(default="ok", max_length=24)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class JobRun(SQLModel, table=True):
    """One row per (job, period): the exactly-once guard of every scheduled tick."""

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job", "period"),
        Index("ix_job_run_status_lease", "status", "lease_until"),
        Index("ix_job_run_status_started_at", "status", "started_at"),
        Index("ix_job_run_job_status_started_at", "job", "status", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    period: str = Field(max_length=128)
    owner: str = Field(max_length=128)
    status: JobStatus = _status(JobStatus.RUNNING)
    lease_until: datetime = Field(nullable=False)
    started_at: datetime = Field(default_factory=utcnow, nullable=False)
    finished_at: datetime | None = None
    result: str | None = Field(default=None, sa_type=Text)


class Flow(Timestamped, table=True):
    """An in-progress modal flow, keyed by Slack view id so a double submit runs once."""

    __tablename__ = "flow"
    __table_args__ = (
        UniqueConstraint("view_id"),
        Index("ix_flow_user_id", "user_id"),
        Index("ix_flow_association_id", "association_id"),
        Index("ix_flow_status_updated_at", "status", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    view_id: str = Field(max_length=64)
    kind: FlowKind = _status(FlowKind.CREATE)
    user_id: str = Field(max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    status: FlowStatus = _status(FlowStatus.COLLECTING)
    step: str = Field(default="details", max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    association_id: int | None = _fk("association")
    error: str | None = Field(default=None, sa_type=Text)


TABLES: tuple[type[SQLModel], ...] = (
    Association,
    AdminInvitation,
    LinkInvitation,
    IncomingRequest,
    AuditEvent,
    JobRun,
    Flow,
)
