"""incident place index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:30:00.000000

Issue 17 (the Advisory dashboard under 300 ms): ix_incident_place on incident (latitude, longitude, occurred_at,
arrests). The deployables measure counts the incidents within 100 m of each deployment in windows as long as the
deployment, often years; by the occurred-at index that read most of the table for each deployment (about 270 ms
for the demo's quarter on SQLite). By latitude it reads a narrow band of the map, and the index holds every column
the measure reads, so the table itself is not touched (about 30 ms).
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_incident_place', 'incident', ['latitude', 'longitude', 'occurred_at', 'arrests'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_incident_place', table_name='incident')
