"""Bulk insert of crime rows that skips rows already stored: `INSERT … ON CONFLICT (dedup_key) DO NOTHING`.

The statement is SQLAlchemy Core's, from the dialect's own `insert` (SQLite or PostgreSQL), compiled once per
import and run with the driver's executemany. Why not `connection.execute(statement, list_of_dicts)`: SQLAlchemy
then builds and type-processes every row's parameters in Python, which took as long as SQLite's own insert and put
the import far outside its budget (at most 4× a plain csv read of the same files). The rows handed in here are
already plain str/float/int/None, which both drivers take as they are; the one typed column, the month, goes
through the dialect's own bind processor once per distinct month.

On PostgreSQL the rows go by `COPY` into a temporary table with no index, then one
`INSERT … SELECT … ON CONFLICT (dedup_key) DO NOTHING` moves them into `crime` at `finish()`: psycopg's
executemany sent one statement per row and made a year of a force's crimes (108k rows) take about 5 s, against
about 2.5 s this way (`python bench/siting.py`; the server maintains the indexes either way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from siting.store import pg_copy
from siting.store.tables import Crime

# The order of the values in each row given to `CrimeInsert.run`.
COLUMNS: tuple[str, ...] = ("dedup_key", "crime_id", "month", "category", "longitude", "latitude", "easting",
                            "northing", "location", "lsoa_code", "lsoa_name", "outcome", "falls_within",
                            "source_file", "import_id")


def insert_ignoring_duplicates(connection: Connection) -> Insert:
    """INSERT INTO crime … ON CONFLICT (dedup_key) DO NOTHING, in the connection's dialect."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Crime.__table__).on_conflict_do_nothing(index_elements=["dedup_key"])
    if dialect == "sqlite":
        return sqlite.insert(Crime.__table__).on_conflict_do_nothing(index_elements=["dedup_key"])
    raise NotImplementedError(f"crime import supports SQLite and PostgreSQL, not {dialect}")


class CrimeInsert:
    """`insert_ignoring_duplicates`, compiled once for a connection, run batch by batch on that connection."""

    def __init__(self, connection: Connection) -> None:
        """Compile the statement for the connection's dialect and find how it wants its parameters."""
        self.connection = connection
        compiled = insert_ignoring_duplicates(connection).compile(dialect=connection.dialect,
                                                                  column_keys=list(COLUMNS))
        self.sql = compiled.string
        self.positional = bool(compiled.positional)  # SQLite: "?" in column order; psycopg: %(name)s
        if self.positional and tuple(compiled.positiontup or ()) != COLUMNS:
            raise RuntimeError(f"unexpected bind parameters in {self.sql}")
        month_type = Crime.__table__.c.month.type.dialect_impl(connection.dialect)  # type: ignore[attr-defined]
        self._month_processor = month_type.bind_processor(connection.dialect)
        self._months: dict[date, Any] = {}

    def months(self, months: set[date]) -> dict[date, Any]:
        """Each month as the driver wants it: an ISO string for SQLite, the date itself for PostgreSQL."""
        for month in months - self._months.keys():
            self._months[month] = self._month_processor(month) if self._month_processor else month
        return self._months

    def run(self, rows: list[tuple]) -> None:
        """Insert rows whose values are in `COLUMNS` order (months already through `months`)."""
        if not rows:
            return
        params: list[Any] = rows if self.positional else [dict(zip(COLUMNS, row, strict=True)) for row in rows]
        self.connection.exec_driver_sql(self.sql, params)

    def finish(self) -> None:
        """Nothing is held back: every batch was inserted by `run`."""


class CrimeCopy:
    """PostgreSQL: `COPY` each batch into a temporary table, then move them all into `crime` at `finish()`."""

    STAGING = "crime_incoming"

    def __init__(self, connection: Connection) -> None:
        """Create the staging table (dropped at commit) in the connection's transaction."""
        self.connection = connection
        columns = ", ".join(COLUMNS)
        connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {self.STAGING} AS SELECT {columns} FROM crime "
                                   "WITH NO DATA")
        connection.exec_driver_sql(f"ALTER TABLE {self.STAGING} ADD COLUMN seq BIGSERIAL")
        self._copy = f"COPY {self.STAGING} ({columns}) FROM STDIN"
        # seq keeps the file order, so stored ids follow the files as they do on SQLite; the first of two rows
        # with one key wins, as with executemany.
        self._move = (f"INSERT INTO crime ({columns}) SELECT {columns} FROM {self.STAGING} ORDER BY seq "
                      "ON CONFLICT (dedup_key) DO NOTHING")

    def months(self, months: set[date]) -> dict[date, Any]:
        """psycopg takes dates as they are."""
        return {month: month for month in months}

    def run(self, rows: list[tuple]) -> None:
        """Stream rows (in `COLUMNS` order) into the staging table."""
        if not rows:
            return
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(self._copy) as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Move the staged rows into `crime`, skipping keys already stored, and drop the staging table."""
        self.connection.exec_driver_sql(self._move)
        self.connection.exec_driver_sql(f"DROP TABLE {self.STAGING}")


def crime_writer(connection: Connection) -> CrimeInsert | pg_copy.CrimeCopy:
    """The fastest way this connection's database takes a bulk of crimes: on PostgreSQL a binary COPY straight into
    `crime` of the rows whose keys are new (`siting.store.pg_copy`)."""
    if connection.dialect.name == "postgresql":
        return pg_copy.CrimeCopy(connection)
    return CrimeInsert(connection)


@contextmanager
def sqlite_cache(connection: Connection, kib: int = 65_536) -> Iterator[None]:
    """A larger SQLite page cache while importing, restored after (a no-op on PostgreSQL).

    Inserts land at random places in the dedup_key index, and with SQLite's default 2 MiB cache each one becomes a
    page miss once the index outgrows it.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before if before is not None else -2000)}")
