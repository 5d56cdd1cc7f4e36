"""E-mail: consent per address, the durable queue of messages to send, a cart reminder's channel, and
the channel that reached each playbook's customer.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lifecycle.storage.models.base import UtcDateTime

revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cart_recoveries') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=8), nullable=True))
        batch.add_column(sa.Column('email_due_at', UtcDateTime(), nullable=True))
        batch.add_column(sa.Column('emailed_at', UtcDateTime(), nullable=True))
        batch.add_column(sa.Column('playbook_send_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_cart_recoveries_playbook_send', 'playbook_sends', ['playbook_send_id'], ['id'],
                                 ondelete='SET NULL')
    with op.batch_alter_table('playbook_sends') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=16), nullable=True))
    op.create_table(
        'email_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id', ondelete='CASCADE'), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('consented_at', UtcDateTime(), nullable=False),
        sa.Column('confirmed_at', UtcDateTime(), nullable=True),
        sa.Column('confirmation_sent_at', UtcDateTime(), nullable=True),
        sa.Column('unsubscribed_at', UtcDateTime(), nullable=True),
        sa.Column('bounced_at', UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('customer_id', 'email', name='uq_email_consents_customer_email'),
    )
    op.create_index('ix_email_consents_customer_id', 'email_consents', ['customer_id'])
    op.create_table(
        'mail_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id', ondelete='CASCADE'), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('playbook', sa.String(length=40), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('unsubscribe_url', sa.String(length=500), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('next_attempt_at', UtcDateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('sent_at', UtcDateTime(), nullable=True),
        sa.Column('failed_at', UtcDateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_id'),
    )
    op.create_index('ix_mail_messages_customer_id', 'mail_messages', ['customer_id'])
    op.create_index('ix_mail_messages_due', 'mail_messages', ['next_attempt_at'])


def downgrade() -> None:
    op.drop_index('ix_mail_messages_due', table_name='mail_messages')
    op.drop_index('ix_mail_messages_customer_id', table_name='mail_messages')
    op.drop_table('mail_messages')
    op.drop_index('ix_email_consents_customer_id', table_name='email_consents')
    op.drop_table('email_consents')
    with op.batch_alter_table('playbook_sends') as batch:
        batch.drop_column('channel')
    with op.batch_alter_table('cart_recoveries') as batch:
        batch.drop_constraint('fk_cart_recoveries_playbook_send', type_='foreignkey')
        batch.drop_column('playbook_send_id')
        batch.drop_column('emailed_at')
        batch.drop_column('email_due_at')
        batch.drop_column('channel')
