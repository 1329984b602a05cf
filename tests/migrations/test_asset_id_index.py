"""Migration 0009: the database itself refuses a second camera whose asset id differs only in case, on each backend,
and a database that already holds such a pair is left untouched with the pair named."""

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from cctv.migrate import alembic_config, current_revision, head_revision, upgrade

REVISION = "0009"
BEFORE = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(REVISION).down_revision


def _add(connection: sa.Connection, camera_id: int, asset_id: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO camera (id, asset_id, name, service_area_id, kind, status, location_text, town, ward, "
        "control_room, proactively_monitored, retention_days, manufacturer, model, owner, data_controller, notes, "
        "created_at, updated_at) VALUES (:id, :asset_id, 'A camera', 1, 'public_space_fixed', 'operational', '', "
        "'', '', '', false, 31, '', '', '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"id": camera_id, "asset_id": asset_id})


@pytest.fixture
def engine(empty_url: str):
    upgrade(empty_url, BEFORE)
    engine = sa.create_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO service_area (id, code, name, description) "
                                   "VALUES (1, 'CS', 'Community Safety', '')"))
    yield engine
    engine.dispose()


def test_ids_differing_only_in_case_are_refused_by_the_database(empty_url: str, engine: sa.Engine) -> None:
    with engine.begin() as connection:
        _add(connection, 1, "CS-FIX-001")
    upgrade(empty_url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        _add(connection, 2, "cs-fix-001")
    with engine.begin() as connection:
        _add(connection, 3, "CS-FIX-002")  # a different id still goes in
        assert connection.execute(sa.text("SELECT count(*) FROM camera")).scalar_one() == 2


def test_a_database_holding_such_a_pair_is_not_upgraded_until_one_is_renamed(empty_url: str,
                                                                              engine: sa.Engine) -> None:
    with engine.begin() as connection:
        _add(connection, 1, "CS-FIX-001")
        _add(connection, 2, "cs-fix-001")
        _add(connection, 3, "Park-1")
    with pytest.raises(RuntimeError, match=r"differ only in case: cs-fix-001 \(2 cameras\)\. Rename one"):
        upgrade(empty_url)
    assert current_revision(empty_url) == BEFORE
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE camera SET asset_id = 'CS-FIX-001A' WHERE id = 2"))
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
