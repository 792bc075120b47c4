"""channels: a meeting's video meeting links, livestreams and recordings; live-view attendance

Issue 15: a meeting has any number of online channels. Each meeting's ``online_url`` is
copied into a first video-meeting channel (the column stays: invitations, letters and
calendar files read it, kept equal to that channel). Attendance gets a method for an
online participant who opened the live view.

Revision ID: b7c41e2f9a10
Revises: 5a1c9e0b7d21
Create Date: 2026-12-04 20:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41e2f9a10'
down_revision = '5a1c9e0b7d21'
branch_labels = None
depends_on = None

OLD_METHODS = ('kiosk', 'kiosk_confirmed', 'desk', 'desk_offline', 'manual', 'online', 'walk_in')
NEW_METHODS = OLD_METHODS + ('live_view',)


def _methods(values):
    return sa.Enum(*values, name='checkinmethod', native_enum=False, create_constraint=True, length=20)


def upgrade():
    op.create_table('meeting_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('video_meeting', 'livestream', 'recording', name='channelkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('audience', sa.Enum('online', 'everyone', 'site', name='channelaudience', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('audience_site_id', sa.Integer(), nullable=True),
    sa.Column('passcode', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['audience_site_id'], ['meeting_sites.id'], name=op.f('fk_meeting_channels_audience_site_id_meeting_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_channels_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_channels'))
    )
    with op.batch_alter_table('meeting_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_channels_audience_site_id'), ['audience_site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_channels_meeting_id'), ['meeting_id'], unique=False)

    # Every meeting's one online link becomes its first video-meeting channel.
    op.execute(
        "INSERT INTO meeting_channels (meeting_id, kind, label, url, created_at, updated_at) "
        "SELECT id, 'video_meeting', 'Rapat daring', online_url, created_at, updated_at "
        "FROM meetings WHERE online_url IS NOT NULL AND online_url <> ''"
    )

    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.alter_column('method', existing_type=_methods(OLD_METHODS), type_=_methods(NEW_METHODS), existing_nullable=False)


def downgrade():
    op.execute("UPDATE attendances SET method = 'online' WHERE method = 'live_view'")
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.alter_column('method', existing_type=_methods(NEW_METHODS), type_=_methods(OLD_METHODS), existing_nullable=False)

    with op.batch_alter_table('meeting_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_channels_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_channels_audience_site_id'))

    op.drop_table('meeting_channels')
