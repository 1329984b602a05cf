"""PostGIS, when the PostgreSQL database has it: every stored crime carries a National Grid point with a GiST index.

The point is a generated column, `crime.geom = ST_SetSRID(ST_MakePoint(easting, northing), 27700)`, so every insert
path (the ORM, executemany, COPY) fills it and no code has to remember to. Counting, coverage and the hotspot grid
then run in the database on any area it holds (`siting.store.postgis_sql`, `siting.store.postgis_grid`), instead of
reading every crime into memory. Without PostGIS (SQLite, or a PostgreSQL server without the extension) there is no
column and the app works from memory as before.

The extension lives in its own schema, `postgis`, when the app installs it: in `public` its `spatial_ref_sys` table
would make a fresh database look non-empty to `cctv.migrate.ensure_schema` and would be counted as one of the app's
tables. A server where the DBA installed it elsewhere is used as it is: every PostGIS name here is qualified with the
extension's own schema, so nothing depends on the search path.

Like the incidents' full-text index (`cctv.controlroom.fts`), the column and its index are made by DDL beside the
`crime` table rather than declared in the model: `metadata.create_all` adds them through the listener below when the
extension is installed, migration 0018 for migrated databases (with a frozen copy of the statements). The schema
comparison leaves out the names `is_postgis_object` recognises.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from siting.store.tables import Crime

GEOMETRY_COLUMN = "geom"
GEOMETRY_INDEX = "ix_crime_geom"
SCHEMA = "postgis"  # where `install_postgis` puts the extension
SRID = 27700  # British National Grid, the metres of `crime.easting`/`crime.northing`

_known: weakref.WeakKeyDictionary[Engine, str | None] = weakref.WeakKeyDictionary()


def extension_schema(connection: Connection) -> str | None:
    """The schema holding the installed PostGIS extension, None when it is not installed (or not PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return None
    return connection.execute(text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                   "WHERE extname = 'postgis'")).scalar()


def install_postgis(connection: Connection) -> str | None:
    """Install the extension in its own schema when the server offers it and the role may (a superuser, as
    PostGIS is not a trusted extension); its schema, or None when it cannot be had. Never fails the caller's
    transaction: the attempt runs in a savepoint."""
    schema = extension_schema(connection)
    if schema is not None or connection.dialect.name != "postgresql":
        return schema
    offered = connection.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    if not offered:
        return None
    try:
        with connection.begin_nested():
            connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
            connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS postgis SCHEMA {SCHEMA}"))
    except DBAPIError:  # not permitted (PostGIS needs a superuser): the app works without it
        return None
    return extension_schema(connection)


def geometry_ddl(schema: str) -> tuple[str, ...]:
    """The statements adding the generated point and its GiST index to `crime`."""
    return (
        f"ALTER TABLE crime ADD COLUMN IF NOT EXISTS {GEOMETRY_COLUMN} {schema}.geometry(Point, {SRID}) "
        f"GENERATED ALWAYS AS ({schema}.ST_SetSRID({schema}.ST_MakePoint(easting, northing), {SRID})) STORED",
        f"CREATE INDEX IF NOT EXISTS {GEOMETRY_INDEX} ON crime USING gist ({GEOMETRY_COLUMN})",
    )


def add_crime_geometry(connection: Connection) -> bool:
    """Add the point and its index to `crime` when PostGIS is installed; whether it did."""
    schema = extension_schema(connection)
    if schema is None:
        return False
    for statement in geometry_ddl(schema):
        connection.execute(text(statement))
    _known.pop(connection.engine, None)
    return True


def crime_geometry(connection: Connection) -> str | None:
    """The PostGIS schema when `crime` carries its point (the SQL paths can run), else None. Looked up once per
    engine: the answer changes only with a migration, and the app restarts after one."""
    engine = connection.engine
    if engine in _known:
        return _known[engine]
    schema = extension_schema(connection)
    if schema is not None:
        has_column = connection.execute(text(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'crime' AND column_name = :column"), {"column": GEOMETRY_COLUMN}).scalar()
        schema = schema if has_column else None
    _known[engine] = schema
    return schema


def forget(engine: Engine) -> None:
    """Look PostGIS up again on this engine's next use (after a migration in the same process)."""
    _known.pop(engine, None)


def is_postgis_object(name: str | None) -> bool:
    """Whether a table, column or index name is PostGIS's or this module's (left out of the schema comparison)."""
    return name in (GEOMETRY_COLUMN, GEOMETRY_INDEX, "spatial_ref_sys")


def _after_create(table: Table, connection: Connection, **_: object) -> None:
    add_crime_geometry(connection)


event.listen(Crime.__table__, "after_create", _after_create)  # type: ignore[attr-defined]
