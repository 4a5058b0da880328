"""production: comments erased at the commenter's request stay erased

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06 01:40:00

A nullable column added in place (no table rebuild on SQLite).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('comments', sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('comments') as batch_op:
        batch_op.drop_column('erased_at')
