"""crime geometry on PostGIS

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 18:30:00.000000

Issue 15 (PostGIS as the engine beyond one machine's memory): on PostgreSQL with PostGIS available, install the
extension in its own schema `postgis` (when the role may) and give `crime` a generated National Grid point
`geom` (EPSG:27700, from easting/northing, so every insert path fills it) with a GiST index. On SQLite, or on a
PostgreSQL server without PostGIS, nothing changes and the app works from memory as before.
(siting/store/postgis.py holds the same statements for databases made from the models; the text here is frozen.)
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def _schema(bind) -> str | None:
    return bind.execute(sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                "WHERE extname = 'postgis'")).scalar()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    schema = _schema(bind)
    if schema is None and bind.execute(sa.text("SELECT 1 FROM pg_available_extensions "
                                               "WHERE name = 'postgis'")).scalar():
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE SCHEMA IF NOT EXISTS postgis"))
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis"))
        except sa.exc.DBAPIError:  # not permitted (PostGIS needs a superuser): the app works without it
            pass
        schema = _schema(bind)
    if schema is None:
        return
    op.execute(f"ALTER TABLE crime ADD COLUMN IF NOT EXISTS geom {schema}.geometry(Point, 27700) "
               f"GENERATED ALWAYS AS ({schema}.ST_SetSRID({schema}.ST_MakePoint(easting, northing), 27700)) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS ix_crime_geom ON crime USING gist (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX IF EXISTS ix_crime_geom")
    op.execute("ALTER TABLE crime DROP COLUMN IF EXISTS geom")
