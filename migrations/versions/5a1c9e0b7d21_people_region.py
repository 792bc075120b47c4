"""directory: a person's own region (province), for registrants from anywhere

Issue 15: a webinar's participants come from every province; attendance by province and
the zone their mails are written in need where they come from even when their
organization is not in the directory.

Revision ID: 5a1c9e0b7d21
Revises: 323fafd81daf
Create Date: 2026-12-04 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1c9e0b7d21'
down_revision = '323fafd81daf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('region')
