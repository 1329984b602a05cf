"""Counting the SQL statements one request sends to the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy import event
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
