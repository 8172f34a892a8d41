"""Mask knowledge entries written before entries were stored masked.

Entries are cited to residents as a "source"; rows from before the write path masked them may carry
a resident's phone or door. Each field is masked as the write path masks it now
(handlers.knowledge): a leader's answer to a forwarded question keeps the resident's question, so
that question gets the residents' rules; everything else (staff-written questions, variants and
every answer) the staff rules, so official hotlines and office landlines stay.

The masking functions are imported, not copied: this migration must mask exactly as the write
path does (migrations here already import app modules, e.g. models.base for column types).
Masking is idempotent, so running this again changes nothing. Downgrade keeps the masked text:
the unmasked numbers are gone for good, which is the point.

Revision ID: 0019_mask_knowledge
Revises: 0018_missed_deadline
"""
import sqlalchemy as sa
from alembic import op

from handlers.privacy import mask_personal_data, mask_staff_text

revision = "0019_mask_knowledge"
down_revision = "0018_missed_deadline"
branch_labels = None
depends_on = None

# Only the columns this migration reads or writes, as they are at this revision.
knowledge_entry = sa.table(
    "knowledge_entry",
    sa.column("id", sa.Integer), sa.column("question", sa.Text), sa.column("variants", sa.Text),
    sa.column("answer", sa.Text), sa.column("source", sa.String),
)
community_counter = sa.table("community_counter", sa.column("name", sa.String), sa.column("value", sa.Integer))
# handlers.knowledge.COUNTER: the search index of a running process is rebuilt when it moves.
KNOWLEDGE_COUNTER = "knowledge"
# handlers.knowledge.Answer: an entry whose question a resident asked and a grid leader answered.
RESIDENT_QUESTION_SOURCE = "leader"


def masked_fields(source: str | None, question: str | None, variants: str | None, answer: str | None) -> dict:
    """The entry's text fields as the write path stores them now."""
    mask_question = mask_personal_data if source == RESIDENT_QUESTION_SOURCE else mask_staff_text
    return {
        "question": mask_question(question or ""),
        "variants": "\n".join(mask_staff_text(v) for v in (variants or "").split("\n")),
        "answer": mask_staff_text(answer or ""),
    }


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(knowledge_entry.c.id, knowledge_entry.c.source, knowledge_entry.c.question,
                                  knowledge_entry.c.variants, knowledge_entry.c.answer)).all()
    changed = 0
    for row in rows:
        fields = masked_fields(row.source, row.question, row.variants, row.answer)
        stored = {"question": row.question or "", "variants": row.variants or "", "answer": row.answer or ""}
        if fields != stored:
            conn.execute(knowledge_entry.update().where(knowledge_entry.c.id == row.id).values(**fields))
            changed += 1
    if changed:
        bumped = conn.execute(community_counter.update().where(community_counter.c.name == KNOWLEDGE_COUNTER)
                              .values(value=community_counter.c.value + 1)).rowcount
        if not bumped:
            conn.execute(community_counter.insert().values(name=KNOWLEDGE_COUNTER, value=1))


def downgrade() -> None:
    # Nothing to restore: the numbers masked away were never meant to be stored.
    pass
