"""Counting the SQL statements one request sends to the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The statements the engine sends to the driver while the block runs, in order (each executemany once)."""
    sent: list[str] = []

    def record(_connection, _cursor, statement: str, _parameters, _context, _executemany: bool) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@dataclass
class Reading:
    """One page read once: its status and the statements the read sent."""

    status: int
    statements: list[str] = field(default_factory=list)


def read_counted(client: FlaskClient, engine: Engine, url: str, headers: dict[str, str] | None = None) -> Reading:
    """Read the page once to warm what is cached (compiled queries, the navigation, fixed links), then again
    counting its statements."""
    client.get(url, headers=headers)
    with statements_sent(engine) as sent:
        response = client.get(url, headers=headers)
    return Reading(response.status_code, list(sent))


def left_in_transaction(engine: Engine) -> list[str]:
    """On PostgreSQL, the last statement of each other connection to the database left idle inside a transaction: a
    session that was never closed (it holds its locks until the database is reset). Always empty on SQLite."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        return list(connection.execute(text(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state LIKE 'idle in transaction%'")).scalars())
