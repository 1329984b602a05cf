"""Backup and restore of the whole database, audit trail included.

SQLite is copied with its online backup API (a consistent copy while the app keeps running); PostgreSQL with
`pg_dump --format=custom` and `pg_restore --clean --single-transaction`, the database's own tools, so a council's DBA
can read and use the files without this app. Each backup and each restore is written to the audit trail: a backup
reads every record, a restore replaces them all.
"""

import json
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from cctv.audit import AuditEntry
from cctv.db import Database
from inventory.types import utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore did: the file, the backend, the schema revision and each table's row count."""

    path: Path
    backend: str
    revision: str | None
    rows: dict[str, int]

    def lines(self) -> list[str]:
        """The report in words, for the command line."""
        total = sum(self.rows.values())
        return [f"{self.path} ({self.backend}, schema revision {self.revision or 'unknown'}): {len(self.rows)} tables, "
                f"{total:,} rows, {self.rows.get('audit_entry', 0):,} of them in the audit trail"]


def make_backup(database: Database, target: Path, *, actor: str) -> BackupReport:
    """Write a backup of the whole database to `target` (which must not exist yet)."""
    if target.exists():
        raise BackupError(f"{target} exists already: give a new file name, so no backup is overwritten")
    _record(database, "backup", actor, {"file": target.name})
    backend = _backend(database.engine)
    if backend == "sqlite":
        _sqlite_copy(_sqlite_path(database.engine), target)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
              f"--dbname={_libpq_url(database.engine)}"])
    return BackupReport(target, backend, _revision(database.engine), row_counts(database.engine))


def restore_backup(database: Database, source: Path, *, actor: str) -> BackupReport:
    """Replace every record of the database with those of the backup `source`, then record the restore."""
    backend = _backend(database.engine)
    _check_format(source, backend)
    if backend == "sqlite":
        database.engine.dispose()  # no pooled connection may hold pages of the database being replaced
        _sqlite_copy(source, _sqlite_path(database.engine))
    else:
        database.engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={_libpq_url(database.engine)}", str(source)])
    _record(database, "restore", actor, {"file": source.name})
    return BackupReport(source, backend, _revision(database.engine), row_counts(database.engine))


def row_counts(engine: Engine) -> dict[str, int]:
    """Each table's number of rows."""
    with engine.connect() as connection:
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in sorted(inspect(connection).get_table_names())}


def _record(database: Database, action: str, actor: str, details: dict[str, str]) -> None:
    # An entry of the trail's own, about the whole database rather than one record.
    with database.transaction(actor) as session:
        session.add(AuditEntry(at=utcnow(), actor=actor, action=action, table_name="database", record_id="*",
                               changes=json.dumps({key: {"after": value} for key, value in details.items()})))


def _backend(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup for a {name} database")
    return name


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore into")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API, through a temporary file for a new one."""
    if target.exists():
        _backup_api(source, target)
        return
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        partial = Path(folder) / target.name
        _backup_api(source, partial)
        shutil.move(partial, target)  # a half-written backup never carries the final name


def _backup_api(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _check_format(source: Path, backend: str) -> None:
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if backend == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{source} is not a SQLite backup (a PostgreSQL one is restored into PostgreSQL)")
    if backend == "postgresql" and not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(f"{source} is not a pg_dump custom-format backup (a SQLite one is restored into SQLite)")


def _libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (no SQLAlchemy driver name), password included."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
