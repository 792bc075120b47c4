"""institutions (penyelenggara) own meetings, series, forums and documents

One installation serves several institutions (a province's Bappeda, its districts' Bappeda,
forums), each with its own letterhead, sender name and letter numbers. This revision
creates the institutions and their staff memberships, then gives every existing row an
owner:

- one institution is created from the settings the installation runs with today
  (``MEETCOORD_INSTITUTION_*``, ``LETTER_*``; read from the Flask app when the migration
  runs inside one, the settings' defaults otherwise), so its letters look as they did;
- every account becomes a member of it, with the role it has (admin -> admin,
  secretariat -> secretariat, anything else -> viewer);
- a meeting goes to the institution of the staff member who created it (their first
  membership), else to that default; a series follows its first meeting; a forum (no
  creator column) and the letter counters go to the default; a document goes to its
  meeting's institution, which is what new documents take as well.

Letter numbers become unique per institution (two institutions may share a pattern), and
the yearly counters run per institution. A downgrade fails if two institutions have by
then issued the same number, which the old global unique constraint cannot hold.

Revision ID: 7e6e522e9936
Revises: 5c1e0a7d2b94
Create Date: 2026-12-03 12:25:38.967228

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e6e522e9936'
down_revision = '5c1e0a7d2b94'
branch_labels = None
depends_on = None

# The settings' own defaults (meetcoord.config), for a migration run outside the app.
DEFAULTS = {
    "INSTITUTION_NAME": "Badan Perencanaan Pembangunan Daerah",
    "INSTITUTION_ADDRESS": "",
    "INSTITUTION_LOGO": "",
    "INSTITUTION_CITY": "",
    "LETTER_NUMBER_PATTERN": "005/{seq}/BAPPEDA/{year}",
    "LETTER_SIGNER_NAME": "",
    "LETTER_SIGNER_POSITION": "Kepala Bappeda",
}
OWNED = ("meetings", "meeting_series", "forums", "documents", "letter_sequences")


def _settings():
    """The running app's settings when there is one (``flask db upgrade``), else defaults."""
    try:
        from flask import current_app

        config = current_app.config
    except (ImportError, RuntimeError):
        return dict(DEFAULTS)
    return {key: config.get(key, value) or value for key, value in DEFAULTS.items()}


def _default_institution(conn):
    """Insert the first institution from the settings; its id."""
    values = _settings()
    now = datetime.now(UTC)
    institutions = sa.table(
        "institutions",
        *(sa.column(name) for name in (
            "name", "address", "city", "logo_path", "letter_number_pattern",
            "letter_signer_name", "letter_signer_position", "created_at", "updated_at",
        )),
    )
    conn.execute(institutions.insert().values(
        name=values["INSTITUTION_NAME"][:200],
        address=values["INSTITUTION_ADDRESS"][:300] or None,
        city=values["INSTITUTION_CITY"][:120] or None,
        logo_path=values["INSTITUTION_LOGO"][:500] or None,
        letter_number_pattern=values["LETTER_NUMBER_PATTERN"][:120],
        letter_signer_name=values["LETTER_SIGNER_NAME"][:200] or None,
        letter_signer_position=values["LETTER_SIGNER_POSITION"][:200] or None,
        created_at=now,
        updated_at=now,
    ))
    return conn.execute(sa.text("SELECT min(id) FROM institutions")).scalar_one()


def _memberships(conn, default_id):
    """Every account joins the first institution with the role it has."""
    now = datetime.now(UTC)
    conn.execute(
        sa.text(
            "INSERT INTO institution_memberships (user_id, institution_id, role, created_at,"
            " updated_at) SELECT id, :inst, CASE role WHEN 'admin' THEN 'admin'"
            " WHEN 'secretariat' THEN 'secretariat' ELSE 'viewer' END, :now, :now FROM users"
        ),
        {"inst": default_id, "now": now},
    )


def _assign_owners(conn, default_id):
    """Meetings to their creator's (first) institution, series to their first meeting's,
    documents to their meeting's; forums and letter counters to ``default_id``."""
    creator = (
        "(SELECT m.institution_id FROM institution_memberships m"
        " WHERE m.user_id = meetings.created_by_id ORDER BY m.id LIMIT 1)"
    )
    conn.execute(
        sa.text(f"UPDATE meetings SET institution_id = COALESCE({creator}, :inst)"),
        {"inst": default_id},
    )
    first_meeting = (
        "(SELECT m.institution_id FROM meetings m WHERE m.series_id = meeting_series.id"
        " ORDER BY m.start_at, m.id LIMIT 1)"
    )
    conn.execute(
        sa.text(f"UPDATE meeting_series SET institution_id = COALESCE({first_meeting}, :inst)"),
        {"inst": default_id},
    )
    conn.execute(
        sa.text(
            "UPDATE documents SET institution_id = (SELECT m.institution_id FROM meetings m"
            " WHERE m.id = documents.meeting_id)"
        )
    )
    for table in ("forums", "letter_sequences"):
        conn.execute(
            sa.text(f"UPDATE {table} SET institution_id = :inst"), {"inst": default_id}
        )


def upgrade():
    op.create_table('institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('logo_path', sa.String(length=500), nullable=True),
    sa.Column('mail_sender_name', sa.String(length=200), nullable=True),
    sa.Column('letter_number_pattern', sa.String(length=120), nullable=False),
    sa.Column('letter_signer_name', sa.String(length=200), nullable=True),
    sa.Column('letter_signer_position', sa.String(length=200), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_institutions_organization_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions')),
    sa.UniqueConstraint('name', name=op.f('uq_institutions_name'))
    )
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutions_organization_id'), ['organization_id'], unique=False)

    op.create_table('institution_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'secretariat', 'viewer', name='memberrole', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_institution_memberships_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_institution_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_memberships')),
    sa.UniqueConstraint('user_id', 'institution_id', name=op.f('uq_institution_memberships_user_id_institution_id'))
    )
    with op.batch_alter_table('institution_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_memberships_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_memberships_user_id'), ['user_id'], unique=False)

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('institution_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohost_institution_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    default_id = _default_institution(conn)
    _memberships(conn, default_id)
    _assign_owners(conn, default_id)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_documents_number'), type_='unique')
        batch_op.create_index(batch_op.f('ix_documents_institution_id'), ['institution_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_documents_institution_id_number'), ['institution_id', 'number'])
        batch_op.create_foreign_key(batch_op.f('fk_documents_institution_id_institutions'), 'institutions', ['institution_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_forums_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_forums_institution_id_institutions'), 'institutions', ['institution_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('letter_sequences', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_letter_sequences_scope_year'), type_='unique')
        batch_op.create_index(batch_op.f('ix_letter_sequences_institution_id'), ['institution_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_letter_sequences_institution_id_scope_year'), ['institution_id', 'scope', 'year'])
        batch_op.create_foreign_key(batch_op.f('fk_letter_sequences_institution_id_institutions'), 'institutions', ['institution_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_series_institution_id_institutions'), 'institutions', ['institution_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.alter_column('institution_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_meetings_cohost_institution_id'), ['cohost_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_institution_id'), ['institution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_cohost_institution_id_institutions'), 'institutions', ['cohost_institution_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_meetings_institution_id_institutions'), 'institutions', ['institution_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            op.f('ck_meetings_cohost_not_owner'),
            'cohost_institution_id IS NULL OR cohost_institution_id <> institution_id',
        )


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_meetings_cohost_not_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_meetings_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meetings_cohost_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_institution_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_cohost_institution_id'))
        batch_op.drop_column('cohost_institution_id')
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_series_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meeting_series_institution_id'))
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('letter_sequences', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letter_sequences_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_letter_sequences_institution_id_scope_year'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_letter_sequences_institution_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_letter_sequences_scope_year'), ['scope', 'year'])
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_forums_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_forums_institution_id'))
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_institution_id_institutions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_documents_institution_id_number'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_documents_institution_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_documents_number'), ['number'])
        batch_op.drop_column('institution_id')

    with op.batch_alter_table('institution_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_institution_memberships_institution_id'))

    op.drop_table('institution_memberships')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_organization_id'))

    op.drop_table('institutions')
