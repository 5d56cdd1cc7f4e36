"""The shop's own answers: FAQ entries saved in the console, one row per version.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage.models.base import UtcDateTime

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'faq_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('author', sa.String(length=64), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_faq_versions_entry', 'faq_versions', ['entry_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_faq_versions_entry', table_name='faq_versions')
    op.drop_table('faq_versions')
