"""crime dedup key unique by an index

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 21:50:00.000000

Issue 15 (import within 2x SQLite's own .import): `crime.dedup_key` is unique by the index `ix_crime_dedup_key`
instead of the table's UNIQUE constraint. The keys stay exactly as unique (`INSERT ... ON CONFLICT (dedup_key)`
works with either), but SQLite cannot drop a constraint's index, and a large import into SQLite now drops this one
and builds it from the loaded rows, which is cheaper than inserting a year of random keys into it one by one
(`siting.store.bulk.sqlite_bulk_load`). On SQLite the table is rebuilt without the constraint (batch mode; the
PostGIS point exists only on PostgreSQL, where the constraint is dropped in place).
"""
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# The names the unnamed constraint of 0003 has: PostgreSQL's own, and the one batch mode gives it on SQLite.
_POSTGRES_CONSTRAINT = 'crime_dedup_key_key'
_NAMING = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('crime', recreate='always', naming_convention=_NAMING) as batch_op:
            batch_op.drop_constraint('uq_crime_dedup_key', type_='unique')
            batch_op.create_index('ix_crime_dedup_key', ['dedup_key'], unique=True)
        return
    op.drop_constraint(_POSTGRES_CONSTRAINT, 'crime', type_='unique')
    op.create_index('ix_crime_dedup_key', 'crime', ['dedup_key'], unique=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('crime', recreate='always', naming_convention=_NAMING) as batch_op:
            batch_op.drop_index('ix_crime_dedup_key')
            batch_op.create_unique_constraint('uq_crime_dedup_key', ['dedup_key'])
        return
    op.drop_index('ix_crime_dedup_key', table_name='crime')
    op.create_unique_constraint(_POSTGRES_CONSTRAINT, 'crime', ['dedup_key'])
