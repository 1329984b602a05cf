"""incident counted indexes

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 21:45:00.000000

Issue 17 (the Advisory dashboard's CPU): every measure of the dashboard counts the incidents of a time range that
are not void, and reads only a few small columns of them; the incident rows themselves are wide (narrative,
search words), ten to a page on PostgreSQL. Two indexes hold every column those counts read, so both databases
answer them from the index alone (PostgreSQL once autovacuum has marked the pages all-visible, as it does for a
quarter already past):
- `ix_incident_period` (occurred_at, voided_at, arrests, id, category, in_monitored_hours): the period's totals,
  categories, months, hours of the week, arrests, camera links, and the deployables' own use over their whole
  deployments (36,000 incidents read for the demo's quarter: 7,000 table pages before, 700 index pages after);
- `ix_incident_place` gains voided_at: 0008 made it hold every column the deployables' nearby count read, until
  void incidents were left out of the measures (0010) and each candidate row had to be fetched from the table again
  (9,300 pages for the demo's quarter, 300 after).

On PostgreSQL an index answers alone only for table pages marked all-visible, which a VACUUM does. Autovacuum's
default waits for inserts of a fifth of the table (about seven months of a control room's incidents at 60,000
rows), so the incident table is vacuumed after every 1,000 new incidents instead (about three weeks): a quarter is
read from the indexes within weeks of its end. Each such vacuum reads only the pages changed since the last.
"""
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

_PERIOD = ['occurred_at', 'voided_at', 'arrests', 'id', 'category', 'in_monitored_hours']
_PLACE = ['latitude', 'longitude', 'occurred_at', 'arrests']
_VACUUM_AFTER_INSERTS = "autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0"


def upgrade() -> None:
    op.create_index('ix_incident_period', 'incident', _PERIOD, unique=False)
    op.drop_index('ix_incident_place', table_name='incident')
    op.create_index('ix_incident_place', 'incident', [*_PLACE, 'voided_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE incident SET ({_VACUUM_AFTER_INSERTS})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE incident RESET (autovacuum_vacuum_insert_threshold, "
                   "autovacuum_vacuum_insert_scale_factor)")
    op.drop_index('ix_incident_place', table_name='incident')
    op.create_index('ix_incident_place', 'incident', _PLACE, unique=False)
    op.drop_index('ix_incident_period', table_name='incident')
