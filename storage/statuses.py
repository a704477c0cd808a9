"""Statuses of every tracked aggregate and the moves each one allows.

Rainbow's own statuses are mirrored, not reinvented; the local-only states
(``accepting``/``declining`` on a request, the ``flow`` steps) mark work in
flight so that a click or a submit that races another is decided by one
conditional UPDATE.
"""

from enum import StrEnum


class IllegalTransition(ValueError):
    """A status change that the aggregate's rules forbid."""

    def __init__(self, aggregate: str, current: str, new: str) -> None:
        super().__init__(f"{aggregate} cannot go from {current!r} to {new!r}")
        self.aggregate = aggregate
        self.current = current
        self.new = new


class CompanyStatus(StrEnum):
    """Rainbow company status (Rainbow admin API 1.82.0, Company.status)."""

    INITIALIZING = "initializing"
    ACTIVE = "active"
    ALERTING = "alerting"
    HOLD = "hold"
    TERMINATED = "terminated"


class InvitationStatus(StrEnum):
    """Rainbow status of join-company and bp-link invitations and requests (Rainbow admin API 1.82.0)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    AUTO_ACCEPTED = "auto-accepted"
    DECLINED = "declined"
    CANCELED = "canceled"
    FAILED = "failed"


class RequestStatus(StrEnum):
    """A customer's reseller request as we track it: Rainbow's statuses plus our in-flight ones."""

    PENDING = "pending"
    ACCEPTING = "accepting"
    DECLINING = "declining"
    ACCEPTED = "accepted"
    AUTO_ACCEPTED = "auto-accepted"
    DECLINED = "declined"
    CANCELED = "canceled"
    FAILED = "failed"


class Origin(StrEnum):
    """How a customer company came to be tracked."""

    CREATED = "created"
    INVITED = "invited"
    REQUESTED = "requested"


class FlowKind(StrEnum):
    CREATE = "create"
    INVITE = "invite"


class FlowStatus(StrEnum):
    """A modal flow: collecting input, then one submit that must run once."""

    COLLECTING = "collecting"
    SUBMITTING = "submitting"
    DONE = "done"
    FAILED = "failed"


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "unknown"  # it may or may not have happened (a post sent, no answer): never redone by itself


_INVITATION_FINAL = {InvitationStatus.ACCEPTED, InvitationStatus.AUTO_ACCEPTED}
_REQUEST_SETTLED = frozenset(
    {
        RequestStatus.ACCEPTED,
        RequestStatus.AUTO_ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.CANCELED,
        RequestStatus.FAILED,
    }
)

ALLOWED: dict[type[StrEnum], dict[StrEnum, frozenset[StrEnum]]] = {
    CompanyStatus: {
        # Rainbow decides company status; we only mirror what it reports, never resurrect a terminated one.
        s: frozenset(CompanyStatus) - {s}
        for s in CompanyStatus
        if s is not CompanyStatus.TERMINATED
    }
    | {CompanyStatus.TERMINATED: frozenset()},
    InvitationStatus: {
        InvitationStatus.PENDING: frozenset(InvitationStatus) - {InvitationStatus.PENDING},
        # re-send puts canceled/declined/failed back to pending (admin API 1.82.0, the re-send operations)
        InvitationStatus.DECLINED: frozenset({InvitationStatus.PENDING, InvitationStatus.CANCELED}),
        InvitationStatus.FAILED: frozenset({InvitationStatus.PENDING, InvitationStatus.CANCELED} | _INVITATION_FINAL),
        InvitationStatus.CANCELED: frozenset({InvitationStatus.PENDING}),
        InvitationStatus.ACCEPTED: frozenset(),
        InvitationStatus.AUTO_ACCEPTED: frozenset(),
    },
    RequestStatus: {
        RequestStatus.PENDING: frozenset(RequestStatus) - {RequestStatus.PENDING},
        # an answer in flight either lands, is overtaken by the real state, or is rolled back
        RequestStatus.ACCEPTING: _REQUEST_SETTLED | {RequestStatus.PENDING},
        RequestStatus.DECLINING: _REQUEST_SETTLED | {RequestStatus.PENDING},
        # Rainbow may still settle a failed request; we mirror what it reports
        RequestStatus.FAILED: _REQUEST_SETTLED - {RequestStatus.FAILED}
        | {RequestStatus.PENDING, RequestStatus.DECLINING},
        RequestStatus.ACCEPTED: frozenset(),
        RequestStatus.AUTO_ACCEPTED: frozenset(),
        RequestStatus.DECLINED: frozenset(),
        RequestStatus.CANCELED: frozenset(),
    },
    FlowStatus: {
        FlowStatus.COLLECTING: frozenset({FlowStatus.SUBMITTING}),
        FlowStatus.SUBMITTING: frozenset({FlowStatus.DONE, FlowStatus.FAILED}),
        FlowStatus.FAILED: frozenset({FlowStatus.SUBMITTING}),
        FlowStatus.DONE: frozenset(),
    },
    JobStatus: {
        JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.UNKNOWN}),
        JobStatus.DONE: frozenset(),
        # a period whose failure proves nothing was done may be claimed again (storage.jobs.claim)
        JobStatus.FAILED: frozenset({JobStatus.RUNNING}),
        JobStatus.UNKNOWN: frozenset(),
    },
}


def check_transition(current: StrEnum, new: StrEnum) -> None:
    """Raise IllegalTransition unless ``current -> new`` is a move the aggregate allows."""
    kind = type(current)
    if type(new) is not kind:
        raise IllegalTransition(kind.__name__, str(current), str(new))
    if new not in ALLOWED[kind].get(current, frozenset()):
        raise IllegalTransition(kind.__name__, str(current), str(new))
