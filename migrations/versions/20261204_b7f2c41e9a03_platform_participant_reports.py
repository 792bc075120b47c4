"""checkin: video platform participant reports (Zoom, Meet, Teams) imported as attendance

Issue 15, point 5: a webinar's online participants come from the platform's report; the
import is kept (a draft until confirmed) with the participants nobody could be matched
to, and attendances it writes carry the new check-in method ``platform``.

Revision ID: b7f2c41e9a03
Revises: b7c41e2f9a10
Create Date: 2026-12-04 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7f2c41e9a03'
down_revision = 'b7c41e2f9a10'
branch_labels = None
depends_on = None

OLD_METHODS = ('kiosk', 'kiosk_confirmed', 'desk', 'desk_offline', 'manual', 'online', 'walk_in', 'live_view')
NEW_METHODS = (*OLD_METHODS, 'platform')


def _method_check(methods):
    return "method IN (" + ", ".join(f"'{m}'" for m in methods) + ")"


def upgrade():
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attendances_checkinmethod'), type_='check')
        batch_op.create_check_constraint(op.f('ck_attendances_checkinmethod'), _method_check(NEW_METHODS))

    op.create_table('platform_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'confirmed', name='importstate', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('platform', sa.String(length=10), nullable=False),
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_platform_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_platform_imports_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_imports'))
    )
    with op.batch_alter_table('platform_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_imports_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_imports_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('platform_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('matched', 'already', 'unmatched', 'ambiguous', 'manual', 'dismissed', name='outcome', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('attendance_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attendance_id'], ['attendances.id'], name=op.f('fk_platform_participants_attendance_id_attendances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['platform_imports.id'], name=op.f('fk_platform_participants_import_id_platform_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_platform_participants_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_platform_participants_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_participants'))
    )
    with op.batch_alter_table('platform_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_participants_attendance_id'), ['attendance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_participants_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_participants_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_participants_resolved_by_id'), ['resolved_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('platform_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_participants_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_platform_participants_invitation_id'))
        batch_op.drop_index(batch_op.f('ix_platform_participants_import_id'))
        batch_op.drop_index(batch_op.f('ix_platform_participants_attendance_id'))
    op.drop_table('platform_participants')
    with op.batch_alter_table('platform_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_imports_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_platform_imports_created_by_id'))
    op.drop_table('platform_imports')
    op.execute("DELETE FROM attendances WHERE method = 'platform'")
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attendances_checkinmethod'), type_='check')
        batch_op.create_check_constraint(op.f('ck_attendances_checkinmethod'), _method_check(OLD_METHODS))
