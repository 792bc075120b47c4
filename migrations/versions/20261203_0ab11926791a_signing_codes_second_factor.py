"""signing codes and the second factor of a signature

A personal link never signs alone (issue 11): ``signing_codes`` keeps the one-time codes
mailed to signatories (as keyed hashes), and ``document_signatories.factor`` records
which second factor each signature used. Signatures made before this revision keep
``factor`` NULL ("not recorded").

Revision ID: 0ab11926791a
Revises: b2e010095f15
Create Date: 2026-12-03 07:44:46.234840

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0ab11926791a'
down_revision = 'b2e010095f15'
branch_labels = None
depends_on = None

FACTOR_CHECK = 'ck_document_signatories_signaturefactor'


def upgrade():
    op.create_table('signing_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signatory_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signatory_id'], ['document_signatories.id'], name=op.f('fk_signing_codes_signatory_id_document_signatories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_codes'))
    )
    with op.batch_alter_table('signing_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_codes_signatory_id'), ['signatory_id'], unique=False)

    with op.batch_alter_table('document_signatories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('factor', sa.Enum('email_code', 'own_certificate', name='signaturefactor', native_enum=False, create_constraint=True, length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('document_signatories', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(FACTOR_CHECK), type_='check')
        batch_op.drop_column('factor')

    with op.batch_alter_table('signing_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_codes_signatory_id'))

    op.drop_table('signing_codes')
