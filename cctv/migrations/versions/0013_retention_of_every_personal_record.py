"""retention of every personal record, legal holds

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 15:00:00.000000

Issue 16: the retention rule covered incident narratives only.
  - evidence_request, disclosure, shift: retention_flagged_at and anonymised_at, as incident has, for their own
    periods (the evidence request's notes, the disclosure's requester and summary, the shift's handover notes).
  - retention_exemption: a legal hold (until cleared) or a keep decided at review (until a date) on one record of
    any of the four kinds; cleared rather than deleted, so the history of holds stays.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ('evidence_request', 'disclosure', 'shift')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('retention_flagged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        op.add_column(table, sa.Column('anonymised_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table('retention_exemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('exemption', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('set_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cleared_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cleared_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('cleared_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_retention_exemption_record', 'retention_exemption', ['record_kind', 'record_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_retention_exemption_record', table_name='retention_exemption')
    op.drop_table('retention_exemption')
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop tables other foreign keys point at.
    for table in reversed(TABLES):
        op.drop_column(table, 'anonymised_at')
        op.drop_column(table, 'retention_flagged_at')
