"""signatory e-mail: where a signatory's one-time codes go, fixed at finalisation

The secretariat can edit a person's address; if signing codes followed it, a staff login
could point the chair's codes at itself. Each signatory row now keeps the address its
invitee had when the document was finalised. Existing rows take their invitee's current
address (the best there is for documents finalised before this revision).

Revision ID: 5c1e0a7d2b94
Revises: 9ed8cfa30c81
Create Date: 2026-12-03 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d2b94'
down_revision = '9ed8cfa30c81'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document_signatories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    op.execute(
        "UPDATE document_signatories SET email = ("
        " SELECT people.email FROM invitations JOIN people ON people.id = invitations.person_id"
        " WHERE invitations.id = document_signatories.invitation_id)"
    )


def downgrade():
    with op.batch_alter_table('document_signatories', schema=None) as batch_op:
        batch_op.drop_column('email')
