"""The database: engine and session factory built from configuration, never at import time."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from cctv.audit import install_audit


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (as Heroku-style settings give them)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for SQLite (foreign keys on, waits on locks) or PostgreSQL."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A server that does not answer fails a connection in 10 s rather than hanging a worker (and /health) until
    # gunicorn's timeout kills it.
    engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    event.listen(engine, "do_execute", _binary_results_when_asked)
    return engine


BINARY_RESULTS = "binary_results"  # execution option: fetch this statement's results in PostgreSQL's binary format


def _binary_results_when_asked(cursor, statement, parameters, context) -> bool | None:
    """Run a statement carrying the `BINARY_RESULTS` execution option with psycopg's binary result format.

    Why: by default bytea travels hex-encoded as text, twice its size, and is decoded in the driver; the crime
    store's month packs (`siting.store.columns`) are megabytes of it on every model run. SQLAlchemy's own
    before/after cursor events still fire around this, so echo and the statement counts see it as any other."""
    if not context.execution_options.get(BINARY_RESULTS):
        return None
    cursor.execute(statement, parameters, binary=True)
    return True


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Database:
    """One engine and its audited session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.engine = make_engine(url, echo=echo)
        self.session_factory = sessionmaker(bind=self.engine, class_=Session, expire_on_commit=False)
        install_audit(self.session_factory)

    def session(self, actor: str | Callable[[], str] = "system") -> Session:
        """A new session whose changes are audited as made by `actor` (a name, or a function giving one)."""
        session = self.session_factory()
        session.info["actor"] = actor
        return session

    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[Session]:
        """A session that commits on success and rolls back on error (for CLI commands and jobs)."""
        with self.session(actor) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
