"""broadcast: policy notices sent by staff to chosen grid group chats

Revision ID: 0004_broadcast
Revises: 0003_community
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = "0004_broadcast"
down_revision = "0003_community"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_value", sa.String(length=100), nullable=False),
        sa.Column("scope_unit_id", sa.Integer(), nullable=True),
        sa.Column("target_label", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("group_count", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["person.id"], name=op.f("fk_broadcast_author_id_person")),
        sa.ForeignKeyConstraint(["scope_unit_id"], ["org_unit.id"], name=op.f("fk_broadcast_scope_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"], name=op.f("fk_broadcast_notice_id_notice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast")),
    )
    op.create_index(op.f("ix_broadcast_author_id"), "broadcast", ["author_id"], unique=False)
    op.create_index(op.f("ix_broadcast_scope_unit_id"), "broadcast", ["scope_unit_id"], unique=False)
    op.create_index(op.f("ix_broadcast_status"), "broadcast", ["status"], unique=False)
    op.create_index(op.f("ix_broadcast_scheduled_at"), "broadcast", ["scheduled_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_broadcast_scheduled_at"), table_name="broadcast")
    op.drop_index(op.f("ix_broadcast_status"), table_name="broadcast")
    op.drop_index(op.f("ix_broadcast_scope_unit_id"), table_name="broadcast")
    op.drop_index(op.f("ix_broadcast_author_id"), table_name="broadcast")
    op.drop_table("broadcast")
