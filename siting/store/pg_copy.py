r"""PostgreSQL's crime import by `COPY … FROM STDIN (FORMAT BINARY)` straight into `crime`, keys known new.

Rows are held back in a buffer of `BUFFER_ROWS`; each full buffer is cut to the first row of each dedup_key (the
first of two wins, as with executemany's `ON CONFLICT DO NOTHING`), the keys already stored are looked up through
the key's unique index (`dedup_key = ANY(…)`) and dropped, and the rest go by one binary COPY into `crime` itself.
So no row is written twice (the earlier way, COPY into a temporary table then `INSERT … SELECT … ON CONFLICT`,
wrote every row twice and held a second copy of the import), rows keep the files' order (ids follow the files, as on
SQLite), and memory follows the buffer, not the import. Keys of an earlier buffer of the same import are found by
the same lookup: its rows are already in `crime`, visible to the transaction.

A load at least as large as what `crime` holds (the first import, a national load) goes in without the table's
indexes and constraints, built after it in the same transaction (`siting.store.pg_rebuild`, which also finds the
load's repeated keys then). Where the time went on a year of a force's crimes (108,638 rows) into an empty table,
COPY only, rows already parsed (load 2.7): 3.5–5.2 s with every index and the foreign key kept up to date row by
row, 1.3–1.5 s without them plus 0.55–0.62 s to build them after. Of the COPY itself, psycopg's `write_row` is
0.07 s of CPU; the rest is the server's (0.31 s for `psql`'s binary `\copy` of the same rows into a bare table,
0.63 s with the generated PostGIS point). So each full buffer is copied in a worker thread while the caller reads
and parses the next (the server's share overlapping the reader's); only one at a time, so memory stays two buffers.

After the last COPY everything is serial on the server. Measured again from the server's statement log (three
imports of the 12 files into an empty migrated database with PostGIS, load 1.1; medians): the builds 0.51 s in
all (month/category 139 ms, the GiST point 212 ms, the dedup key's unique index 107 ms, the foreign key 54 ms),
ANALYZE 253 ms, one grouped pass over `crime` 63 ms and the month packs 20 ms: 0.85 s from the last COPY to the
commit, against 1.37 s before (the unique index 255 ms in the database's libc collation, before migration 0026
collated the key "C"; four scans of `crime`, 230 ms, where `siting.store.crimes` now makes one; the packs 105 ms
with pglz, `siting.store.columns._fast_compression`).

The import takes `SHARE ROW EXCLUSIVE` on `crime` for its transaction: a second import waits for the first rather
than racing it to a key (which would fail the COPY with a unique violation), while reading crimes goes on (except
during a large load, which takes `ACCESS EXCLUSIVE` to drop the indexes).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection

from siting.store import pg_rebuild

# The order of the values in each row (the same as `siting.store.bulk.COLUMNS`), with each column's type on the wire.
COLUMNS: tuple[str, ...] = ("dedup_key", "crime_id", "month", "category", "longitude", "latitude", "easting",
                            "northing", "location", "lsoa_code", "lsoa_name", "outcome", "falls_within",
                            "source_file", "import_id")
WIRE_TYPES: tuple[str, ...] = ("text", "text", "date", "text", "float8", "float8", "float8", "float8", "text", "text",
                               "text", "text", "text", "text", "int4")
# The columns the siting reads filter, join or group on (`siting.store.columns`, `postgis_sql`, `postgis_best`):
# the ones ANALYZE samples after a load. The free-text columns' statistics, which no query uses, took about as long
# again (0.37–0.72 s against 0.24–0.29 s on a year of a force's crimes); autovacuum fills them in later.
ANALYZED = ("id", "import_id", "month", "category", "easting", "northing", "location", "geom")
BUFFER_ROWS = 50_000  # rows per key lookup and COPY: one round trip per buffer, a few MB of memory


class CrimeCopy:
    """Binary COPY of buffered rows into `crime`, skipping keys already stored or repeated (see the module)."""

    def __init__(self, connection: Connection, buffer_rows: int = BUFFER_ROWS, expected_rows: int = 0) -> None:
        """Lock `crime` against a concurrent import for the connection's transaction; for a load of about
        `expected_rows` at least as large as what is stored, drop its indexes to build after (`pg_rebuild`)."""
        self.connection = connection
        self.buffer_rows = buffer_rows
        self._cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self._cursor.execute("LOCK TABLE crime IN SHARE ROW EXCLUSIVE MODE")
        self._copy = f"COPY crime ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)"
        self._rows: list[tuple] = []
        self._behind: threading.Thread | None = None  # the buffer being copied while the caller reads on
        self._failure: BaseException | None = None  # what stopped it, raised to the caller at the next call
        self.copied = 0
        # A caller that rolls back (the reader refused a file while a buffer was being copied) first waits for
        # that copy: the connection must not roll back under it and then take its rows into a new transaction.
        event.listen(connection, "rollback", self._abandon)
        large = expected_rows > 0 and not pg_rebuild.stored_at_least(self._cursor, expected_rows + 1)
        self.deferred = pg_rebuild.defer(self._cursor) if large else None
        # The rows stored before this load, as the statistics last saw them: whether ANALYZE is due at the end.
        self._stored = 0 if large else pg_rebuild.stored_estimate(self._cursor)

    def months(self, months: set[date]) -> dict[date, Any]:
        """psycopg takes dates as they are."""
        return {month: month for month in months}

    def run(self, rows: list[tuple]) -> None:
        """Take rows whose values are in `COLUMNS` order; they are copied when the buffer is full or at `finish`."""
        self._rows.extend(rows)
        if len(self._rows) >= self.buffer_rows:
            self._wait()
            rows, self._rows = self._rows, []
            self._behind = threading.Thread(target=self._flush_behind, args=(rows,), name="crime-copy", daemon=True)
            self._behind.start()

    def finish(self) -> None:
        """Copy what the buffer still holds, build what a large load deferred, then ANALYZE `crime` when this import
        added a tenth or more of what was stored (autovacuum's own threshold): PostgreSQL's advice after a bulk
        load. Without it the planner takes a freshly filled table for a few rows and, e.g., joins the sites' GiST
        lookups with a scan of the month index (a county's site counts: 109 s instead of a second)."""
        self._wait()
        event.remove(self.connection, "rollback", self._abandon)
        rows, self._rows = self._rows, []
        self._flush(rows)
        if self.deferred is not None:
            self.deferred.rebuild(self._cursor)
            self.copied -= self.deferred.repeats_deleted
        if self.copied and self.copied * 10 >= self._stored:
            self._analyze()

    def _analyze(self) -> None:
        """ANALYZE the `ANALYZED` columns `crime` has (the point only where PostGIS is installed)."""
        present = {name for (name,) in self._cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'crime'::regclass AND attnum > 0 AND NOT attisdropped")}
        self._cursor.execute(f"ANALYZE crime ({', '.join(c for c in ANALYZED if c in present)})")

    def _flush_behind(self, rows: list[tuple]) -> None:
        """`_flush` in the worker thread, keeping what stopped it for `_wait` to raise."""
        try:
            self._flush(rows)
        except BaseException as error:  # handed to the caller's thread by `_wait`, never lost
            self._failure = error

    def _abandon(self, _connection: Connection) -> None:
        """Rollback: wait for the copy behind, whose failure, if any, is the rollback's cause or moot."""
        if self._behind is not None:
            self._behind.join()
            self._behind = None
        self._failure = None

    def _wait(self) -> None:
        """Wait for the buffer being copied behind; raise here whatever stopped it."""
        if self._behind is not None:
            self._behind.join()
            self._behind = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _flush(self, rows: list[tuple]) -> None:
        """Copy the rows' first of each key, less the keys stored (looked up unless the load deferred the index)."""
        if not rows:
            return
        first: dict[str, tuple] = {}
        for row in rows:
            first.setdefault(row[0], row)
        if self.deferred is None:  # a large load has no key index to look in: its repeats go at `finish`
            stored = self._cursor.execute("SELECT dedup_key FROM crime WHERE dedup_key = ANY(%s)",
                                          (list(first),)).fetchall()
            for (key,) in stored:
                del first[key]
        if not first:
            return
        with self._cursor.copy(self._copy) as copy:
            copy.set_types(list(WIRE_TYPES))
            for row in first.values():  # a dict keeps insertion order: the files' order
                copy.write_row(row)
        self.copied += len(first)
