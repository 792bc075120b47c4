"""live: the id a command's first ack answered, kept on its nonce's event

Issue 17: a repeated nonce answers the same ack as the first, ``id`` included (the
decision, action, agenda item, speaker request or question the command made, or the
notes' version). Events logged before this have none; their replays answer without it.

Revision ID: 9b4d2f7a1c63
Revises: 3f9a1c7e5b20
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b4d2f7a1c63'
down_revision = '3f9a1c7e5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ack_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting_events', schema=None) as batch_op:
        batch_op.drop_column('ack_id')
