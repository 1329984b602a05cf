"""crime month index carries the id (PostgreSQL)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 01:00:00.000000

Issue 15 (`cctv siting score` under 1.5 s at 457k stored crimes): every model run checks the month packs against
`crime` (`siting.store.columns.signatures`: each month's count and highest id). On PostgreSQL that read the whole
table (about 170 MB at 457k rows: 106-175 ms); with the id carried in the month index's leaf pages
(`INCLUDE (id)`) it is an index-only scan once autovacuum has marked the pages visible (66 ms). SQLite keeps the
rowid, which is `crime.id`, in every index already: nothing changes there.
"""
from alembic import op


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_crime_month_category', table_name='crime')
    op.create_index('ix_crime_month_category', 'crime', ['month', 'category'], postgresql_include=['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_crime_month_category', table_name='crime')
    op.create_index('ix_crime_month_category', 'crime', ['month', 'category'])
