"""community: knowledge base, notices, deliberation (议事), participation points

Revision ID: 0003_community
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003_community'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('community_counter',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_community_counter'))
    )
    op.create_table('knowledge_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('variants', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('valid_to', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_knowledge_entry_author_id_person')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_knowledge_entry_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_entry'))
    )
    op.create_index(op.f('ix_knowledge_entry_org_unit_id'), 'knowledge_entry', ['org_unit_id'], unique=False)
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('scheduled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_notice_author_id_person')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_notice_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    op.create_index(op.f('ix_notice_org_unit_id'), 'notice', ['org_unit_id'], unique=False)
    op.create_index(op.f('ix_notice_sent_at'), 'notice', ['sent_at'], unique=False)
    op.create_table('points_account',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_points_account_balance_not_negative')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_points_account_person_id_person')),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_points_account'))
    )
    op.create_table('points_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('act', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('ref', sa.String(length=80), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_points_entry_actor_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_points_entry_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entry')),
    sa.UniqueConstraint('ref', name=op.f('uq_points_entry_ref'))
    )
    op.create_index(op.f('ix_points_entry_act'), 'points_entry', ['act'], unique=False)
    op.create_index(op.f('ix_points_entry_created_at'), 'points_entry', ['created_at'], unique=False)
    op.create_index(op.f('ix_points_entry_person_id'), 'points_entry', ['person_id'], unique=False)
    op.create_table('shop_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price > 0', name=op.f('ck_shop_item_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_shop_item_stock_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_shop_item_created_by_id_person')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_shop_item_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_item'))
    )
    op.create_index(op.f('ix_shop_item_org_unit_id'), 'shop_item', ['org_unit_id'], unique=False)
    op.create_table('pending_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.Integer(), nullable=True),
    sa.Column('inbox_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['person.id'], name=op.f('fk_pending_question_answered_by_id_person')),
    sa.ForeignKeyConstraint(['asker_id'], ['person.id'], name=op.f('fk_pending_question_asker_id_person')),
    sa.ForeignKeyConstraint(['chat_id'], ['group_chat.id'], name=op.f('fk_pending_question_chat_id_group_chat')),
    sa.ForeignKeyConstraint(['entry_id'], ['knowledge_entry.id'], name=op.f('fk_pending_question_entry_id_knowledge_entry')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_pending_question_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['inbox_id'], ['inbox_message.id'], name=op.f('fk_pending_question_inbox_id_inbox_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_question'))
    )
    op.create_index(op.f('ix_pending_question_asker_id'), 'pending_question', ['asker_id'], unique=False)
    op.create_index(op.f('ix_pending_question_grid_id'), 'pending_question', ['grid_id'], unique=False)
    op.create_table('redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['points_entry.id'], name=op.f('fk_redemption_entry_id_points_entry')),
    sa.ForeignKeyConstraint(['item_id'], ['shop_item.id'], name=op.f('fk_redemption_item_id_shop_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_redemption_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption'))
    )
    op.create_index(op.f('ix_redemption_item_id'), 'redemption', ['item_id'], unique=False)
    op.create_index(op.f('ix_redemption_person_id'), 'redemption', ['person_id'], unique=False)
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=True),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('oppose_count', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chat_id'], ['group_chat.id'], name=op.f('fk_proposal_chat_id_group_chat')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_proposal_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['proposer_id'], ['person.id'], name=op.f('fk_proposal_proposer_id_person')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_proposal_ticket_id_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    op.create_index(op.f('ix_proposal_closes_at'), 'proposal', ['closes_at'], unique=False)
    op.create_index(op.f('ix_proposal_grid_id'), 'proposal', ['grid_id'], unique=False)
    op.create_index(op.f('ix_proposal_proposer_id'), 'proposal', ['proposer_id'], unique=False)
    op.create_index(op.f('ix_proposal_state'), 'proposal', ['state'], unique=False)
    op.create_table('proposal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_proposal_note_person_id_person')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_note_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_note'))
    )
    op.create_index(op.f('ix_proposal_note_proposal_id'), 'proposal_note', ['proposal_id'], unique=False)
    op.create_table('proposal_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=8), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stance IN ('support', 'oppose')", name=op.f('ck_proposal_vote_stance')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_proposal_vote_person_id_person')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_vote_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_vote')),
    sa.UniqueConstraint('proposal_id', 'person_id', name=op.f('uq_proposal_vote_proposal_id_person_id'))
    )
    op.create_index(op.f('ix_proposal_vote_person_id'), 'proposal_vote', ['person_id'], unique=False)
    op.create_index(op.f('ix_proposal_vote_proposal_id'), 'proposal_vote', ['proposal_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_proposal_vote_proposal_id'), table_name='proposal_vote')
    op.drop_index(op.f('ix_proposal_vote_person_id'), table_name='proposal_vote')
    op.drop_table('proposal_vote')
    op.drop_index(op.f('ix_proposal_note_proposal_id'), table_name='proposal_note')
    op.drop_table('proposal_note')
    op.drop_index(op.f('ix_proposal_state'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_proposer_id'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_grid_id'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_closes_at'), table_name='proposal')
    op.drop_table('proposal')
    op.drop_index(op.f('ix_redemption_person_id'), table_name='redemption')
    op.drop_index(op.f('ix_redemption_item_id'), table_name='redemption')
    op.drop_table('redemption')
    op.drop_index(op.f('ix_pending_question_grid_id'), table_name='pending_question')
    op.drop_index(op.f('ix_pending_question_asker_id'), table_name='pending_question')
    op.drop_table('pending_question')
    op.drop_index(op.f('ix_shop_item_org_unit_id'), table_name='shop_item')
    op.drop_table('shop_item')
    op.drop_index(op.f('ix_points_entry_person_id'), table_name='points_entry')
    op.drop_index(op.f('ix_points_entry_created_at'), table_name='points_entry')
    op.drop_index(op.f('ix_points_entry_act'), table_name='points_entry')
    op.drop_table('points_entry')
    op.drop_table('points_account')
    op.drop_index(op.f('ix_notice_sent_at'), table_name='notice')
    op.drop_index(op.f('ix_notice_org_unit_id'), table_name='notice')
    op.drop_table('notice')
    op.drop_index(op.f('ix_knowledge_entry_org_unit_id'), table_name='knowledge_entry')
    op.drop_table('knowledge_entry')
    op.drop_table('community_counter')
