"""Bulk insert of crime rows that skips rows already stored: `INSERT … ON CONFLICT (dedup_key) DO NOTHING`.

The statement is SQLAlchemy Core's, from the dialect's own `insert` (SQLite or PostgreSQL), compiled once per
import and run with the driver's executemany. Why not `connection.execute(statement, list_of_dicts)`: SQLAlchemy
then builds and type-processes every row's parameters in Python, which took as long as SQLite's own insert and put
the import far outside its budget (at most 4× a plain csv read of the same files). The rows handed in here are
already plain str/float/int/None, which both drivers take as they are; the one typed column, the month, goes
through the dialect's own bind processor once per distinct month.

On PostgreSQL the rows go by binary `COPY` straight into `crime`, keys already stored dropped first
(`siting.store.pg_copy`): psycopg's executemany sends one statement per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event
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
    """`insert_ignoring_duplicates`, compiled once for a connection, run batch by batch on that connection.

    With `known_keys` (SQLite while the dedup_key index is dropped, see `sqlite_bulk_load`) the keys are kept
    unique here instead: a row whose key is stored or was sent before is left out (the first wins, as with
    `ON CONFLICT DO NOTHING`), and the rest go by a plain INSERT, which needs no unique index.
    """

    def __init__(self, connection: Connection, known_keys: set[str] | None = None) -> None:
        """Compile the statement for the connection's dialect and find how it wants its parameters."""
        self.connection = connection
        self.known_keys = known_keys
        statement = insert_ignoring_duplicates(connection) if known_keys is None else Crime.__table__.insert()
        compiled = statement.compile(dialect=connection.dialect, column_keys=list(COLUMNS))
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
        if self.known_keys is not None:
            known, add = self.known_keys, self.known_keys.add
            rows = [row for row in rows if not (row[0] in known or add(row[0]))]  # add() is None: a new key
        if not rows:
            return
        params: list[Any] = rows if self.positional else [dict(zip(COLUMNS, row, strict=True)) for row in rows]
        self.connection.exec_driver_sql(self.sql, params)

    def finish(self) -> None:
        """Nothing is held back: every batch was inserted by `run`."""


def crime_writer(connection: Connection, expected_rows: int = 0) -> CrimeInsert | pg_copy.CrimeCopy:
    """The fastest way this connection's database takes a bulk of about `expected_rows` crimes (0: unknown): on
    PostgreSQL a binary COPY straight into `crime` of the rows whose keys are new (`siting.store.pg_copy`), with the
    indexes built after a load at least as large as what is stored. (SQLite's large loads, without the unique
    index, take `CrimeInsert(connection, known_keys)`: see `sqlite_bulk_load`.)"""
    if connection.dialect.name == "postgresql":
        return pg_copy.CrimeCopy(connection, expected_rows=expected_rows)
    return CrimeInsert(connection)


# A police.uk street-level row is 180-260 bytes of CSV; the estimate only decides whether to rebuild an index.
BYTES_PER_ROW = 220
# SQLite's `synchronous` before an import relaxed it, kept on the pooled connection's record until it is checked
# back in (after the import's commit or rollback), when it is restored.
_SYNCHRONOUS_KEY = "cctv_synchronous_before_import"


@contextmanager
def sqlite_bulk_load(connection: Connection, expected_rows: int, kib: int = 65_536) -> Iterator[set[str] | None]:
    """SQLite's bulk path for loading about `expected_rows` crimes in the caller's transaction (no-op elsewhere).

    Yields the dedup keys already stored when the loader must keep keys unique itself (the unique index is dropped,
    see below; give them to `CrimeInsert`), else None.

    - A larger page cache while loading (restored after): inserts land at random places in the dedup_key index,
      and with SQLite's default 2 MiB cache each one becomes a page miss once the index outgrows it.
    - Relaxed durability: `synchronous = OFF` for the import's own transaction, restored when its connection goes
      back to the pool. SQLite allows the change only outside a transaction, so it applies only when the import
      starts the transaction (`relax_durability`, called before its first write); a crash mid-import loses the
      import, never what was committed before it. The journal mode stays as the app set it (WAL cannot change
      inside a transaction).
    - The indexes, the unique dedup_key one included (an index since migration 0023, not a constraint), are
      dropped before the load and built after it, in the same transaction, when the load is at least as large as
      what is stored: building an index once from the loaded rows is cheaper than inserting a year of random keys
      into it one by one (on a county's year, the unique index alone was about a third of SQLite's insert time).
      Meanwhile the keys stored are held in memory (no more than the load's own) and the writer drops a row whose
      key is among them or was sent before, the first winning as `ON CONFLICT DO NOTHING` would; building the
      unique index again checks that nothing slipped through. Other connections never see the table without its
      indexes (the change commits with the import), and on error the caller's rollback restores them.
    """
    if connection.dialect.name != "sqlite":
        yield None
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    stored = connection.exec_driver_sql("SELECT count(*) FROM crime").scalar() or 0
    # Python's sqlite3 opens the transaction only at the first INSERT: DDL before it would commit on its own and
    # the rollback of a failed import could not restore the indexes.
    in_transaction = bool(getattr(connection.connection.driver_connection, "in_transaction", False))
    large = in_transaction and expected_rows >= stored
    rebuilt = list(Crime.__table__.indexes) if large else []
    known = set(connection.exec_driver_sql("SELECT dedup_key FROM crime").scalars()) if large and stored else set()
    for index in rebuilt:
        index.drop(connection)
    yield known if large else None
    for index in rebuilt:
        index.create(connection)
    connection.exec_driver_sql(f"PRAGMA cache_size = {int(before if before is not None else -2000)}")


def relax_durability(connection: Connection) -> None:
    """SQLite: `PRAGMA synchronous = OFF` on this connection until the pool takes it back, when no transaction is
    open yet (see `sqlite_bulk_load`); a no-op otherwise."""
    if connection.dialect.name != "sqlite":
        return
    pooled = connection.connection
    driver = pooled.driver_connection
    if driver is None or getattr(driver, "in_transaction", True) or _SYNCHRONOUS_KEY in pooled.info:
        return
    pool = connection.engine.pool
    if not event.contains(pool, "checkin", _restore_durability):
        event.listen(pool, "checkin", _restore_durability)
    pooled.info[_SYNCHRONOUS_KEY] = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    connection.exec_driver_sql("PRAGMA synchronous = OFF")


def _restore_durability(dbapi_connection: Any, record: Any) -> None:
    """Pool check-in: put back the `synchronous` an import relaxed (the transaction has ended by now)."""
    before = record.info.pop(_SYNCHRONOUS_KEY, None) if record is not None else None
    if before is not None and dbapi_connection is not None:
        dbapi_connection.execute(f"PRAGMA synchronous = {int(before)}")
