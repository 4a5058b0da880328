"""mail: the outgoing mail queue, reply subscriptions (double opt-in) and unsubscribed addresses

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 04:10:09.085614

Only new tables: nothing here rebuilds `articles` (a batch rebuild would drop its search
triggers) or `comments`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sent', 'failed')", name=op.f('ck_mail_queue_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_queue')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_queue_dedupe_key'))
    )
    op.create_index('ix_mail_queue_due', 'mail_queue', ['status', 'next_attempt_at', 'id'], unique=False)
    op.create_index('ix_mail_queue_recipient', 'mail_queue', ['recipient', 'created_at'], unique=False)

    op.create_table('mail_suppressions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_suppressions')),
    sa.UniqueConstraint('email_hash', name=op.f('uq_mail_suppressions_email_hash'))
    )

    op.create_table('reply_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_reply_subscriptions_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_subscriptions'))
    )
    op.create_index(op.f('ix_reply_subscriptions_comment_id'), 'reply_subscriptions', ['comment_id'], unique=False)
    op.create_index(op.f('ix_reply_subscriptions_email'), 'reply_subscriptions', ['email'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_reply_subscriptions_email'), table_name='reply_subscriptions')
    op.drop_index(op.f('ix_reply_subscriptions_comment_id'), table_name='reply_subscriptions')
    op.drop_table('reply_subscriptions')
    op.drop_table('mail_suppressions')
    op.drop_index('ix_mail_queue_recipient', table_name='mail_queue')
    op.drop_index('ix_mail_queue_due', table_name='mail_queue')
    op.drop_table('mail_queue')
