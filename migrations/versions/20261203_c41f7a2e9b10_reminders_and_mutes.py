"""reminders and mutes: one row per reminder sent (unique key), and who muted reminders

Revision ID: c41f7a2e9b10
Revises: 7e6e522e9936
Create Date: 2026-12-03 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c41f7a2e9b10'
down_revision = '7e6e522e9936'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('ref_type', sa.String(length=40), nullable=False),
        sa.Column('ref_id', sa.Integer(), nullable=False),
        sa.Column('occasion', sa.String(length=40), nullable=False),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['outbox_message_id'], ['outbox_messages.id'],
            name=op.f('fk_reminders_outbox_message_id_outbox_messages'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'],
            name=op.f('fk_reminders_person_id_people'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
        sa.UniqueConstraint(
            'kind', 'ref_type', 'ref_id', 'occasion',
            name=op.f('uq_reminders_kind_ref_type_ref_id_occasion'),
        ),
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_person_id'), ['person_id'], unique=False)

    op.create_table(
        'reminder_mutes',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('muted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'],
            name=op.f('fk_reminder_mutes_person_id_people'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_reminder_mutes')),
    )


def downgrade():
    op.drop_table('reminder_mutes')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_person_id'))
    op.drop_table('reminders')
