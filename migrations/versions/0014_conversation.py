"""Conversation: an unsure category flag on tickets; merges remember what they moved (reversible).

Revision ID: 0014_conversation
Revises: 0011_media
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_conversation"
down_revision = "0015_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("category_unsure", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("ticket_event") as batch:
        batch.add_column(sa.Column("moved_from_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("ticket_follower") as batch:
        batch.add_column(sa.Column("merged_from_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_follower") as batch:
        batch.drop_column("merged_from_id")
    with op.batch_alter_table("ticket_event") as batch:
        batch.drop_column("moved_from_id")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("category_unsure")
