"""front page: pinned lead and top stories, breaking news, corrections, author pages

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-06 01:20:00

New tables and one index on articles (no table rebuild: its search triggers stay).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_corrections_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrections'))
    )
    op.create_index('ix_corrections_article', 'corrections', ['article_id', 'created_at', 'id'], unique=False)
    op.create_table('front_page_pins',
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('pinned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_front_page_pins_article_id_articles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_front_page_pins')),
    sa.UniqueConstraint('article_id', name=op.f('uq_front_page_pins_article_id'))
    )
    op.create_table('breaking_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breaking_news'))
    )
    op.create_index(op.f('ix_breaking_news_ends_at'), 'breaking_news', ['ends_at'], unique=False)
    op.create_table('author_pages',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('photo', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_author_pages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_author_pages')),
    sa.UniqueConstraint('slug', name=op.f('uq_author_pages_slug'))
    )
    op.create_index('ix_articles_byline', 'articles', ['byline', 'status', 'published_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_articles_byline', table_name='articles')
    op.drop_table('author_pages')
    op.drop_index(op.f('ix_breaking_news_ends_at'), table_name='breaking_news')
    op.drop_table('breaking_news')
    op.drop_table('front_page_pins')
    op.drop_index('ix_corrections_article', table_name='corrections')
    op.drop_table('corrections')
