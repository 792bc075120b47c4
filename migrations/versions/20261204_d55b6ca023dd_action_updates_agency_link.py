"""action updates: which standing agency link made them

Issue 13, point 2: an update that came through a standing agency link (``/a/<token>``)
names that link, so the history can say so and staff can see how much a link is used.
The link may be deleted (with its organization): the history keeps ``by_label``.

Revision ID: d55b6ca023dd
Revises: 4b8e2f61c0d9
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd55b6ca023dd'
down_revision = '4b8e2f61c0d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_link_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_updates_agency_link_id'), ['agency_link_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_updates_agency_link_id_agency_links'), 'agency_links', ['agency_link_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_updates_agency_link_id_agency_links'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_updates_agency_link_id'))
        batch_op.drop_column('agency_link_id')
