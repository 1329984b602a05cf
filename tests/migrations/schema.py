"""What a migrated database holds, compared with what the models declare."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from cctv.models import metadata


def schema_differences(url: str) -> list:
    """What alembic's autogenerate would change to make the database match the models (types compared too).

    Nothing is known-benign on SQLite or PostgreSQL today, so every difference counts; one that proves harmless
    on a backend would be filtered here, with the reason.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLAlchemy cannot reflect SQLite's expression indexes (it warns and skips them); alembic then leaves
            # them out of the comparison. tests/migrations/test_asset_id_index.py proves the one there is made.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    """The tables in the database."""
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def index_names(url: str, table: str) -> set[str]:
    """The names of a table's indexes."""
    engine = create_engine(url)
    try:
        return {index["name"] for index in inspect(engine).get_indexes(table)}
    finally:
        engine.dispose()
