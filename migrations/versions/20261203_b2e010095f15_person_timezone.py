"""person timezone: the zone a person reads times in when they attend online

NULL (every existing row) means "the zone of their organization's region", derived at
read time, so no data needs filling in.

Revision ID: b2e010095f15
Revises: 006575a376fb
Create Date: 2026-12-03 07:44:53.077580

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2e010095f15'
down_revision = '006575a376fb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('timezone')
