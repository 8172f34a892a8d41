"""console: staff accounts and ticket indexes for the command-center console

Revision ID: 0002_console
Revises: 0001
"""
import logging

import sqlalchemy as sa
from alembic import op

import models.base

log = logging.getLogger(__name__)

revision = "0002_console"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_staff_account_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_account")),
        sa.UniqueConstraint("person_id", name=op.f("uq_staff_account_person_id")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_account_username")),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_grid_created", ["grid_id", "created_at"], unique=False)
        batch_op.create_index("ix_ticket_department_created", ["department_id", "created_at"], unique=False)
        batch_op.create_index("ix_ticket_state_deadline", ["state", "deadline_at"], unique=False)
    _text_search_index()


def _text_search_index() -> None:
    """PostgreSQL only: a trigram index so the console's text search (LIKE '%下水道%') does not
    scan every ticket. pg_trgm is a trusted extension (PostgreSQL 13+); without the right to
    create it the console still works, only searches are slower."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except sa.exc.DBAPIError as exc:
            log.warning("pg_trgm not available (%s): console text search will scan", type(exc).__name__)
            return
    op.execute("CREATE INDEX ix_ticket_description_trgm ON ticket USING gin (description gin_trgm_ops)")
    op.execute("CREATE INDEX ix_ticket_place_trgm ON ticket USING gin (place_text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_ticket_place_trgm")
        op.execute("DROP INDEX IF EXISTS ix_ticket_description_trgm")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_state_deadline")
        batch_op.drop_index("ix_ticket_department_created")
        batch_op.drop_index("ix_ticket_grid_created")
    op.drop_table("staff_account")
