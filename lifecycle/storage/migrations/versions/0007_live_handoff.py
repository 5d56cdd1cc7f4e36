"""Live hand-off: who claimed a conversation, when, and when the agent first replied; console
sessions remember when they were last seen, so the assistant knows whether an agent is online.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('handoffs') as batch_op:
        batch_op.add_column(sa.Column('agent', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('console_sessions') as batch_op:
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('console_sessions') as batch_op:
        batch_op.drop_column('seen_at')
    with op.batch_alter_table('handoffs') as batch_op:
        batch_op.drop_column('ended_at')
        batch_op.drop_column('first_reply_at')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('agent')
