"""Ticket priority: emergencies (fire, gas, a person trapped in a lift…) are "urgent".

Revision ID: 0013_priority
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_priority"
down_revision = "0012_trust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("priority", sa.String(16), nullable=False, server_default="normal"))
        batch.create_index("ix_ticket_priority", ["priority"])


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_priority")
        batch.drop_column("priority")
