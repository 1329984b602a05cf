"""Migration 0026: on PostgreSQL `crime.dedup_key` and its unique index are collated "C", and back to the default on
the way down; on SQLite (whose BINARY default already compares bytes) nothing changes. The keys are kept and stay
unique either way."""

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from cctv.migrate import alembic_config, upgrade

_CRIME_IMPORT = ("INSERT INTO crime_import (id, imported_by, files_json, area, rows_read, added, duplicates, "
                 "without_location, outside_area, unplaced, problem_rows, problems_json, months_json, imported_at) "
                 "VALUES (1, 'tester', '[]', '', 0, 0, 0, 0, 0, 0, 0, '[]', '[]', '2025-01-01 00:00:00')")
_CRIME = ("INSERT INTO crime (dedup_key, month, category, location, lsoa_code, lsoa_name, outcome, falls_within, "
          "source_file, import_id) VALUES (:key, '2025-01-01', 'Burglary', '', '', '', '', '', '', 1)")
KEYS = ["b0f3", "B0F3", "a9e1", "é-key", "Z"]  # upper and lower case differ in "C" and in a libc collation alike


def _collations(connection: Connection) -> tuple:
    """The column's collation and its unique index's (PostgreSQL: names; SQLite: the schema's text)."""
    if connection.dialect.name == "sqlite":
        return tuple(connection.execute(text("SELECT sql FROM sqlite_master WHERE tbl_name = 'crime' "
                                             "ORDER BY name")).scalars())
    column = connection.execute(text(
        "SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
        "WHERE a.attrelid = 'crime'::regclass AND a.attname = 'dedup_key'")).scalar()
    index = connection.execute(text(
        "SELECT c.collname FROM pg_index i JOIN pg_collation c ON c.oid = i.indcollation[0] "
        "WHERE i.indexrelid = 'ix_crime_dedup_key'::regclass AND i.indisunique")).scalar()
    return column, index


def test_0026_collates_the_dedup_key_c_on_postgresql_only_and_goes_back(empty_url: str) -> None:
    upgrade(empty_url, "0025")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(_CRIME_IMPORT))
            connection.execute(text(_CRIME), [{"key": key} for key in KEYS])
            before = _collations(connection)

        upgrade(empty_url, "0026")
        with engine.begin() as connection:
            after = _collations(connection)
            assert sorted(connection.execute(text("SELECT dedup_key FROM crime")).scalars()) == sorted(KEYS)
        with pytest.raises(IntegrityError), engine.begin() as connection:  # still unique, by the rebuilt index
            connection.execute(text(_CRIME), {"key": "a9e1"})
        if engine.dialect.name == "postgresql":
            assert before == ("default", "default")
            assert after == ("C", "C")
        else:
            assert after == before  # SQLite: a no-op

        command.downgrade(alembic_config(empty_url), "0025")
        with engine.begin() as connection:
            assert _collations(connection) == before
            assert sorted(connection.execute(text("SELECT dedup_key FROM crime")).scalars()) == sorted(KEYS)
    finally:
        engine.dispose()
