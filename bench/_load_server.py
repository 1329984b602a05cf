"""bench/load.py's server side: a database emptied, migrated and filled with the demo, and gunicorn started
with the repo's config on it and stopped with its whole process group."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench._common import ROOT, empty_postgres
from bench._load_http import PASSWORD, request
from inventory.types import LONDON

WORKERS = 4
GUNICORN = Path(sys.executable).with_name("gunicorn")


def prepare_database(url: str, today: date) -> tuple[int, float]:
    """Empty (PostgreSQL: drop and recreate `public`), migrate and fill with the demo; (incidents, seconds)."""
    from cctv.app import create_app
    from cctv.demo.estate import create_demo
    from cctv.migrate import upgrade

    started = time.perf_counter()
    if url.startswith("postgresql"):
        empty_postgres(url)
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "load-bench-" + "x" * 32, "SQL_ECHO": False,
                      "SCHEDULER_IN_SERVER": False, "TESTING": False})
    database = app.extensions["cctv_db"]
    try:
        with database.transaction(actor="demo") as session:
            create_demo(session, today=today, password=PASSWORD)
    finally:
        database.engine.dispose()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if url.startswith("postgresql"):
                # A production database has planner statistics and all-visible pages (autovacuum analyses and
                # vacuums tables as they grow: migration 0025 has the incident table vacuumed every 1,000 new
                # incidents); a demo bulk-loaded into a server with autovacuum off (as CI's is) has neither.
                # PostgreSQL then guesses 43 rows for a quarter's 5,000 incidents and chooses its joins by that, and
                # reads every counted incident from the table rather than from the index that holds its columns.
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            incidents = connection.execute(sa.text("SELECT count(*) FROM incident")).scalar_one()
    finally:
        engine.dispose()
    return incidents, time.perf_counter() - started


@dataclass(frozen=True)
class Fixtures:
    """What the simulated users type: two cameras for the entry form, and search terms for the camera list."""

    cameras: tuple[str, str]
    terms: tuple[str, ...]
    day: str  # the demo's busiest London day of the last year: the day's log the operators read
    day_incidents: int


def fixtures(url: str) -> Fixtures:
    """Two working public-space cameras and search terms (towns, asset id prefixes) from the demo database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            cameras = [row[0] for row in connection.execute(sa.text(
                "SELECT asset_id FROM camera WHERE kind = 'public_space_fixed' AND status = 'operational' "
                "ORDER BY asset_id LIMIT 2"))]
            towns = [row[0] for row in connection.execute(sa.text(
                "SELECT DISTINCT town FROM camera WHERE town IS NOT NULL ORDER BY town LIMIT 8"))]
            since = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=365)
            days: dict[str, int] = defaultdict(int)
            for (occurred,) in connection.execute(sa.text(
                    "SELECT occurred_at FROM incident WHERE occurred_at >= :since"), {"since": since}):
                if isinstance(occurred, str):
                    occurred = datetime.fromisoformat(occurred)
                if occurred.tzinfo is None:
                    occurred = occurred.replace(tzinfo=UTC)
                days[occurred.astimezone(LONDON).date().isoformat()] += 1
    finally:
        engine.dispose()
    if len(cameras) < 2:
        raise RuntimeError("the demo has fewer than two operational public-space cameras")
    prefixes = sorted({c[:4] for c in cameras})
    day = max(days, key=lambda d: (days[d], d))
    return Fixtures((cameras[0], cameras[1]), tuple(towns + prefixes), day, days[day])


# ------------------------------------------------------------------------------------------------------------ server


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(url: str, log_path: Path):
    """The production server on a free port of 127.0.0.1 (yields the port and its process group: the master's pid),
    the process group ended afterwards."""
    port = free_port()
    env = {**os.environ, "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_LOGLEVEL": "warning", "CCTV_DATABASE_URL": url, "CCTV_ENV": "development",
           "CCTV_SECRET_KEY": "load-bench-" + uuid.uuid4().hex, "CCTV_SQL_ECHO": "false",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    env.pop("DATABASE_URL", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(GUNICORN), "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{tail(log_path)}")
            with suppress(OSError):
                if request(port, "GET", "/health", "").status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /health within 60 s:\n{tail(log_path)}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        stop(process)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used (Linux /proc), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14 and 15)


def server_cpu_seconds(group: int, url: str) -> float:
    """CPU time used so far by the server's side of a request: every process of gunicorn's process group and every
    PostgreSQL backend connected to the database (on this machine; none for SQLite). Read before and after a run of
    requests, the difference is their CPU cost, which a busy machine does not inflate as it does their wall time."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, ValueError):
                if os.getpgid(int(entry.name)) == group:
                    pids.append(int(entry.name))
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                pids += connection.execute(sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )).scalars().all()
        finally:
            engine.dispose()
    return sum(_cpu_seconds(pid) for pid in pids)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it has not gone in 40 s."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file."""
    with suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""
