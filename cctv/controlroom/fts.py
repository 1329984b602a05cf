"""The incident log's full-text index, in each database's own kind: an FTS5 table on SQLite, a GIN index on a
`tsvector` column on PostgreSQL.

Both index the same words the same way, so a search finds the same incidents on either database: the reference,
police reference, place, arrest offences, outcome and narrative, split into runs of letters and digits, lower-cased,
not stemmed ("WY-2026-018547" is the words wy, 2026, 018547; "CAD 1234/07DEC" is cad, 1234, 07dec). PostgreSQL's own
parser would keep "1234/07dec" as one file-path token, so the text is cut at every other character first.

The database keeps the index in step with the rows: on SQLite triggers copy every insert, update and delete into the
FTS5 table (its content lives in `incident` itself, so nothing is stored twice); on PostgreSQL the words are a stored
generated column, `incident.search_words`, computed when a row is written, with the GIN index on it. (Migration 0011
put the index on the expression itself; then a plan that filters rows one by one, newest first, recomputed every
row's words: 2.8 s at 200,000 incidents for a street and a common word. 0022 stores them.) `metadata.create_all`
creates them through `attach` (the tests build their databases so); migrations 0011 and 0022 create the same objects
for migrated databases. None of them is declared by the models (the ORM never loads the words), so the schema
comparison leaves out the names `is_search_index` recognises.
"""

import re

from sqlalchemy import DDL, Table, event

FTS_TABLE = "incident_fts"
PG_INDEX = "ix_incident_search"
PG_COLUMN = "search_words"
COLUMNS = ("reference", "police_reference", "location_text", "arrest_offences", "outcome", "narrative")

_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
_names = ", ".join(COLUMNS)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_names}, content='incident', content_rowid='id')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON incident BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {_names}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON incident BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_names}) VALUES ('delete', old.id, {_old}); END",
    # Only a change to an indexed column touches the index (closing an incident or flagging it does not).
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF {_names} ON incident BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_names}) VALUES ('delete', old.id, {_old}); "
    f"INSERT INTO {FTS_TABLE}(rowid, {_names}) VALUES (new.id, {_new}); END",
)
SQLITE_DROP = (*(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{kind}" for kind in ("ai", "ad", "au")),
               f"DROP TABLE IF EXISTS {FTS_TABLE}")


def pg_document() -> str:
    """The expression of an incident's words on PostgreSQL, which the stored column `PG_COLUMN` holds."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in COLUMNS)
    return f"to_tsvector('simple'::regconfig, regexp_replace({joined}, '[^[:alnum:]]+', ' ', 'g'))"


PG_INDEX_CREATE = f"CREATE INDEX {PG_INDEX} ON incident USING gin ({PG_COLUMN})"
PG_CREATE = (
    f"ALTER TABLE incident ADD COLUMN {PG_COLUMN} tsvector GENERATED ALWAYS AS ({pg_document()}) STORED",
    PG_INDEX_CREATE,
)
PG_DROP = (f"DROP INDEX IF EXISTS {PG_INDEX}",)  # the index only (a bulk load builds it once afterwards)

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 12  # a search is a few words; more adds nothing but work for the index
MAX_WORD = 64


def words(text: str | None) -> list[str]:
    """The words of a search as the index holds them: runs of letters and digits, lower-cased, at most 12."""
    return [w[:MAX_WORD] for w in _WORD.findall((text or "").lower())][:MAX_WORDS]


# Whole words, not word starts: a short start ("bo") stands for hundreds of words, and at 200,000 incidents one such
# search took 2 s on PostgreSQL against 40 ms for whole words (bench/search.py).
def sqlite_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every word, each quoted (so nothing typed is read as FTS5 syntax)."""
    return " ".join(f'"{w}"' for w in terms)


def pg_query(terms: list[str]) -> str:
    """A `to_tsquery('simple', …)` text: every word (words hold only letters and digits, never tsquery syntax)."""
    return " & ".join(terms)


def is_search_index(name: str | None) -> bool:
    """Whether a table, column or index name is part of the full-text index (the FTS5 table and its shadow tables,
    PostgreSQL's stored words and their index)."""
    return name is not None and (name in (PG_INDEX, PG_COLUMN, FTS_TABLE) or name.startswith(f"{FTS_TABLE}_"))


def attach(incident: Table) -> None:
    """Create and drop the index with the incident table when the metadata creates or drops it."""
    for statement in SQLITE_CREATE:
        event.listen(incident, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in PG_CREATE:
        event.listen(incident, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DROP:
        event.listen(incident, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
