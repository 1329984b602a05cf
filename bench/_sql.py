"""The raw SQL behind a page, captured from the app and replayed on plain sqlite3: the "its SQL" of every
benchmark that compares a page with the queries it rests on (bench/inventory.py, controlroom.py, outcomes.py).

Reads replay as they were. Logging an incident cannot simply be replayed: its INSERT carries the reference the
counter gave it, which is unique, and its camera links and audit entries carry the new incident's id. So the replay
does what the service does with the values the database gives it: the counter's UPDATE … RETURNING hands out the
next number, the incident goes in with that number and its reference, and the links and audit entries point at the
incident the replay inserted. Each replay is committed like the request's transaction, so the commit's cost (a WAL
write and its fsync) is on both sides of the comparison; the replayed incidents are real, numbered rows.
"""

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_INSERT = re.compile(r"^\s*INSERT INTO (\w+)\s*\(([^)]*)\)", re.IGNORECASE)


@dataclass
class Statement:
    """One SQL statement as the driver received it."""

    sql: str
    parameters: Any
    many: bool = False  # executemany: `parameters` is a list of rows

    @property
    def summary(self) -> str:
        """The statement on one line, shortened."""
        text = " ".join(self.sql.split())
        text = text if len(text) <= 110 else text[:107] + "..."
        return f"{text}  [x{len(self.parameters)}]" if self.many else text


def capture_statements(engine: Engine, fetch: Any) -> list[Statement]:
    """Every statement the engine sends to the database while `fetch()` runs."""
    seen: list[Statement] = []

    def listener(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        seen.append(Statement(statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        fetch()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def request_only(page: list[Statement], floor: list[Statement]) -> list[Statement]:
    """The request's statements less those the empty page issues too (loading the signed-in user), each once."""
    shared = Counter(s.sql for s in floor)
    kept = []
    for statement in page:
        if shared[statement.sql] > 0:
            shared[statement.sql] -= 1
        else:
            kept.append(statement)
    return kept


def raw_connection(path: str) -> sqlite3.Connection:
    """A plain sqlite3 connection set up as the app's engine sets up its own (foreign keys on, a busy timeout)."""
    connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


def replay_reads(connection: sqlite3.Connection, statements: list[Statement]) -> int:
    """Run the statements as plain SQL and fetch every row; the number of rows fetched."""
    rows = 0
    for statement in statements:
        rows += len(connection.execute(statement.sql, statement.parameters).fetchall())
    return rows


class LoggingReplay:
    """Replays the statements of one logged incident as a new incident each time (see the module's notes).

    `incident_id`, `reference` and `number` are those of the incident the captured request logged.
    """

    def __init__(self, statements: list[Statement], *, incident_id: int, reference: str, number: int) -> None:
        self.statements, self.incident_id, self.reference, self.number = statements, incident_id, reference, number
        self.prefix = reference[: -len(f"{number:06d}")]  # "WY-2026-"

    def _columns(self, statement: Statement) -> tuple[str, list[str]]:
        match = _INSERT.match(statement.sql)
        if match is None:
            return "", []
        return match.group(1).lower(), [c.strip().strip('"') for c in match.group(2).split(",")]

    def _substitute(self, statement: Statement, row: tuple, new_id: int | None, number: int | None) -> tuple:
        table, columns = self._columns(statement)
        values = list(row)
        for position, value in enumerate(values):
            column = columns[position % len(columns)] if columns else ""
            if table == "incident" and column == "reference" and number is not None:
                values[position] = f"{self.prefix}{number:06d}"
            elif table == "incident" and column == "ref_number" and number is not None:
                values[position] = number
            elif table == "incident_camera" and column == "incident_id" and new_id is not None:
                values[position] = new_id
            elif table == "audit_entry" and column == "record_id" and new_id is not None and isinstance(value, str):
                head, _, tail = value.partition("/")
                if head == str(self.incident_id):
                    values[position] = f"{new_id}/{tail}" if tail else str(new_id)
        return tuple(values)

    def __call__(self, connection: sqlite3.Connection) -> int:
        """Log one incident by raw SQL and commit; its new id."""
        new_id: int | None = None
        number: int | None = None
        for statement in self.statements:
            if statement.many:
                connection.executemany(statement.sql, [self._substitute(statement, tuple(r), new_id, number)
                                                       for r in statement.parameters])
                continue
            cursor = connection.execute(statement.sql, self._substitute(statement, tuple(statement.parameters),
                                                                        new_id, number))
            rows = cursor.fetchall()
            table, _ = self._columns(statement)
            if statement.sql.lstrip().upper().startswith("UPDATE REFERENCE_COUNTER") and rows:
                number = rows[0][0]
            elif table == "incident":
                new_id = rows[0][0] if rows else cursor.lastrowid
        connection.commit()
        if number is None or new_id is None:
            raise RuntimeError("the captured request did not number and insert an incident")
        return new_id
