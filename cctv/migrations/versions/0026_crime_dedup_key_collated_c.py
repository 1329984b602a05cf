"""crime dedup key collated C

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 00:45:00.000000

Issue 15 (the crime import's tail): on PostgreSQL `crime.dedup_key`, and so its unique index `ix_crime_dedup_key`,
is collated "C". The keys are Crime IDs (hex) or SHA-1 hex digests of anti-social behaviour rows, only ever compared
for equality (the index's uniqueness, `ON CONFLICT`, the import's `= ANY(...)` lookup), and a deterministic
collation makes two strings equal only when their bytes are, so no answer changes. What changes is the cost of
sorting them: the database's default collation is libc's (C.UTF-8 here, en_GB.UTF-8 at a council), compared by
strcoll and without abbreviated keys, and the unique index that a large import builds again after its load took
256 ms on a county's year (108,638 keys); collated "C" it took 120 ms.

SQLite's default collation (BINARY) already compares bytes: nothing to do there. No other column changes: the
category, location and LSOA names are ordered for display and keep the database's collation.

Changing only the collation rewrites no row; PostgreSQL rebuilds the column's index (a national table's keys:
minutes, under an exclusive lock on `crime`). Downgrade gives the column the default collation back.
"""
from alembic import op


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE crime ALTER COLUMN dedup_key TYPE VARCHAR(100) COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE crime ALTER COLUMN dedup_key TYPE VARCHAR(100) COLLATE "default"')
