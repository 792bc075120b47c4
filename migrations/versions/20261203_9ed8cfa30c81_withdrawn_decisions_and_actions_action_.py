"""withdrawn decisions and actions, action versions

Issue 11: the chair and the minute-taker withdraw a decision or an action (kept, with who
and why) and correct an action, whose ``version`` refuses a stale edit. Existing actions
start at version 1.

Revision ID: 9ed8cfa30c81
Revises: ae7d5c59592b
Create Date: 2026-12-03 07:54:40.097765

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9ed8cfa30c81'
down_revision = 'ae7d5c59592b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1'))
        )
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('version')
