"""Alembic, driven from code: the CLI, the dev server and the tests upgrade the same way.

Alembic (with Mako) takes most of a second to import, so it is imported only to migrate: knowing whether a database
is at the newest revision, which every `cctv` command asks first, reads the revision ids from the migration files
and the database's `alembic_version` table directly.
"""

import re
from pathlib import Path
from typing import TYPE_CHECKING

from cctv.db import normalise_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> "Config":
    """An Alembic configuration for this database URL (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return _revision_on(connection)
    finally:
        engine.dispose()


def _revision_on(connection: "Connection", tables: set[str] | None = None) -> str | None:
    """The revision recorded on this connection's database (None when it has no `alembic_version`)."""
    from sqlalchemy import inspect, text

    if tables is None:
        tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$""", re.MULTILINE)
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


def head_revision() -> str:
    """The newest revision in the code: the one no migration names as its `down_revision`. Read from the files'
    `revision = ...` lines (the form `alembic revision` writes), not through Alembic (see the module)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).update(_QUOTED.findall(value))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads ({', '.join(sorted(heads))}): expected one")
    return heads.pop()


class SchemaBehind(RuntimeError):
    """The database was migrated once but is older than the code: `cctv db upgrade` must run first."""


def ensure_schema(url: str, engine: "Engine | None" = None) -> bool:
    """Migrate a database that holds no table at all (a fresh install) and say so (True); refuse one whose schema
    is behind the code with the command to run (SchemaBehind). A database with tables but no Alembic revision
    (made by `metadata.create_all`, as the tests do) is left as it is.

    `engine` is the app's own engine for `url` when the caller has one: every `cctv` command asks this first, and on
    PostgreSQL a new engine costs a connection and the dialect's set-up queries, so the check reads the table names
    and the revision on one connection of it, which the command then reuses from the pool."""
    from sqlalchemy import create_engine, inspect

    own = engine is None
    engine = create_engine(normalise_url(url)) if engine is None else engine
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            current = _revision_on(connection, tables) if tables else None
    finally:
        if own:
            engine.dispose()
    if not tables:
        upgrade(url)
        return True
    if "alembic_version" in tables:
        head = head_revision()
        if current != head:
            raise SchemaBehind(f"the database schema ({current}) is older than this code ({head}): "
                               "run `cctv db upgrade` first")
    return False
