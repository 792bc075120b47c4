"""planning: public tracking of proposals, one switch per institution

Issue 14, point 5: off by default (no row), a random slug, turned on and off by the
institution's working staff.

Revision ID: 323fafd81daf
Revises: 66a5dcc41d90
Create Date: 2026-12-04 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '323fafd81daf'
down_revision = '66a5dcc41d90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_trackings',
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=32), nullable=False),
    sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('enabled_by_id', sa.Integer(), nullable=True),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enabled_by_id'], ['users.id'], name=op.f('fk_proposal_trackings_enabled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_proposal_trackings_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('institution_id', name=op.f('pk_proposal_trackings')),
    sa.UniqueConstraint('slug', name=op.f('uq_proposal_trackings_slug'))
    )
    with op.batch_alter_table('proposal_trackings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_trackings_enabled_by_id'), ['enabled_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_trackings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_trackings_enabled_by_id'))

    op.drop_table('proposal_trackings')
