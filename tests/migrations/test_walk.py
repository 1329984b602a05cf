"""Every revision upgrades to head with its data kept and head's schema exact, and goes back down to base.

For each revision: an empty database is upgraded to it, given a row in every table it has (tests/migrations/
rows.py), upgraded to head, checked (the rows read back as written; autogenerate finds nothing to change), then
downgraded to base, which must leave no table but alembic's own.
"""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from cctv.migrate import alembic_config, current_revision, head_revision, upgrade
from cctv.models import metadata
from tests.migrations.rows import ROWS, insert_rows, rows_missing
from tests.migrations.schema import schema_differences, table_names

REVISIONS = [script.revision for script in
             reversed(list(ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()))]


def test_every_table_has_a_representative_row() -> None:
    """A new table needs its row in rows.py, or the walk would carry no data through it."""
    assert set(ROWS) == set(metadata.tables)


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_at_each_revision_upgrades_to_head_with_its_rows_and_back_to_base(empty_url: str,
                                                                                     revision: str) -> None:
    upgrade(empty_url, revision)
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            written = insert_rows(connection)
        assert {"service_area", "camera"} <= written

        upgrade(empty_url)

        assert current_revision(empty_url) == head_revision()
        assert schema_differences(empty_url) == []
        with engine.connect() as connection:
            assert rows_missing(connection, written) == {}

        command.downgrade(alembic_config(empty_url), "base")

        assert current_revision(empty_url) is None
        assert table_names(empty_url) == {"alembic_version"}
        if engine.dialect.name == "postgresql":
            assert inspect(engine).get_sequence_names() == []
    finally:
        engine.dispose()
