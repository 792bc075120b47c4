"""agency links: standing links to an agency's follow-up actions

Issue 13, point 2: staff issue a standing link for an agency's head of office; only the
token's SHA-256 is stored, revoking sets ``revoked_at``.

Revision ID: d7a41c3e9f20
Revises: cea8b60a5d3b
Create Date: 2026-12-03 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a41c3e9f20'
down_revision = 'cea8b60a5d3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agency_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agency_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_agency_links_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_agency_links_token_hash'))
    )
    with op.batch_alter_table('agency_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_links_organization_id'), ['organization_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agency_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_links_organization_id'))

    op.drop_table('agency_links')
