"""Alembic migrations: an empty SQLite file and an empty PostgreSQL database upgrade to head, and the migrated
schema is exactly the one the models declare."""

from sqlmodel import select

from cctv.audit import AuditEntry
from cctv.db import Database
from cctv.migrate import current_revision, head_revision, upgrade
from cctv.models import metadata
from inventory.models import Camera
from tests.conftest import make_estate
from tests.migrations.schema import schema_differences, table_names


def test_an_empty_database_upgrades_to_head_and_matches_the_models(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
    assert table_names(empty_url) == set(metadata.tables) | {"alembic_version"}
    assert schema_differences(empty_url) == []


def test_upgrading_twice_changes_nothing(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()
    assert schema_differences(empty_url) == []


def test_the_migrated_schema_holds_an_estate_with_its_audit_trail(empty_url: str) -> None:
    upgrade(empty_url)
    database = Database(empty_url)
    try:
        with database.session("migrated") as s:
            estate = make_estate(s)
        with database.session("check") as s:
            camera = s.get(Camera, estate.town_camera)
            assert camera is not None and camera.created_at.tzinfo is not None
            actors = {e.actor for e in s.exec(select(AuditEntry))}
            assert actors == {"migrated"}
    finally:
        database.engine.dispose()
