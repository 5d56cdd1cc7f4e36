"""Sentiment per theme and the model's confidence, for the feedback analysis marketers can trust.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('polarity', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('confident', sa.Boolean(), nullable=True))
    with op.batch_alter_table('feedback_themes') as batch_op:
        batch_op.add_column(sa.Column('sentiment', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feedback_themes') as batch_op:
        batch_op.drop_column('sentiment')
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.drop_column('confident')
        batch_op.drop_column('polarity')
