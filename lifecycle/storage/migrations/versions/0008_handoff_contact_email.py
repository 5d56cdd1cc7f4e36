"""Hand-off tickets: the e-mail address a shopper left for a reply when nobody could chat live.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('handoffs') as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handoffs') as batch_op:
        batch_op.drop_column('contact_email')
