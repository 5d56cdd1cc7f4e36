"""Cancellations and returns asked for in the chat, and whether the shop's answer was said.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage.models.base import UtcDateTime

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'order_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), sa.ForeignKey('orders.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('sender_id', sa.String(length=128), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('requested_at', UtcDateTime(), nullable=False),
        sa.Column('answered_at', UtcDateTime(), nullable=True),
        sa.Column('told_at', UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_order_requests_order_id', 'order_requests', ['order_id'])
    op.create_index('ix_order_requests_news', 'order_requests', ['answered_at', 'told_at'])


def downgrade() -> None:
    op.drop_index('ix_order_requests_news', table_name='order_requests')
    op.drop_index('ix_order_requests_order_id', table_name='order_requests')
    op.drop_table('order_requests')
