"""directory name keys; names and titles cleaned of control characters

Organizations, forums and venues get ``name_key`` (NFKC, case folded, whitespace collapsed,
computed in Python) carrying the unique constraint in place of the exact ``name``: SQLite's
``lower()`` folds only ASCII, so "Émaus" and "ÉMAUS" were two rows there and one on
PostgreSQL. Names, titles and positions already stored are cleaned the way input is cleaned
now (no control characters, no line breaks in one-line fields), before the keys are built.

The cleaning rules are copied here, not imported: a revision must do tomorrow what it does
today, whatever later becomes of ``meetcoord.core.cleaning``.

Revision ID: e23da99a308b
Revises: efa273d46e7a
Create Date: 2026-12-03 08:18:57.359419

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e23da99a308b'
down_revision = 'efa273d46e7a'
branch_labels = None
depends_on = None

NAMED = ('organizations', 'forums', 'venues')
# table → (one-line columns, multi-line columns)
TEXT_COLUMNS = {
    'organizations': (('name', 'short_name', 'region', 'address'), ()),
    'people': (('name', 'position'), ()),
    'forums': (('name', 'short_name', 'decree_number', 'decree_issuer'), ('description',)),
    'venues': (('name', 'address', 'city'), ()),
    'meeting_series': (('title',), ()),
    'meetings': (('title',), ('purpose',)),
    'agenda_items': (('title', 'presenter'), ()),
    'invitations': (('stand_in_name', 'stand_in_position'), ()),
    'attendances': (('walk_in_organization', 'stand_in_name', 'stand_in_position'), ()),
}
REQUIRED = {'name', 'title'}  # NOT NULL columns: never cleaned down to nothing

_CONTROLS = re.compile(
    '[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]'
)
_BREAKS = re.compile('\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]')
_SPACES = re.compile(r'\s+')


def _line(value):
    value = _CONTROLS.sub('', _BREAKS.sub(' ', unicodedata.normalize('NFC', value)))
    return _SPACES.sub(' ', value).strip()


def _text(value):
    value = _BREAKS.sub('\n', unicodedata.normalize('NFC', value)).replace('\t', ' ')
    return '\n'.join(_CONTROLS.sub('', line).rstrip() for line in value.split('\n')).strip()


def _key(value):
    return _line(unicodedata.normalize('NFKC', _line(value)).casefold())


def _clean_rows(conn, table, single, multi):
    columns = single + multi
    rows = conn.execute(sa.text(f'SELECT id, {", ".join(columns)} FROM {table}')).fetchall()
    for row in rows:
        changes = {}
        for name, value in zip(columns, row[1:]):
            if value is None:
                continue
            clean = _line(value) if name in single else _text(value)
            if not clean and name in REQUIRED:
                clean = '?'
            if clean != value:
                changes[name] = clean or None
        if changes:
            assignments = ', '.join(f'{name} = :{name}' for name in changes)
            conn.execute(
                sa.text(f'UPDATE {table} SET {assignments} WHERE id = :id'), {**changes, 'id': row[0]}
            )


def _fill_keys(conn, table):
    """One key per row; a row whose name folds onto an earlier row's keeps its id apart."""
    seen = set()
    rows = conn.execute(sa.text(f'SELECT id, name FROM {table} ORDER BY id')).fetchall()
    for row_id, name in rows:
        key = _key(name)
        if key in seen:
            key = f'{key}#{row_id}'
            print(f'{table} #{row_id} "{name}": same name as an earlier row; rename one of them')
        seen.add(key)
        conn.execute(sa.text(f'UPDATE {table} SET name_key = :key WHERE id = :id'), {'key': key, 'id': row_id})


def upgrade():
    # The exact-name constraints go first: cleaning can make two stored names equal.
    for table in NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=400), nullable=True))
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_name'), type_='unique')

    conn = op.get_bind()
    for table, (single, multi) in TEXT_COLUMNS.items():
        _clean_rows(conn, table, single, multi)
    for table in NAMED:
        _fill_keys(conn, table)

    for table in NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('name_key', existing_type=sa.String(length=400), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_name_key'), ['name_key'])


def downgrade():
    # Cleaned text stays clean (the characters removed were never wanted). Names that are
    # equal only once folded cannot all keep an exact-name constraint; they are told apart.
    conn = op.get_bind()
    for table in reversed(NAMED):
        seen = set()
        rows = conn.execute(sa.text(f'SELECT id, name FROM {table} ORDER BY id')).fetchall()
        for row_id, name in rows:
            if name in seen:
                conn.execute(
                    sa.text(f'UPDATE {table} SET name = :name WHERE id = :id'),
                    {'name': f'{name[:190]} #{row_id}', 'id': row_id},
                )
            seen.add(name)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_name_key'), type_='unique')
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_name'), ['name'])
            batch_op.drop_column('name_key')
