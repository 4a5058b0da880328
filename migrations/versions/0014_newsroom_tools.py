"""newsroom tools: accounts people run themselves (last sign-in, two-factor sign-in), a trash
for stories, and why a comment was held

Revision ID: 0014
Revises: 0009

Columns added in place with server defaults (no table rebuilds: `articles` keeps its
search triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    op.add_column('users', sa.Column('recovery_codes', sa.Text(), server_default='', nullable=False))
    op.add_column('articles', sa.Column('deleted_at', sa.DateTime(), nullable=True))
    op.create_index(op.f('ix_articles_deleted_at'), 'articles', ['deleted_at'], unique=False)
    op.add_column('comments', sa.Column('held_reason', sa.String(length=20), server_default='', nullable=False))


def downgrade():
    op.drop_column('comments', 'held_reason')
    op.drop_index(op.f('ix_articles_deleted_at'), table_name='articles')
    op.drop_column('articles', 'deleted_at')
    op.drop_column('users', 'recovery_codes')
    op.drop_column('users', 'totp_last_step')
    op.drop_column('users', 'totp_secret')
    op.drop_column('users', 'last_sign_in_at')
