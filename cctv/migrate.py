"""Alembic, driven from code: the CLI, the dev server and the tests upgrade the same way."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from cctv.db import normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for this database URL (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest revision in the code."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


class SchemaBehind(RuntimeError):
    """The database was migrated once but is older than the code: `cctv db upgrade` must run first."""


def ensure_schema(url: str) -> bool:
    """Migrate a database that holds no table at all (a fresh install) and say so (True); refuse one whose schema
    is behind the code with the command to run (SchemaBehind). A database with tables but no Alembic revision
    (made by `metadata.create_all`, as the tests do) is left as it is."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    if not tables:
        upgrade(url)
        return True
    if "alembic_version" in tables:
        current, head = current_revision(url), head_revision()
        if current != head:
            raise SchemaBehind(f"the database schema ({current}) is older than this code ({head}): "
                               "run `cctv db upgrade` first")
    return False
