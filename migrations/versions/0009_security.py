"""security: shared rate limits, revocable staff sessions, sign-in back-off, mailbox caps

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 09:00:00

New tables, and columns added in place (with server defaults, so SQLite needs no table
rebuild): nothing here rebuilds `articles` (a batch rebuild would drop its search triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limits',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('resets_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limits'))
    )
    op.create_index(op.f('ix_rate_limits_resets_at'), 'rate_limits', ['resets_at'], unique=False)
    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash'))
    )
    op.create_index(op.f('ix_staff_sessions_user_id'), 'staff_sessions', ['user_id'], unique=False)
    op.add_column('users', sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('sign_in_blocked_until', sa.DateTime(), nullable=True))
    op.add_column('mail_queue', sa.Column('mailbox', sa.String(length=254), server_default='', nullable=False))
    # Older rows count by their whole address; the cap only looks back an hour anyway.
    op.execute("UPDATE mail_queue SET mailbox = recipient")
    op.drop_index('ix_mail_queue_recipient', table_name='mail_queue')
    op.create_index('ix_mail_queue_mailbox', 'mail_queue', ['mailbox', 'created_at'], unique=False)


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `users` would cascade into the
    # revisions and sessions that point at it.
    op.drop_index(op.f('ix_staff_sessions_user_id'), table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_index('ix_mail_queue_mailbox', table_name='mail_queue')
    op.create_index('ix_mail_queue_recipient', 'mail_queue', ['recipient', 'created_at'], unique=False)
    op.drop_column('mail_queue', 'mailbox')
    op.drop_column('users', 'sign_in_blocked_until')
    op.drop_column('users', 'failed_sign_ins')
    op.drop_index(op.f('ix_rate_limits_resets_at'), table_name='rate_limits')
    op.drop_table('rate_limits')
