"""After the sale: an order's proof (e-mail, postcode), shipping, cancellation, returns and refunds.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage.models.base import UtcDateTime

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ('email', sa.String(length=254)), ('postcode', sa.String(length=16)), ('shipped_at', UtcDateTime()),
    ('carrier', sa.String(length=40)), ('tracking_number', sa.String(length=64)),
    ('tracking_url', sa.String(length=2000)), ('expected_delivery', sa.Date()), ('cancelled_at', UtcDateTime()),
    ('cancel_reason', sa.String(length=300)), ('returns', sa.JSON(none_as_null=True)), ('refunded_at', UtcDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table('orders') as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.add_column(sa.Column('refunded_cents', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'order_proof_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_key', sa.String(length=64), nullable=False),
        sa.Column('proof_key', sa.String(length=64), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_order_proofs_conversation', 'order_proof_attempts', ['conversation_key', 'at'])
    op.create_index('ix_order_proofs_proof', 'order_proof_attempts', ['proof_key', 'at'])


def downgrade() -> None:
    op.drop_index('ix_order_proofs_proof', table_name='order_proof_attempts')
    op.drop_index('ix_order_proofs_conversation', table_name='order_proof_attempts')
    op.drop_table('order_proof_attempts')
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('refunded_cents')
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
