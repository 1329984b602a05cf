"""indexes 0005 gained after it was released

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:00:00.000000

Migration 0005 was edited twice after it landed on main (42b332e):
  - f13de3e added ix_incident_occurred_at and ix_evidence_request_produced_at (the outcome measures' times);
  - d088f1c added ix_incident_room_occurred on incident (control_room_id, occurred_at) (the day's log).
A database migrated with an earlier text of 0005 says it is at 0005 but lacks them. This creates each of them
that is missing, looking first, so a database migrated with the current 0005 is left as it is.
Released migrations are never edited: tests/migrations/test_released.py holds them to their released text.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# (table, index, columns): what 0005 as it stands creates and its first released text did not.
INDEXES = (
    ('incident', 'ix_incident_occurred_at', ['occurred_at']),
    ('incident', 'ix_incident_room_occurred', ['control_room_id', 'occurred_at']),
    ('evidence_request', 'ix_evidence_request_produced_at', ['produced_at']),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = {table: {index['name'] for index in inspector.get_indexes(table)} for table, _, _ in INDEXES}
    for table, name, columns in INDEXES:
        if name not in existing[table]:
            op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    # Nothing to undo. The schema at 0005 is what 0005's text in the code creates, which includes these
    # indexes, and 0005's downgrade drops them by name: dropping them here would make that downgrade fail.
    pass
