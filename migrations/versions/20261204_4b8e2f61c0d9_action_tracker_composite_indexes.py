"""action tracker: composite indexes for the agency and meeting filters with status and due

Issue 13, Performance: the tracker filtered by agency (or by a forum's or series' meetings)
and overdue reaches the matching actions through (organization_id | meeting_id, status,
due_on) instead of walking every open action (``bench/bench_datascale.py``).

Revision ID: 4b8e2f61c0d9
Revises: ee3b003509de
Create Date: 2026-12-04 16:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4b8e2f61c0d9'
down_revision = 'ee3b003509de'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_organization_status_due', ['organization_id', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_actions_meeting_status_due', ['meeting_id', 'status', 'due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_meeting_status_due')
        batch_op.drop_index('ix_actions_organization_status_due')
