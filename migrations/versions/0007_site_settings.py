"""site settings: the newsroom's settings page saves the site's name, language and time zone

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:05:00

A new table only: nothing here rebuilds `articles` (a batch rebuild would drop its search
triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_settings',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_site_settings'))
    )


def downgrade():
    op.drop_table('site_settings')
