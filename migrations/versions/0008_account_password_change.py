"""Staff accounts: a flag that the password was issued by an operator and must be replaced at first login.

Revision ID: 0008_account_password_change
Revises: 0007_rollup_cube
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_account_password_change"
down_revision = "0007_rollup_cube"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_account") as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("staff_account") as batch_op:
        batch_op.drop_column("must_change_password")
