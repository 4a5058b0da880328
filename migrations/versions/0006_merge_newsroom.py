"""merge: the newsroom (0003) and mail with imports (0004, 0005) both grew from 0002

Revision ID: 0006
Revises: 0003, 0005
Create Date: 2026-11-28 05:12:00

The two branches touch different tables, so either order of upgrade is safe; a site on
0005 runs 0003 and then this, a site on 0003 runs 0004, 0005 and then this.
"""


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = ('0003', '0005')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
