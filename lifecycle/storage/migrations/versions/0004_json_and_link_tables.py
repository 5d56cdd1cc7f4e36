"""JSON columns instead of hand-made JSON text; link tables instead of comma-separated lists.

Existing rows are kept: comparison SKUs, feedback themes and review tags are split into
rows of their new tables before the old columns go; JSON text stays as it was (SQLite)
or is cast to json (PostgreSQL).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_COLUMNS = [("interactions", "payload", True), ("shop_events", "payload", True), ("carts", "items", False),
                ("orders", "items", False)]


def _split(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        'comparison_items',
        sa.Column('comparison_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('sku', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['comparison_id'], ['comparisons.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('comparison_id', 'position'),
    )
    op.create_index('ix_comparison_items_sku', 'comparison_items', ['sku'])
    op.create_table(
        'feedback_themes',
        sa.Column('feedback_id', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(length=40), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('feedback_id', 'theme'),
    )
    op.create_index('ix_feedback_themes_theme', 'feedback_themes', ['theme'])
    op.create_table(
        'conversation_tags',
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conversation_id', 'tag'),
    )
    op.create_index('ix_conversation_tags_tag', 'conversation_tags', ['tag'])

    comparison_items = sa.table('comparison_items', sa.column('comparison_id'), sa.column('position'),
                                sa.column('sku'))
    rows = [{"comparison_id": cid, "position": n, "sku": sku[:16]}
            for cid, skus in bind.execute(sa.text("SELECT id, skus FROM comparisons"))
            for n, sku in enumerate(dict.fromkeys(_split(skus)))]
    if rows:
        op.bulk_insert(comparison_items, rows)
    feedback_themes = sa.table('feedback_themes', sa.column('feedback_id'), sa.column('theme'), sa.column('position'))
    rows = [{"feedback_id": fid, "theme": theme[:40], "position": n}
            for fid, themes in bind.execute(sa.text("SELECT id, themes FROM feedback"))
            for n, theme in enumerate(dict.fromkeys(_split(themes)))]
    if rows:
        op.bulk_insert(feedback_themes, rows)
    conversation_tags = sa.table('conversation_tags', sa.column('conversation_id'), sa.column('tag'))
    rows = [{"conversation_id": cid, "tag": tag}
            for cid, tags in bind.execute(sa.text("SELECT conversation_id, tags FROM conversation_reviews"))
            for tag in dict.fromkeys(t.lower()[:40] for t in _split(tags))]
    if rows:
        op.bulk_insert(conversation_tags, rows)

    with op.batch_alter_table('comparisons') as batch_op:
        batch_op.drop_column('skus')
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.drop_column('themes')
    with op.batch_alter_table('conversation_reviews') as batch_op:
        batch_op.drop_column('tags')
    for table, column, nullable in JSON_COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=nullable,
                                  postgresql_using=f"{column}::json")


def downgrade() -> None:
    bind = op.get_bind()
    for table, column, nullable in JSON_COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=nullable,
                                  postgresql_using=f"{column}::text")
    with op.batch_alter_table('comparisons') as batch_op:
        batch_op.add_column(sa.Column('skus', sa.String(length=80), nullable=False, server_default=''))
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('themes', sa.String(length=200), nullable=True))
    with op.batch_alter_table('conversation_reviews') as batch_op:
        batch_op.add_column(sa.Column('tags', sa.String(length=300), nullable=False, server_default=''))
    for cid, skus in _grouped(bind, "SELECT comparison_id, sku FROM comparison_items ORDER BY comparison_id, position"):
        bind.execute(sa.text("UPDATE comparisons SET skus = :v WHERE id = :i"), {"v": ",".join(skus), "i": cid})
    for fid, themes in _grouped(bind, "SELECT feedback_id, theme FROM feedback_themes ORDER BY feedback_id, position"):
        bind.execute(sa.text("UPDATE feedback SET themes = :v WHERE id = :i"), {"v": ",".join(themes), "i": fid})
    for cid, tags in _grouped(bind, "SELECT conversation_id, tag FROM conversation_tags ORDER BY conversation_id, tag"):
        bind.execute(sa.text("UPDATE conversation_reviews SET tags = :v WHERE conversation_id = :i"),
                     {"v": ",".join(tags)[:300], "i": cid})
    op.drop_table('conversation_tags')
    op.drop_table('feedback_themes')
    op.drop_table('comparison_items')


def _grouped(bind, query):
    groups = {}
    for key, value in bind.execute(sa.text(query)):
        groups.setdefault(key, []).append(value)
    return groups.items()
