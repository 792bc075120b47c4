"""api: Idempotency-Key answers kept for 24 hours

Issue 17: a POST retried with the same Idempotency-Key answers the first response
instead of creating again; the first answer is kept here (hashes, never secrets).

Revision ID: 3b8e1f6a2c47
Revises: 9b4d2f7a1c63
Create Date: 2026-12-05 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8e1f6a2c47'
down_revision = '9b4d2f7a1c63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('path_sha256', sa.String(length=64), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('response_headers', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency_keys')),
    sa.UniqueConstraint('actor', 'key', name=op.f('uq_api_idempotency_keys_actor_key')),
    )
    with op.batch_alter_table('api_idempotency_keys', schema=None) as batch_op:
        batch_op.create_index('ix_api_idempotency_keys_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('api_idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_api_idempotency_keys_created_at')
    op.drop_table('api_idempotency_keys')
