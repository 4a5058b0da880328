"""community: reader reports, editors' picks, staff badges, word lists, bans, story settings

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-06 01:12:32

New tables, and columns added in place (with server defaults, so SQLite needs no table
rebuild): nothing here rebuilds `articles` (a batch rebuild would drop its search triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('word_lists',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('banned', 'suspect')", name=op.f('ck_word_lists_kind')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_word_lists'))
    )
    op.create_table('comment_bans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('author_name', sa.String(length=80), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), server_default='', nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_comment_bans_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_bans'))
    )
    op.create_index('ix_comment_bans_active', 'comment_bans', ['lifted_at', 'email'], unique=False)
    op.create_table('comment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('reporter_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("reason IN ('spam', 'abuse', 'off-topic', 'other')", name=op.f('ck_comment_reports_reason')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reports_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reports'))
    )
    op.create_index('ix_comment_reports_open', 'comment_reports', ['reviewed_at', 'comment_id'], unique=False)
    op.create_index('uq_comment_reports_reader', 'comment_reports', ['comment_id', 'reporter_hash'], unique=True)
    op.add_column('articles', sa.Column('comments_premoderated', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('articles', sa.Column('comments_notice', sa.Text(), server_default='', nullable=False))
    op.add_column('comments', sa.Column('staff_role', sa.String(length=16), nullable=True))
    op.add_column('comments', sa.Column('featured_at', sa.DateTime(), nullable=True))
    op.add_column('comments', sa.Column('held_for', sa.String(length=300), server_default='', nullable=False))
    op.create_index('ix_comments_featured', 'comments', ['article_id', 'featured_at'], unique=False)


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `articles` would drop its triggers.
    op.drop_index('ix_comments_featured', table_name='comments')
    op.drop_column('comments', 'held_for')
    op.drop_column('comments', 'featured_at')
    op.drop_column('comments', 'staff_role')
    op.drop_column('articles', 'comments_notice')
    op.drop_column('articles', 'comments_premoderated')
    op.drop_index('uq_comment_reports_reader', table_name='comment_reports')
    op.drop_index('ix_comment_reports_open', table_name='comment_reports')
    op.drop_table('comment_reports')
    op.drop_index('ix_comment_bans_active', table_name='comment_bans')
    op.drop_table('comment_bans')
    op.drop_table('word_lists')
