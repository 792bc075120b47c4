"""public pages: publications of a meeting, series or forum

Issue 13, point 7: a page per meeting, series or forum, off by default, found by a random
slug; turning it off keeps the row (and the slug) with ``disabled_at``.

Revision ID: 47ca3ebcc103
Revises: 4e3897eaf92b
Create Date: 2026-12-04 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '47ca3ebcc103'
down_revision = '4e3897eaf92b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.Enum('meeting', 'series', 'forum', name='subjecttype', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=32), nullable=False),
    sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('enabled_by_id', sa.Integer(), nullable=True),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enabled_by_id'], ['users.id'], name=op.f('fk_publications_enabled_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('slug', name=op.f('uq_publications_slug')),
    sa.UniqueConstraint('subject_type', 'subject_id', name=op.f('uq_publications_subject_type_subject_id'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_enabled_by_id'), ['enabled_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_enabled_by_id'))

    op.drop_table('publications')
