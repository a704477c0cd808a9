"""indexes for every digest and listing query at 100,000 rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Single-column indexes on status become (status, date) so the digest's "pending and older than"
and "waiting, oldest first" queries read them in order; foreign keys that listings join on get
their own index; the digest's date ranges and the bookkeeping prune get one each.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIDENED = (
    ("association", "ix_association_name_folded", ["name_folded"], ["name_folded", "external_reference"]),
    ("association", "ix_association_requester", ["requester"], ["requester", "created_at", "id"]),
    ("admin_invitation", "ix_admin_invitation_status", ["status"], ["status", "sent_at"]),
    ("link_invitation", "ix_link_invitation_status", ["status"], ["status", "sent_at"]),
    ("incoming_request", "ix_incoming_request_status", ["status"], ["status", "request_date"]),
)
ADDED = (
    ("association", "ix_association_created_at", ["created_at", "id"]),
    ("association", "ix_association_origin_created_at", ["origin", "created_at"]),
    ("association", "ix_association_activated_at", ["activated_at"]),
    ("admin_invitation", "ix_admin_invitation_association_id", ["association_id"]),
    ("link_invitation", "ix_link_invitation_association_id", ["association_id"]),
    ("link_invitation", "ix_link_invitation_sent_at", ["sent_at"]),
    ("incoming_request", "ix_incoming_request_decided_at", ["decided_at"]),
    ("incoming_request", "ix_incoming_request_message_ts", ["message_ts"]),
    ("job_run", "ix_job_run_status_started_at", ["status", "started_at"]),
    ("job_run", "ix_job_run_job_status_started_at", ["job", "status", "started_at"]),
    ("flow", "ix_flow_association_id", ["association_id"]),
    ("flow", "ix_flow_status_updated_at", ["status", "updated_at"]),
)


def upgrade() -> None:
    for table, name, _, columns in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    for table, name, columns in ADDED:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _ in reversed(ADDED):
        op.drop_index(name, table_name=table)
    for table, name, columns, _ in reversed(WIDENED):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
