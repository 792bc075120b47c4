"""action tracker: progress updates and history, evidence files, verified status

Issue 13: an action moves open → in_progress → done → verified (or dropped); each change
and each progress note is an ``action_updates`` row, evidence files are rows of
``action_evidence`` (the bytes live under the instance folder), and ``original_due_on``
keeps the agreed due date once the tracker moves it. Existing actions keep their status;
the status CHECK constraint gains ``verified``.

Revision ID: cea8b60a5d3b
Revises: c41f7a2e9b10
Create Date: 2026-12-03 16:34:30.981376

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cea8b60a5d3b'
down_revision = 'c41f7a2e9b10'
branch_labels = None
depends_on = None

OLD_STATUSES = ('open', 'in_progress', 'done', 'dropped')
NEW_STATUSES = ('open', 'in_progress', 'done', 'verified', 'dropped')


def _status(values):
    return sa.Enum(
        *values, name='actionstatus', native_enum=False, create_constraint=True, length=20
    )


def upgrade():
    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('progress', 'status', 'due', 'fields', name='updatekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('percentage', sa.Integer(), nullable=True),
    sa.Column('milestone', sa.String(length=200), nullable=True),
    sa.Column('status_before', sa.String(length=20), nullable=True),
    sa.Column('status_after', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('by_label', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('percentage IS NULL OR (percentage >= 0 AND percentage <= 100)', name=op.f('ck_action_updates_percentage_range')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_updates_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_action_updates_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_action_updates_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)

    op.create_table('action_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_evidence_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['action_updates.id'], name=op.f('fk_action_evidence_update_id_action_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_evidence')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_action_evidence_storage_key'))
    )
    with op.batch_alter_table('action_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_evidence_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_evidence_update_id'), ['update_id'], unique=False)

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_actions_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_status'), ['status'], unique=False)
        batch_op.alter_column(
            'status',
            existing_type=_status(OLD_STATUSES),
            type_=_status(NEW_STATUSES),
            existing_nullable=False,
        )



def downgrade():
    # A verified action was done before the secretariat checked it.
    op.execute("UPDATE actions SET status = 'done' WHERE status = 'verified'")
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.alter_column(
            'status',
            existing_type=_status(NEW_STATUSES),
            type_=_status(OLD_STATUSES),
            existing_nullable=False,
        )
        batch_op.drop_index(batch_op.f('ix_actions_status'))
        batch_op.drop_index(batch_op.f('ix_actions_due_on'))
        batch_op.drop_column('original_due_on')

    with op.batch_alter_table('action_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_evidence_update_id'))
        batch_op.drop_index(batch_op.f('ix_action_evidence_action_id'))

    op.drop_table('action_evidence')
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))

    op.drop_table('action_updates')
