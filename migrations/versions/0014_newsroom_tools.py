"""newsroom tools: accounts people run themselves (last sign-in, two-factor sign-in)

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


def downgrade():
    op.drop_column('users', 'recovery_codes')
    op.drop_column('users', 'totp_last_step')
    op.drop_column('users', 'totp_secret')
    op.drop_column('users', 'last_sign_in_at')
