"""Migration 0027: on PostgreSQL the crimes' month index carries the id (`INCLUDE (id)`), so the month packs' check
(each month's count and highest id) can be answered from the index alone; on SQLite, where every index holds the
rowid already, nothing changes. Down again, the index is as 0026 left it. (A large import drops the index and builds
it again from the catalogue's own definition: tests/siting/test_pg_copy.py holds the definitions equal.)"""

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from cctv.migrate import alembic_config, upgrade


def _month_index(connection: Connection) -> str:
    """The month index's definition as the database holds it."""
    if connection.dialect.name == "sqlite":
        return connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_crime_month_category'")).scalar()
    return connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_crime_month_category'")
                              ).scalar()


def test_0027_carries_the_id_in_the_month_index_on_postgresql_only_and_goes_back(empty_url: str) -> None:
    upgrade(empty_url, "0026")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            before = _month_index(connection)
        upgrade(empty_url, "0027")
        with engine.begin() as connection:
            after = _month_index(connection)
        if engine.dialect.name == "postgresql":
            assert "INCLUDE" not in before
            assert after.endswith("USING btree (month, category) INCLUDE (id)"), after
        else:
            assert after == before  # SQLite: a no-op
        command.downgrade(alembic_config(empty_url), "0026")
        with engine.begin() as connection:
            assert _month_index(connection) == before
    finally:
        engine.dispose()
