"""newsroom tools: accounts people run themselves (last sign-in, two-factor sign-in), a trash
for stories, why a comment was held, the media library and a featured picture's crop

Revision ID: 0014
Revises: 0009

Columns added in place with server defaults (no table rebuilds: `articles` keeps its
search triggers).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
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
    op.add_column('articles', sa.Column('image_focus', sa.String(length=10), server_default='', nullable=False))
    op.create_table('media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stem', sa.String(length=90), nullable=False),
    sa.Column('alt', sa.String(length=300), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('credit', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_media_uploaded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media')),
    sa.UniqueConstraint('stem', name=op.f('uq_media_stem'))
    )
    op.create_index(op.f('ix_media_created_at'), 'media', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_media_created_at'), table_name='media')
    op.drop_table('media')
    op.drop_column('articles', 'image_focus')
    op.drop_column('comments', 'held_reason')
    op.drop_index(op.f('ix_articles_deleted_at'), table_name='articles')
    op.drop_column('articles', 'deleted_at')
    op.drop_column('users', 'recovery_codes')
    op.drop_column('users', 'totp_last_step')
    op.drop_column('users', 'totp_secret')
    op.drop_column('users', 'last_sign_in_at')
