"""import: legacy redirects for old permalinks, and source keys on imported stories and comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 04:13:23.312415

Plain ADD COLUMN and CREATE INDEX only: a batch rebuild of articles would drop the
SQLite search triggers (see 0001).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legacy_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_legacy_redirects_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_redirects')),
    sa.UniqueConstraint('path', name=op.f('uq_legacy_redirects_path'))
    )
    op.create_index(op.f('ix_legacy_redirects_article_id'), 'legacy_redirects', ['article_id'], unique=False)

    op.add_column('articles', sa.Column('import_source', sa.String(length=200), nullable=True))
    op.add_column('articles', sa.Column('import_key', sa.String(length=200), nullable=True))
    op.create_index('uq_articles_import', 'articles', ['import_source', 'import_key'], unique=True)

    op.add_column('comments', sa.Column('import_source', sa.String(length=200), nullable=True))
    op.add_column('comments', sa.Column('import_key', sa.String(length=200), nullable=True))
    op.create_index('uq_comments_import', 'comments', ['import_source', 'import_key'], unique=True)


def downgrade():
    op.drop_index('uq_comments_import', table_name='comments')
    op.drop_column('comments', 'import_key')
    op.drop_column('comments', 'import_source')

    op.drop_index('uq_articles_import', table_name='articles')
    op.drop_column('articles', 'import_key')
    op.drop_column('articles', 'import_source')

    op.drop_index(op.f('ix_legacy_redirects_article_id'), table_name='legacy_redirects')
    op.drop_table('legacy_redirects')
