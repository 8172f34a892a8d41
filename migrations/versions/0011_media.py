"""Media: photos (download state, storage, ticket), chat listening mode, inbox extras, outbox cards.

Revision ID: 0011_media
Revises: 0008_account_password_change
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0011_media"
down_revision = "0008_account_password_change"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inbox_id", sa.Integer(), sa.ForeignKey("inbox_message.id", name="fk_photo_inbox_id_inbox_message"),
                  nullable=True),
        sa.Column("sender_channel", sa.String(16), nullable=False),
        sa.Column("sender_id", sa.String(64), nullable=False),
        sa.Column("chat_external_id", sa.String(64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("storage_key", sa.String(200), nullable=True),
        sa.Column("thumb_key", sa.String(200), nullable=True),
        sa.Column("content_type", sa.String(32), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id", name="fk_photo_ticket_id_ticket"), nullable=True),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("attached_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stored_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_photo"),
    )
    op.create_index("ix_photo_inbox_id", "photo", ["inbox_id"])
    op.create_index("ix_photo_ticket_id", "photo", ["ticket_id"])
    op.create_index("ix_photo_sender_pending", "photo", ["sender_channel", "sender_id", "ticket_id", "created_at"])
    op.create_index("ix_photo_due", "photo", ["state", "next_attempt_at"])
    with op.batch_alter_table("group_chat") as batch_op:
        batch_op.add_column(sa.Column("listening", sa.String(16), nullable=False, server_default="all"))
    with op.batch_alter_table("inbox_message") as batch_op:
        batch_op.add_column(sa.Column("extras", sa.Text(), nullable=True))
    with op.batch_alter_table("outbox_item") as batch_op:
        batch_op.add_column(sa.Column("card", sa.String(32), nullable=True))
        # A robot's response_url (late replies) is longer than a chat id or a webhook key.
        batch_op.alter_column("route_target", existing_type=sa.String(128), type_=sa.String(1024),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_item") as batch_op:
        batch_op.alter_column("route_target", existing_type=sa.String(1024), type_=sa.String(128),
                              existing_nullable=False)
        batch_op.drop_column("card")
    with op.batch_alter_table("inbox_message") as batch_op:
        batch_op.drop_column("extras")
    with op.batch_alter_table("group_chat") as batch_op:
        batch_op.drop_column("listening")
    op.drop_index("ix_photo_due", "photo")
    op.drop_index("ix_photo_sender_pending", "photo")
    op.drop_index("ix_photo_ticket_id", "photo")
    op.drop_index("ix_photo_inbox_id", "photo")
    op.drop_table("photo")
