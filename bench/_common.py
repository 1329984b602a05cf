"""Shared helpers for the benchmarks: an in-process HTTP server, a small cookie-keeping client, interleaved timings
(median and 95th percentile), and the one-line JSON result every benchmark prints last."""

import gc
import http.client
import json
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def use_project_root() -> None:
    """Put the project root first on sys.path and take bench/ off it.

    Run as `python bench/x.py`, Python puts bench/ on the path, where bench/inventory.py would shadow the
    `inventory` package; and without the editable install the project root must be on the path for `cctv`.
    """
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


use_project_root()

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server  # noqa: E402


class _QuietHandler(WSGIRequestHandler):
    """werkzeug's request handler without the per-request log line (it would flood the output)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""


@contextmanager
def bench_app(**config: Any) -> Iterator[tuple[Path, Any]]:
    """(database file, app): the app on a new SQLite file in a temporary folder, migrated as `cctv db upgrade`
    makes it (indexes included), deleted afterwards. `config` adds to or overrides the benchmark's settings."""
    from cctv.app import create_app
    from cctv.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="cctv-bench-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        upgrade(url)
        app = create_app({"SECRET_KEY": "bench-not-secret", "DATABASE_URL": url, "SQL_ECHO": False,
                          "MAP_TILE_URL": "", "TESTING": False, **config})
        try:
            yield path, app
        finally:
            app.extensions["cctv_db"].engine.dispose()


@dataclass
class LiveServer:
    """A WSGI app served over real HTTP on 127.0.0.1 in a background thread."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The free port the server was given."""
        return self.server.server_port

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def live_server(app: Any, *, threaded: bool = False) -> Iterator[LiveServer]:
    """Serve `app` on a free port (port 0) while the block runs, then shut it down.

    Single-threaded by default: a benchmark sends one request at a time, and a thread per request would only add
    noise. werkzeug answers every request with `Connection: close`, so each request is a new TCP connection.
    """
    server = make_server("127.0.0.1", 0, app, threaded=threaded, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(server, thread)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def csrf_token(html: str) -> str | None:
    """The CSRF token of the first form in a page (Flask-WTF's hidden `csrf_token` input), if any."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else None


@dataclass
class Response:
    """What came back from one request."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8", "replace")


@dataclass
class HttpClient:
    """A minimal browser-like client: keeps cookies, sends a fixed User-Agent (Flask-Login's 'strong' session
    protection ties a session to it), and never follows redirects."""

    port: int
    user_agent: str = "cctv-bench/1.0"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        """Send one request on a new connection and read the whole answer."""
        headers = {"User-Agent": self.user_agent, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        """GET a path."""
        return self.request("GET", path)

    def login(self, username: str, password: str) -> None:
        """Sign in through the real login form, CSRF token and all."""
        form = {"username": username, "password": password}
        token = csrf_token(self.get("/login").text)
        if token:
            form["csrf_token"] = token
        answer = self.request("POST", "/login", form)
        if answer.status != 302:
            raise RuntimeError(f"login as {username} failed: HTTP {answer.status}")


def time_ms(fn: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def median_ms(fn: Callable[[], object], *, repeat: int, warmup: int = 5) -> float:
    """The median wall time of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    return statistics.median(time_ms(fn) for _ in range(repeat))


@dataclass(frozen=True)
class Timing:
    """One case's milliseconds over the timed rounds: the typical (median) and the slow (95th percentile) call."""

    median: float
    p95: float


def interleaved_timings(
    cases: dict[str, Callable[[], object]], *, repeat: int, warmup: int = 5
) -> dict[str, Timing]:
    """Each case's `Timing`, timed in rounds (a, b, c, a, b, c, …) so that drift in the machine's speed during the
    run affects every case alike. The garbage collector stays on: it is part of a page's cost."""
    for fn in cases.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    gc.collect()
    for _ in range(repeat):
        for name, fn in cases.items():
            samples[name].append(time_ms(fn))
    return {name: Timing(statistics.median(values), percentile(values, 95)) for name, values in samples.items()}


def percentile(values: list[float], pct: float) -> float:
    """The `pct`th percentile by the nearest-rank rule (the slowest of the fastest pct % of calls)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats
    return ordered[int(rank) - 1]


def empty_postgres(url: str) -> None:
    """Drop the PostgreSQL database's `public` schema and create it empty (the benchmarks' scratch databases only:
    never name a real one). PostGIS, in its own schema, stays installed."""
    from sqlalchemy import text

    from cctv.db import Database

    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.engine.dispose()


def print_result(result: dict[str, Any]) -> None:
    """The benchmark's machine-readable result: one JSON object on the last line (numpy scalars as plain numbers)."""
    print(json.dumps(result, separators=(", ", ": "), default=_plain), flush=True)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars: np.bool_, np.float64, np.int64
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
