"""quorum rules for meetings and sites

A meeting and a site each take a quorum rule: a kind (people, at_least, more_than) and a
value (people, or a percentage of the invited members). They replace the earlier
``meetings.quorum_percent`` (a share: now at_least) and ``meeting_sites.quorum_minimum``
(a number: now people), which no form or API could set; any value there is carried over.

Revision ID: ae7d5c59592b
Revises: e23da99a308b
Create Date: 2026-12-03 08:17:37.358162

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae7d5c59592b'
down_revision = 'e23da99a308b'
branch_labels = None
depends_on = None

RULE = (
    "(quorum_kind IS NULL AND quorum_value IS NULL)"
    " OR (quorum_kind = 'people' AND quorum_value >= 1)"
    " OR (quorum_kind = 'at_least' AND quorum_value BETWEEN 1 AND 100)"
    " OR (quorum_kind = 'more_than' AND quorum_value BETWEEN 1 AND 99)"
)


def _kind() -> sa.Enum:
    return sa.Enum(
        'people', 'at_least', 'more_than',
        name='quorumkind', native_enum=False, create_constraint=True, length=20,
    )


def upgrade():
    for table, old, kind, valid in (
        ('meeting_sites', 'quorum_minimum', 'people', 'quorum_minimum >= 1'),
        ('meetings', 'quorum_percent', 'at_least', 'quorum_percent BETWEEN 1 AND 100'),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('quorum_kind', _kind(), nullable=True))
            batch_op.add_column(sa.Column('quorum_value', sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET quorum_kind = '{kind}', quorum_value = {old} WHERE {valid}"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(old)
            batch_op.create_check_constraint(op.f(f'ck_{table}_quorum_rule'), RULE)


def downgrade():
    for table, old, kind in (
        ('meetings', 'quorum_percent', 'at_least'),
        ('meeting_sites', 'quorum_minimum', 'people'),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_quorum_rule'), type_='check')
            batch_op.add_column(sa.Column(old, sa.INTEGER(), nullable=True))
        op.execute(f"UPDATE {table} SET {old} = quorum_value WHERE quorum_kind = '{kind}'")
        with op.batch_alter_table(table, schema=None) as batch_op:
            # The enum's own CHECK names the column: SQLite's batch copy would keep it.
            batch_op.drop_constraint(op.f(f'ck_{table}_quorumkind'), type_='check')
            batch_op.drop_column('quorum_value')
            batch_op.drop_column('quorum_kind')
