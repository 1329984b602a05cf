"""submission keys and void incidents

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 15:00:00.000000

Issue 16:
  - submission: one row per form submission or API call taken, keyed by (actor, key): the entry form's one-time
    token or the API's Idempotency-Key. A double Enter or a retried call finds the key taken and answers with what
    the first one made (result_id) instead of logging the incident twice.
  - incident.voided_at, voided_by, void_reason: a supervisor voids a duplicate or mistaken incident; it keeps its
    reference (references are gap-free) and leaves every outcomes measure.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('actor', 'key', name='uq_submission_key')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_created_at'), ['created_at'], unique=False)

    # Plain ALTER TABLE ADD/DROP COLUMN (SQLite 3.35+): a batch copy of incident would have to drop a table that
    # other tables' foreign keys point at.
    op.add_column('incident', sa.Column('voided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column('incident', sa.Column('voided_by', sqlmodel.sql.sqltypes.AutoString(length=80),
                                        server_default='', nullable=False))
    op.add_column('incident', sa.Column('void_reason', sqlmodel.sql.sqltypes.AutoString(length=500),
                                        server_default='', nullable=False))


def downgrade() -> None:
    op.drop_column('incident', 'void_reason')
    op.drop_column('incident', 'voided_by')
    op.drop_column('incident', 'voided_at')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_created_at'))
    op.drop_table('submission')
