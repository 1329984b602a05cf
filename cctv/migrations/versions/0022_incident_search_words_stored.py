"""incident search words stored

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:00:00.000000

Issue 17 (search at 200,000 incidents on PostgreSQL): the incident's words as a stored generated column,
`incident.search_words` (a `tsvector`), with the GIN index `ix_incident_search` on it instead of on the expression.
With the index on the expression, a plan that filters rows one by one (newest first, stopping at a page of results)
computed the words of every row it passed: 2.8 s for a street and a common word at 200,000 incidents. Stored, each
row's words are computed once, when it is written. SQLite's FTS5 table is unchanged. The expression is 0011's (the
text here is frozen; cctv/controlroom/fts.py holds the same for databases made from the models).
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

_COLUMNS = "reference, police_reference, location_text, arrest_offences, outcome, narrative"
_DOCUMENT = ("to_tsvector('simple'::regconfig, regexp_replace("
             + " || ' ' || ".join(f"coalesce({c.strip()}, '')" for c in _COLUMNS.split(","))
             + ", '[^[:alnum:]]+', ' ', 'g'))")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_incident_search")
    op.execute(f"ALTER TABLE incident ADD COLUMN search_words tsvector GENERATED ALWAYS AS ({_DOCUMENT}) STORED")
    op.execute("CREATE INDEX ix_incident_search ON incident USING gin (search_words)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_incident_search")
    op.execute("ALTER TABLE incident DROP COLUMN search_words")
    op.execute(f"CREATE INDEX ix_incident_search ON incident USING gin ({_DOCUMENT})")
