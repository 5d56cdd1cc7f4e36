"""Any shop's catalog: SKUs, names and categories as long as the platforms' exports write them, and
products whose feed gives no stock count or that have no reviews yet.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('products') as batch_op:
        batch_op.alter_column('sku', type_=sa.String(length=100), existing_type=sa.String(length=16))
        batch_op.alter_column('name', type_=sa.String(length=300), existing_type=sa.String(length=120),
                              existing_nullable=False)
        batch_op.alter_column('category', type_=sa.String(length=120), existing_type=sa.String(length=40),
                              existing_nullable=False)
        batch_op.alter_column('stock', nullable=True, existing_type=sa.Integer())
        batch_op.alter_column('rating', nullable=True, existing_type=sa.Float())
        batch_op.alter_column('warranty_years', nullable=True, existing_type=sa.Integer())
    with op.batch_alter_table('product_views') as batch_op:
        batch_op.alter_column('sku', type_=sa.String(length=100), existing_type=sa.String(length=16),
                              existing_nullable=False)
    with op.batch_alter_table('comparison_items') as batch_op:
        batch_op.alter_column('sku', type_=sa.String(length=100), existing_type=sa.String(length=16),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('comparison_items') as batch_op:
        batch_op.alter_column('sku', type_=sa.String(length=16), existing_type=sa.String(length=100),
                              existing_nullable=False)
    with op.batch_alter_table('product_views') as batch_op:
        batch_op.alter_column('sku', type_=sa.String(length=16), existing_type=sa.String(length=100),
                              existing_nullable=False)
    with op.batch_alter_table('products') as batch_op:
        batch_op.alter_column('warranty_years', nullable=False, existing_type=sa.Integer())
        batch_op.alter_column('rating', nullable=False, existing_type=sa.Float())
        batch_op.alter_column('stock', nullable=False, existing_type=sa.Integer())
        batch_op.alter_column('category', type_=sa.String(length=40), existing_type=sa.String(length=120),
                              existing_nullable=False)
        batch_op.alter_column('name', type_=sa.String(length=120), existing_type=sa.String(length=300),
                              existing_nullable=False)
        batch_op.alter_column('sku', type_=sa.String(length=16), existing_type=sa.String(length=100))
