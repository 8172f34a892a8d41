"""Trust: the audit log (manual points, exports with contacts) and how an outbox text was masked.

Revision ID: 0012_trust
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0012_trust"
down_revision = "0017_sandbox_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("person.id", name="fk_audit_entry_actor_id_person"),
                  nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.Integer(), sa.ForeignKey("person.id", name="fk_audit_entry_subject_id_person"),
                  nullable=True),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_audit_entry_actor_id", "audit_entry", ["actor_id"])
    op.create_index("ix_audit_entry_action", "audit_entry", ["action"])
    op.create_index("ix_audit_entry_created_at", "audit_entry", ["created_at"])
    with op.batch_alter_table("outbox_item") as batch:
        batch.add_column(sa.Column("masked", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_item") as batch:
        batch.drop_column("masked")
    op.drop_index("ix_audit_entry_created_at", "audit_entry")
    op.drop_index("ix_audit_entry_action", "audit_entry")
    op.drop_index("ix_audit_entry_actor_id", "audit_entry")
    op.drop_table("audit_entry")
