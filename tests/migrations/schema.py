"""What a migrated database holds, compared with what the models declare."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect

from cctv.controlroom.fts import is_search_index
from cctv.models import metadata
from siting.store.postgis import is_postgis_object


def schema_differences(url: str) -> list:
    """What alembic's autogenerate would change to make the database match the models (types compared too).

    One kind is known-benign: the incidents' full-text index (cctv/controlroom/fts.py: SQLite's FTS5 table and its
    shadow tables, PostgreSQL's GIN expression index) is made by DDL beside the incident table, not declared as a
    model, so autogenerate would drop it; `tests/controlroom/test_search_index.py` checks it instead. Every other
    difference counts. The crimes' PostGIS point and its index are the other known kind (`_postgis`).

    Autogenerate does not compare collations (a column collated in the models but not in the database passes), so
    each column's collation is compared too (`_collation_differences`): `crime.dedup_key` is collated "C" on
    PostgreSQL (migration 0026).
    """
    engine = create_engine(url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLAlchemy cannot reflect SQLite's expression indexes (it warns and skips them); alembic then leaves
            # them out of the comparison. tests/migrations/test_asset_id_index.py proves the one there is made.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
            warnings.filterwarnings("ignore", "Did not recognize type 'postgis.geometry'")  # the crimes' point
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [diff for diff in compare_metadata(context, metadata)
                    if not _search_index(diff) and not _postgis(diff)] + _collation_differences(connection)
    finally:
        engine.dispose()


def _collation_differences(connection: Connection) -> list[tuple]:
    """("modify_collation", table, column, the database's, the models') for each column whose collation differs."""
    inspector = inspect(connection)
    differences = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue  # a missing table is autogenerate's own difference
        reflected = {column["name"]: getattr(column["type"], "collation", None)
                     for column in inspector.get_columns(table.name)}
        for column in table.columns:
            declared = getattr(column.type.dialect_impl(connection.dialect), "collation", None)
            if column.name in reflected and reflected[column.name] != declared:
                differences.append(("modify_collation", table.name, column.name, reflected[column.name], declared))
    return differences


def _search_index(diff: tuple) -> bool:
    """Whether an autogenerate difference is about the full-text index (see schema_differences)."""
    if diff and diff[0] in ("add_column", "remove_column"):  # (kind, schema, table, column)
        return is_search_index(getattr(diff[3], "name", None))
    target = diff[1] if len(diff) > 1 else None
    return is_search_index(getattr(target, "name", None))


def _postgis(diff: tuple) -> bool:
    """Whether a difference is the crimes' PostGIS point or its index (siting/store/postgis.py: DDL beside the
    table, made only when the server has PostGIS; tests/siting/test_postgis_*.py check it)."""
    target = diff[3] if diff[0] in ("add_column", "remove_column") else (diff[1] if len(diff) > 1 else None)
    return is_postgis_object(getattr(target, "name", None))


def table_names(url: str) -> set[str]:
    """The tables in the database (the full-text index's FTS5 tables left out, see schema_differences)."""
    engine = create_engine(url)
    try:
        return {name for name in inspect(engine).get_table_names()
                if not is_search_index(name) and not is_postgis_object(name)}
    finally:
        engine.dispose()


def index_names(url: str, table: str) -> set[str]:
    """The names of a table's indexes."""
    engine = create_engine(url)
    try:
        return {index["name"] for index in inspect(engine).get_indexes(table)}
    finally:
        engine.dispose()
