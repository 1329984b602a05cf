"""PostgreSQL: a load at least as large as what `crime` holds goes in without the table's indexes and constraints,
which are built after it, in the same transaction.

Keeping an index up to date row by row costs far more than building it once from the loaded table: on a year of a
force's crimes (108,638 rows) into an empty table, the COPY with every index and the foreign key took 3.5–5.2 s,
without them 1.3–1.5 s, and building them all after 0.55–0.62 s; since migration 0026 collated the dedup key "C"
(bytes compared with abbreviated keys rather than libc's strcoll), 0.44–0.58 s, its unique index 103–123 ms instead
of 253–293 ms (`siting/store/pg_copy.py` has the figures). So for the first import, or a national load, `defer`
drops every index of `crime` except its primary key (the dedup_key's unique index of migration 0023 included), its
unique constraints (the dedup_key's before 0023) and its foreign keys, remembering each definition as the catalogue
gives it, and `Deferred.rebuild` makes them again. An index takes its column's collation unless its definition
names another, so the rebuilt dedup_key index is collated "C" like the one dropped.

Duplicates. Without the dedup_key's index the rows of a load cannot be checked against what is stored as they
arrive, so the unique index is built optimistically: when it fails, the rows whose key an earlier row holds
(a stored row, or an earlier one of the same load: ids follow the files) are deleted and it is built again. The
first of two rows still wins, and no duplicate survives; only the ids of deleted rows are left unused.

Locks and failure. Dropping an index takes `ACCESS EXCLUSIVE` on `crime` until the import commits: reads of crimes
wait for a large import instead of reading alongside it. Dropping the foreign key also locks `crime_import`, so it
is asked for without waiting: another import holding that table (it added its record and waits for `crime`) makes
this load keep its indexes, rather than the two deadlocking. Everything here is in the import's transaction: a
failed load rolls back to the table as it was, indexes included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

TABLE = "crime"
KEY = "dedup_key"
REBUILD_MEMORY = "256MB"  # maintenance_work_mem for the builds: a national load's key sort stays in memory

_INDEXES = """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'u')"""
_CONSTRAINTS = """SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
                  WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname"""
_DELETE_REPEATS = sql.SQL(
    "DELETE FROM {table} WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY {key} ORDER BY id) "
    "AS n FROM {table}) AS ranked WHERE n > 1)")


@dataclass
class Deferred:
    """The indexes and constraints of `crime` a load dropped, each as the catalogue defined it."""

    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # (name, 'u' or 'f', definition)
    repeats_deleted: int = 0  # rows whose key an earlier row held, deleted before the unique constraint was built

    def rebuild(self, cursor: psycopg.Cursor[Any]) -> None:
        """Build everything `defer` dropped: indexes, then unique constraints (dropping repeated keys first when
        one fails), then foreign keys."""
        cursor.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(REBUILD_MEMORY)))
        for _name, definition in self.indexes:
            if definition.startswith("CREATE UNIQUE INDEX"):  # the dedup_key's index (migration 0023)
                self._unique(cursor, sql.SQL(definition))  # type: ignore[arg-type]  # the catalogue's own statement
            else:
                cursor.execute(definition)  # type: ignore[arg-type]  # the catalogue's own statement
        for name, kind, definition in self.constraints:
            if kind == "u":  # the dedup_key's constraint before migration 0023
                self._unique(cursor, _add_constraint(name, definition))
        for name, kind, definition in self.constraints:
            if kind == "f":
                cursor.execute(_add_constraint(name, definition))

    def _unique(self, cursor: psycopg.Cursor[Any], statement: sql.Composable) -> None:
        """Build the dedup_key's uniqueness (an index or a constraint); if keys repeat, delete every row but the
        first of each key and build it again."""
        cursor.execute("SAVEPOINT crime_unique")
        try:
            cursor.execute(statement)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT crime_unique")
            cursor.execute(_DELETE_REPEATS.format(table=sql.Identifier(TABLE), key=sql.Identifier(KEY)))
            self.repeats_deleted += cursor.rowcount
            cursor.execute(statement)
        cursor.execute("RELEASE SAVEPOINT crime_unique")


def _add_constraint(name: str, definition: str) -> sql.Composed:
    return sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(sql.Identifier(TABLE), sql.Identifier(name),
                                                                 sql.SQL(definition))  # type: ignore[arg-type]


def stored_at_least(cursor: psycopg.Cursor[Any], rows: int) -> bool:
    """Whether `crime` holds at least `rows` rows, counting no further than that."""
    counted = cursor.execute(sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT %s) AS s")
                             .format(sql.Identifier(TABLE)), (rows,)).fetchone()
    return bool(counted and counted[0] >= rows)


def stored_estimate(cursor: psycopg.Cursor[Any]) -> int:
    """`crime`'s rows as its statistics last counted them (0 when it was never analysed)."""
    estimate = cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (TABLE,)).fetchone()
    return max(int(estimate[0]), 0) if estimate else 0


def defer(cursor: psycopg.Cursor[Any]) -> Deferred | None:
    """Drop `crime`'s indexes (but its primary key), unique constraints and foreign keys for a load, and return
    them to rebuild; None, with nothing dropped, when another import holds `crime_import` (see the module)."""
    references = cursor.execute("SELECT DISTINCT confrelid::regclass::text FROM pg_constraint "
                                "WHERE conrelid = %s::regclass AND contype = 'f'", (TABLE,)).fetchall()
    cursor.execute("SAVEPOINT crime_defer")
    try:
        for (referenced,) in references:
            cursor.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE NOWAIT")
                           .format(sql.Identifier(referenced)))
    except psycopg.errors.LockNotAvailable:
        cursor.execute("ROLLBACK TO SAVEPOINT crime_defer")
        cursor.execute("RELEASE SAVEPOINT crime_defer")
        return None
    cursor.execute("RELEASE SAVEPOINT crime_defer")
    cursor.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(TABLE)))
    deferred = Deferred(constraints=[tuple(row) for row in cursor.execute(_CONSTRAINTS, (TABLE,))],  # type: ignore[misc]
                        indexes=[tuple(row) for row in cursor.execute(_INDEXES, (TABLE,))])  # type: ignore[misc]
    for name, _kind, _definition in deferred.constraints:
        cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(TABLE),
                                                                          sql.Identifier(name)))
    for name, _definition in deferred.indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return deferred
