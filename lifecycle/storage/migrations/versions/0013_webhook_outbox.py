"""Webhooks to the shop: the durable outbox.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage.models.base import UtcDateTime

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'webhook_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('webhook_id', sa.String(length=64), nullable=False),
        sa.Column('event_type', sa.String(length=40), nullable=False),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id', ondelete='CASCADE'), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('next_attempt_at', UtcDateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('delivered_at', UtcDateTime(), nullable=True),
        sa.Column('gave_up_at', UtcDateTime(), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('webhook_id'),
    )
    op.create_index('ix_webhook_messages_due', 'webhook_messages', ['next_attempt_at'])
    op.create_index('ix_webhook_messages_customer_id', 'webhook_messages', ['customer_id'])


def downgrade() -> None:
    op.drop_index('ix_webhook_messages_customer_id', table_name='webhook_messages')
    op.drop_index('ix_webhook_messages_due', table_name='webhook_messages')
    op.drop_table('webhook_messages')
