"""carry-over: standing agenda kinds and the meeting an action update was made in

Issue 13, point 4: the next meeting of a series or forum gets two standing items,
"Persetujuan notulen rapat sebelumnya" (``previous_minutes``) and "Tinjauan tindak
lanjut" (``action_review``); a status change made during that review records the meeting
it was made in (``action_updates.meeting_id``), so its minutes print the review table.

Revision ID: ee3b003509de
Revises: 47ca3ebcc103
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee3b003509de'
down_revision = '47ca3ebcc103'
branch_labels = None
depends_on = None

OLD_KINDS = ('presentation', 'discussion', 'decision', 'signing')
NEW_KINDS = (*OLD_KINDS, 'previous_minutes', 'action_review')


def _kind_check(kinds):
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_items_agendakind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_agenda_items_agendakind'), _kind_check(NEW_KINDS))
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_updates_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_action_updates_meeting_id_meetings'),
            'meetings',
            ['meeting_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_updates_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_updates_meeting_id'))
        batch_op.drop_column('meeting_id')
    op.execute(
        "DELETE FROM agenda_items WHERE kind IN ('previous_minutes', 'action_review')"
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_items_agendakind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_agenda_items_agendakind'), _kind_check(OLD_KINDS))
