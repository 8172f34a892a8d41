"""Daily ticket rollup for the console dashboard (ticket_daily_stats, ticket_rollup_day).

Revision ID: 0006_rollup
Revises: 0005_outbox_send_started
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0006_rollup"
down_revision = "0005_outbox_send_started"
branch_labels = None
depends_on = None

_COUNTS = ("received", "accepted", "responded", "resolved", "resolved_on_time", "rejected", "merged", "rated",
           "satisfied")
_HIST = tuple(f"response_h{i}" for i in range(12)) + tuple(f"resolve_h{i}" for i in range(12))


def upgrade() -> None:
    op.create_table(
        "ticket_daily_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
        sa.Column("response_seconds", sa.Float(), nullable=False),
        sa.Column("resolve_seconds", sa.Float(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _HIST),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_daily_stats")),
    )
    op.create_index("ix_ticket_daily_stats_day", "ticket_daily_stats", ["day"])
    op.create_table(
        "ticket_rollup_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("built_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("event_watermark", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_ticket_rollup_day")),
    )


def downgrade() -> None:
    op.drop_table("ticket_rollup_day")
    op.drop_index("ix_ticket_daily_stats_day", table_name="ticket_daily_stats")
    op.drop_table("ticket_daily_stats")
