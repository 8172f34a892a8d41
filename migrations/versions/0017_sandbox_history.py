"""The local sandbox's transcripts and moved clock, kept in the database across restarts.

Revision ID: 0017_sandbox_history
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0017_sandbox_history"
down_revision = "0011_media"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sandbox_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.String(64), nullable=True),
        sa.Column("to_user", sa.String(64), nullable=True),
        sa.Column("sender", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sandbox_line"),
    )
    op.create_index("ix_sandbox_line_chat", "sandbox_line", ["chat_id", "id"])
    op.create_index("ix_sandbox_line_user", "sandbox_line", ["to_user", "id"])
    op.create_table(
        "sandbox_setting",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sandbox_setting"),
    )


def downgrade() -> None:
    op.drop_table("sandbox_setting")
    op.drop_index("ix_sandbox_line_user", table_name="sandbox_line")
    op.drop_index("ix_sandbox_line_chat", table_name="sandbox_line")
    op.drop_table("sandbox_line")
