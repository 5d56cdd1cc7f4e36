"""Support at volume: a conversation's owner and timeline, canned replies, agents' display names and
presence, the indexes keyset pages read by, and full-text search over messages (storage/search.py).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage import search
from lifecycle.storage.models.base import UtcDateTime

revision: str = '0016'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('assignee', sa.String(length=64), nullable=True))
        batch.create_index('ix_conversations_assignee', ['assignee'])
        batch.create_index('ix_conversations_last_event_at', ['last_event_at'])
    with op.batch_alter_table('customers') as batch:
        batch.add_column(sa.Column('first_name', sa.String(length=40), nullable=True))
        batch.create_index('ix_customers_last_seen_at', ['last_seen_at'])
    with op.batch_alter_table('console_users') as batch:
        batch.add_column(sa.Column('display_name', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('presence', sa.String(length=8), nullable=False, server_default='online'))
    op.create_table(
        'conversation_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), sa.ForeignKey('conversations.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_conversation_events_conversation_id', 'conversation_events', ['conversation_id'])
    op.create_table(
        'canned_replies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shortcut', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('shortcut', 'language', name='uq_canned_replies_shortcut_language'),
    )
    op.create_index('ix_interactions_at_kind', 'interactions', ['at', 'kind'])
    op.create_index('ix_handoffs_status_requested', 'handoffs', ['status', 'requested_at'])
    op.create_index('ix_feedback_created', 'feedback', ['created_at'])
    search.create_index(op.get_bind())


def downgrade() -> None:
    search.drop_index(op.get_bind())
    with op.batch_alter_table('customers') as batch:
        batch.drop_index('ix_customers_last_seen_at')
        batch.drop_column('first_name')
    op.drop_index('ix_feedback_created', 'feedback')
    op.drop_index('ix_handoffs_status_requested', 'handoffs')
    op.drop_index('ix_interactions_at_kind', 'interactions')
    op.drop_table('canned_replies')
    op.drop_index('ix_conversation_events_conversation_id', 'conversation_events')
    op.drop_table('conversation_events')
    with op.batch_alter_table('console_users') as batch:
        batch.drop_column('presence')
        batch.drop_column('display_name')
    with op.batch_alter_table('conversations') as batch:
        batch.drop_index('ix_conversations_last_event_at')
        batch.drop_index('ix_conversations_assignee')
        batch.drop_column('assignee')
