"""Lifecycle playbooks: each send or hold-out per customer; when an order was delivered; the price and
stock a product had when the shopper asked about it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'playbook_sends',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('playbook', sa.String(length=40), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('held_out', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('offer_code', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_playbook_sends_customer_id_customers'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                                name=op.f('fk_playbook_sends_conversation_id_conversations'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_playbook_sends')),
    )
    op.create_index('ix_playbook_sends_customer', 'playbook_sends', ['customer_id', 'playbook', 'at'])
    op.create_index('ix_playbook_sends_playbook_at', 'playbook_sends', ['playbook', 'at'])
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('product_views') as batch_op:
        batch_op.add_column(sa.Column('price_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stock', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('product_views') as batch_op:
        batch_op.drop_column('stock')
        batch_op.drop_column('price_cents')
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('delivered_at')
    op.drop_index('ix_playbook_sends_playbook_at', table_name='playbook_sends')
    op.drop_index('ix_playbook_sends_customer', table_name='playbook_sends')
    op.drop_table('playbook_sends')
