"""Conversation archive: the pull cursor, parked records, a chat's archive roomid, recalled inbox rows.

Revision ID: 0015_archive
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0015_archive"
down_revision = "0016_grid_boundary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_cursor",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("gaps", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_archive_cursor"),
    )
    op.create_table(
        "archive_parked",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("msgid", sa.String(128), nullable=False),
        sa.Column("publickey_ver", sa.Integer(), nullable=False),
        sa.Column("encrypt_random_key", sa.Text(), nullable=False),
        sa.Column("encrypt_chat_msg", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_archive_parked"),
        sa.UniqueConstraint("seq", name="uq_archive_parked_seq"),
    )
    op.create_index("ix_archive_parked_state", "archive_parked", ["state"])
    with op.batch_alter_table("group_chat") as batch_op:
        batch_op.add_column(sa.Column("archive_room_id", sa.String(64), nullable=True))
        batch_op.create_unique_constraint("uq_group_chat_archive_room_id", ["archive_room_id"])
    with op.batch_alter_table("inbox_message") as batch_op:
        batch_op.add_column(sa.Column("recalled_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox_message") as batch_op:
        batch_op.drop_column("recalled_at")
    with op.batch_alter_table("group_chat") as batch_op:
        batch_op.drop_constraint("uq_group_chat_archive_room_id", type_="unique")
        batch_op.drop_column("archive_room_id")
    op.drop_index("ix_archive_parked_state", "archive_parked")
    op.drop_table("archive_parked")
    op.drop_table("archive_cursor")
