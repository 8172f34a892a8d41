"""Outbox: record when the API call started (exactly-once in group chats); merge feature heads.

Revision ID: 0005_outbox_send_started
Revises: 0002_console, 0004_broadcast
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0005_outbox_send_started"
down_revision = ("0002_console", "0004_broadcast")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_item") as batch_op:
        batch_op.add_column(sa.Column("send_started_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_item") as batch_op:
        batch_op.drop_column("send_started_at")
