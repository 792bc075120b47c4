"""reminder settings per institution; a reminder may be to no one person

Issue 13, point 3: each institution chooses how many days before a due date its
follow-up actions are reminded, how often while overdue, and whether the secretariat gets
a weekly overdue summary per forum. ``reminders.person_id`` becomes nullable: the forum
summary goes to the institution's staff (accounts), not to a person of the directory.

Revision ID: 4e3897eaf92b
Revises: d7a41c3e9f20
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e3897eaf92b'
down_revision = 'd7a41c3e9f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_settings',
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('overdue_every_days', sa.Integer(), nullable=False),
    sa.Column('forum_summary', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('days_before >= 0 AND days_before <= 30', name=op.f('ck_reminder_settings_days_before_range')),
    sa.CheckConstraint('overdue_every_days >= 1 AND overdue_every_days <= 30', name=op.f('ck_reminder_settings_overdue_every_range')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_reminder_settings_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('institution_id', name=op.f('pk_reminder_settings'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM reminders WHERE person_id IS NULL")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('reminder_settings')
