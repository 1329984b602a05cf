"""A database migrated with an earlier text of 0005 upgrades to head with the indexes that text lacked.

0005 landed in 42b332e and was edited in f13de3e (indexes on incident and evidence times) and d088f1c (the
day's log index on incident (room, occurred)). tests/fixtures/migrations holds 0005 as it was at each of the
first two commits; the database is built by upgrading to 0004, running that text's upgrade and stamping 0005,
as `cctv db upgrade` did on the day.
"""

from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine

from cctv.migrate import alembic_config, current_revision, head_revision, upgrade
from tests.migrations.rows import insert_rows, rows_missing
from tests.migrations.schema import index_names, schema_differences

OLD_TEXTS = Path(__file__).parents[1] / "fixtures" / "migrations"
ADDED_LATER = {"incident": {"ix_incident_occurred_at", "ix_incident_room_occurred"},
               "evidence_request": {"ix_evidence_request_produced_at"}}
# What each earlier text lacks of the indexes the current 0005 creates.
LACKING = {"42b332e": ADDED_LATER, "f13de3e": {"incident": {"ix_incident_room_occurred"}}}


def migrate_with_old_0005(url: str, commit: str) -> None:
    """Bring an empty database to 0005 as 0005's text at `commit` made it."""
    upgrade(url, "0004")
    module = ModuleType(f"migration_0005_at_{commit}")
    source = OLD_TEXTS / f"0005_at_{commit}.py.txt"
    exec(compile(source.read_text(), str(source), "exec"), module.__dict__)
    engine = create_engine(url)
    try:
        with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            module.upgrade()
    finally:
        engine.dispose()
    command.stamp(alembic_config(url), "0005")


def missing_indexes(url: str) -> dict[str, set[str]]:
    """Which of the indexes added to 0005 after it landed the database lacks."""
    lacking = {table: names - index_names(url, table) for table, names in ADDED_LATER.items()}
    return {table: names for table, names in lacking.items() if names}


@pytest.mark.parametrize("commit", sorted(LACKING))
def test_a_database_at_an_earlier_0005_gains_the_missing_indexes(empty_url: str, commit: str) -> None:
    migrate_with_old_0005(empty_url, commit)
    assert current_revision(empty_url) == "0005"
    assert missing_indexes(empty_url) == LACKING[commit]
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            written = insert_rows(connection)

        upgrade(empty_url)

        assert current_revision(empty_url) == head_revision()
        assert missing_indexes(empty_url) == {}
        assert schema_differences(empty_url) == []
        with engine.connect() as connection:
            assert rows_missing(connection, written) == {}
    finally:
        engine.dispose()
    command.downgrade(alembic_config(empty_url), "base")
