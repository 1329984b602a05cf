"""`cctv backup` and `cctv restore`: a round trip loses nothing, audit trail included, on each database."""

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select as sa_select
from sqlmodel import select

from cctv.audit import AuditEntry
from cctv.cli import cli
from cctv.db import Database
from cctv.models import metadata
from inventory.models import Camera, ServiceArea
from tests.conftest import build_app


@pytest.fixture
def app(database: Database) -> Flask:
    """The app on the test database, holding the small estate and its accounts (whose creation the trail recorded)."""
    return build_app(database.engine.url.render_as_string(hide_password=False))


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, args=list(args))
    return result.exit_code, result.output


def everything(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = app.extensions["cctv_db"].engine
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
            sa_select(table).order_by(*table.primary_key.columns))] for table in metadata.sorted_tables}


def test_a_restore_brings_back_every_record_and_the_trail_records_both(app: Flask, tmp_path: Path) -> None:
    before = everything(app)
    assert before["audit_entry"], "the estate's creation is in the trail"
    code, output = run(app, "backup", str(tmp_path / "cctv.backup"))
    assert code == 0, output
    assert "Backed up" in output and "audit trail" in output

    database: Database = app.extensions["cctv_db"]
    with database.transaction("vandal") as session:  # lose a camera, add an area: all of it must be undone
        session.delete(session.exec(select(Camera).where(Camera.asset_id == "CS-001")).one())
        session.add(ServiceArea(code="NEW", name="Added after the backup"))
    assert everything(app)["camera"] != before["camera"]

    code, output = run(app, "restore", str(tmp_path / "cctv.backup"), "--yes")
    assert code == 0, output
    after = everything(app)
    for table, rows in before.items():
        if table != "audit_entry":
            assert after[table] == rows, table
    # The trail as it was, then the backup's own entry (taken into the backup) and the restore's.
    assert after["audit_entry"][:len(before["audit_entry"])] == before["audit_entry"]
    with database.session() as session:
        added = session.exec(select(AuditEntry).order_by(AuditEntry.id).offset(len(before["audit_entry"]))).all()
    assert [(e.action, e.table_name, e.actor) for e in added] == [
        ("backup", "database", "cli-backup"), ("restore", "database", "cli-restore")]
    assert added[0].changed() == {"file": {"after": "cctv.backup"}}


def test_a_backup_never_overwrites_a_file(app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "kept.backup"
    target.write_bytes(b"an older backup")
    code, output = run(app, "backup", str(target))
    assert code != 0 and "exists already" in output
    assert target.read_bytes() == b"an older backup"


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(app: Flask, tmp_path: Path) -> None:
    before = everything(app)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    code, output = run(app, "restore", str(bogus), "--yes")
    assert code != 0 and "is not a" in output and "backup" in output
    assert everything(app) == before


def test_restore_asks_first(app: Flask, tmp_path: Path) -> None:
    run(app, "backup", str(tmp_path / "b"))
    result = app.test_cli_runner().invoke(cli, args=["restore", str(tmp_path / "b")], input="n\n")
    assert result.exit_code != 0 and "Replace every record" in result.output
