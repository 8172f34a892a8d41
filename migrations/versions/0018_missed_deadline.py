"""Tickets remember when they first let a deadline pass (missed_deadline_at).

The sweep whistles an overdue ticket up and gives the next level a fresh deadline; until now the
lateness lived only in the sweep's event notes, so a late ticket could be resolved "on time" and the
console found late tickets by searching events. The column is backfilled from those notes (the time
of the first one: the sweep that found the ticket late, within one sweep interval of the deadline).
on_time of tickets resolved before this migration is left as it was computed then (figures already
reported do not move); new resolutions count a ticket that ever missed a deadline as late.

Revision ID: 0018_missed_deadline
Revises: 0014_conversation
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_missed_deadline"
down_revision = "0014_conversation"
branch_labels = None
depends_on = None

# The sweep's notes when a deadline passed (handlers/timers.py): escalated, dispatched or pressed.
OVERDUE_NOTES = ("超期自动上报", "超期自动派单", "超期督办")


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("missed_deadline_at", sa.DateTime(timezone=True), nullable=True))
    ticket = sa.table("ticket", sa.column("id", sa.Integer), sa.column("missed_deadline_at", sa.DateTime(timezone=True)))
    event = sa.table("ticket_event", sa.column("ticket_id", sa.Integer), sa.column("note", sa.Text),
                     sa.column("created_at", sa.DateTime(timezone=True)))
    first_miss = (sa.select(sa.func.min(event.c.created_at))
                  .where(event.c.ticket_id == ticket.c.id, event.c.note.in_(OVERDUE_NOTES))
                  .scalar_subquery())
    op.execute(ticket.update().where(ticket.c.missed_deadline_at.is_(None)).values(missed_deadline_at=first_miss))


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("missed_deadline_at")
