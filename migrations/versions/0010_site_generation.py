"""site generation: one row that says whether anything a reader sees has changed

Revision ID: 0010_site_generation
Revises: 0009
Create Date: 2026-12-06 01:30:00

Validators and the page cache read this row instead of aggregating over every story and
comment.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    site_generation = op.create_table('site_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('next_live_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_generation'))
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    articles = sa.table('articles', sa.column('status'), sa.column('published_at'))
    next_live = (
        sa.select(sa.func.min(articles.c.published_at))
        .where(articles.c.status == 'published', articles.c.published_at > now)
        .scalar_subquery()
    )
    op.execute(
        site_generation.insert().from_select(
            ['id', 'generation', 'changed_at', 'next_live_at'],
            sa.select(sa.literal(1), sa.literal(1), sa.literal(now, sa.DateTime()), next_live),
        )
    )


def downgrade():
    op.drop_table('site_generation')
