"""incident full-text search

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:00:00.000000

Issue 16 (search at 200,000 incidents): the incident log's full-text index, in each database's own kind. SQLite: an
FTS5 table `incident_fts` whose content is `incident` itself, kept in step by three triggers, filled from the rows
already there. PostgreSQL: `ix_incident_search`, a GIN index on the incident's words as a `tsvector` (the database keeps
an expression index in step itself). The words are the reference, police reference, place, arrest offences, outcome
and narrative, cut at every character that is not a letter or digit, lower-cased, not stemmed
(cctv/controlroom/fts.py holds the same statements for databases made from the models; the text here is frozen).
"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_COLUMNS = "reference, police_reference, location_text, arrest_offences, outcome, narrative"
_NEW = ", ".join(f"new.{c.strip()}" for c in _COLUMNS.split(","))
_OLD = ", ".join(f"old.{c.strip()}" for c in _COLUMNS.split(","))
_DOCUMENT = ("to_tsvector('simple'::regconfig, regexp_replace("
             + " || ' ' || ".join(f"coalesce({c.strip()}, '')" for c in _COLUMNS.split(","))
             + ", '[^[:alnum:]]+', ' ', 'g'))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_incident_search ON incident USING gin ({_DOCUMENT})")
        return
    op.execute(f"CREATE VIRTUAL TABLE incident_fts USING fts5({_COLUMNS}, content='incident', content_rowid='id')")
    op.execute(f"CREATE TRIGGER incident_fts_ai AFTER INSERT ON incident BEGIN "
               f"INSERT INTO incident_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END")
    op.execute(f"CREATE TRIGGER incident_fts_ad AFTER DELETE ON incident BEGIN "
               f"INSERT INTO incident_fts(incident_fts, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); END")
    op.execute(f"CREATE TRIGGER incident_fts_au AFTER UPDATE OF {_COLUMNS} ON incident BEGIN "
               f"INSERT INTO incident_fts(incident_fts, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
               f"INSERT INTO incident_fts(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END")
    op.execute("INSERT INTO incident_fts(incident_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_incident_search")
        return
    for trigger in ("incident_fts_ai", "incident_fts_ad", "incident_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS incident_fts")
