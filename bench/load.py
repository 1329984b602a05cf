"""The production server under a control room's load: gunicorn with deploy/gunicorn.conf.py and 4 workers serving
`cctv.wsgi:app` on PostgreSQL and on SQLite, each with the demo, driven by signed-in operators over real HTTP.
Target: at 50 operators on PostgreSQL, the operators' pages answer within 150 ms at the 95th percentile with no
errors; the Advisory dashboard's median for a quarter (target 300 ms) is reported beside it as `dashboard_met`.

Run from the project root:  .venv/bin/python bench/load.py  [--full] [--sqlite] [--database-url URL]

How it measures
- Each database is emptied, migrated (`cctv db upgrade`) and filled with the demo (`create_demo`, as `cctv demo`
  does: the estate, the DPIA register, three years of control-room history and one account per role, password
  demo-password). PostgreSQL is `--database-url` (default CCTV_BENCH_DATABASE_URL, CCTV_TEST_DATABASE_URL or the
  database `test` on 127.0.0.1; its `public` schema is dropped and made again, so the name must start with "test"
  unless --wipe-any); SQLite a temporary file, measured with --full (or --sqlite) so the default run stays short.
- The server is the production one: `gunicorn -c deploy/gunicorn.conf.py` (WEB_CONCURRENCY=4,
  GUNICORN_BIND=127.0.0.1:<free port>, sync workers, JSON access log to a temporary file) in its own process
  group, stopped with SIGTERM to the group (SIGKILL after 40 s) however the benchmark ends. It runs with
  CCTV_ENV=development: production refuses the demo's shared-password accounts, and its cookies are HTTPS-only,
  which this plain-HTTP client on 127.0.0.1 could not send back. Nothing else differs for these pages.
- Every simulated user signs in through the login form (CSRF token and all) with a session of their own and keeps
  the cookie it got from the entry form page. Operators act every 2 s on average (Poisson arrivals): half read the
  day's log (GET /incidents?day=<the demo's busiest day of the last year>), a quarter log an incident through the
  entry form (POST /incidents/new with two cameras, a police reference, an arrest and a narrative that carries a
  unique marker) and a quarter search the camera list (GET /cameras?q=<town or asset id prefix>; the log itself has
  no search). Beside them a few advisory users read the dashboard (GET /outcomes, the last complete quarter) and
  planners the siting page (GET /siting), one of each per 25 operators, every 10 s on average: those pages are
  heavy. Before the phases the dashboard is also timed alone, one request at a time: `dashboard_met` is its median.
- The day's log read is a fixed busy day, not today: the run logs hundreds of incidents today (a real control room
  logs about 55 a day) and today's page lists the whole day, unpaginated. In a first --full run that read today,
  the page grew from 10 KB to 450 KB as 450 incidents were logged, its server time from 19 ms to 370 ms, and the
  queue behind it took every page's p95 at 50 operators to about 3.8 s: a real limit of the page on an
  extraordinary day, but it made the phases incomparable.
- Open loop: the arrival times are drawn before the phase starts and each request is sent by a pool of threads
  at its time whether or not earlier ones have answered; a request's latency runs from its scheduled time to the
  end of its answer, so a queue in the server counts against it. Errors are answers other than 2xx/3xx (and
  timeouts, 60 s). Each request is a new TCP connection (gunicorn's sync workers close every connection).
  gunicorn.conf.py's max_requests recycles a worker after about 2,000 requests, in a long run too: as in production.
- Closed loop: K clients as fast as they can on the day's log for a fixed time: the server's capacity.
- Integrity: after the phases, each POST that got its 302 must have exactly one incident (found by its marker),
  no reference repeats, and each control room's references for the years logged in run 1..n without a gap.
- The load generator runs in this process on the same machine: on a small or busy machine it takes CPU from the
  server, so the latencies are an upper bound and the capacity a lower bound of the server's own. Run it on a
  quiet machine, and compare runs made on the same one.
"""

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import sqlalchemy as sa  # noqa: E402

from bench._common import ROOT, HttpClient, csrf_token, percentile, print_result  # noqa: E402
from inventory.types import LONDON  # noqa: E402

# The benchmark empties and refills it: a database whose name starts with "test" unless --wipe-any.
DEFAULT_POSTGRES = (os.environ.get("CCTV_BENCH_DATABASE_URL") or os.environ.get("CCTV_TEST_DATABASE_URL")
                    or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "demo-password"
WORKERS = 4
P95_BUDGET_MS = 150.0  # the operators' pages at 50 operators on PostgreSQL
DASHBOARD_BUDGET_MS = 300.0  # the Advisory dashboard's median for a quarter
TARGET_USERS = 50
OPERATOR_MEAN_S = 2.0
HEAVY_MEAN_S = 10.0
TIMEOUT_S = 60.0
MARK = "Load bench"
OPERATOR_PAGES = ("log incident (POST)", "day's log (GET)", "camera search (GET)")
GUNICORN = Path(sys.executable).with_name("gunicorn")


# ---------------------------------------------------------------------------------------------------------- database


def prepare_database(url: str, today: date) -> tuple[int, float]:
    """Empty (PostgreSQL: drop and recreate `public`), migrate and fill with the demo; (incidents, seconds)."""
    from cctv.app import create_app
    from cctv.demo.estate import create_demo
    from cctv.migrate import upgrade

    started = time.perf_counter()
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
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
    """The production server on a free port of 127.0.0.1 (yields the port), its process group ended afterwards."""
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
        yield port
    finally:
        stop(process)


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


# ------------------------------------------------------------------------------------------------------------ client


@dataclass(frozen=True)
class Answer:
    """One answer: its status (0 for no answer) and Location header."""

    status: int
    location: str = ""
    body: bytes = b""


def request(port: int, method: str, path: str, cookie: str, form: dict[str, str] | None = None) -> Answer:
    """One request on a new connection, the whole answer read; the cookie is sent as it is and never updated."""
    headers = {"User-Agent": "cctv-load/1.0", "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return Answer(answer.status, answer.headers.get("Location") or "", answer.read())
    finally:
        connection.close()


@dataclass
class User:
    """A signed-in user: the session cookie and the entry form's CSRF token (operators)."""

    role: str
    cookie: str
    token: str = ""


def sign_in(port: int, username: str) -> User:
    """Sign in through the login form as a browser would, then (operators) open the entry form for its token."""
    client = HttpClient(port, user_agent="cctv-load/1.0")
    client.login(username, PASSWORD)
    token = ""
    if username == "operator":
        token = csrf_token(client.get("/incidents/new").text) or ""
        if not token:
            raise RuntimeError("/incidents/new: no CSRF token in the entry form")
    return User(username, "; ".join(f"{k}={v}" for k, v in client.cookies.items()), token)


def sign_in_many(port: int, usernames: list[str]) -> list[User]:
    """Each name signed in on a session of its own (a few at once)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda name: sign_in(port, name), usernames))


@dataclass
class Sample:
    """One request of a phase: its page, latency from its scheduled time, status, and (logging) its marker."""

    page: str
    ms: float
    status: int
    marker: str = ""


@dataclass
class Actions:
    """The requests each kind of user sends."""

    port: int
    fixtures: Fixtures
    run_id: str
    counter: Any = field(default_factory=lambda: iter(range(1, 10**9)))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def day_path(self) -> str:
        """The day's log the operators read: the demo's busiest day of the last year."""
        return f"/incidents?day={self.fixtures.day}"

    def log_incident(self, user: User) -> tuple[int, str]:
        """POST the entry form: (status, marker). Success is a 302 to the day's log."""
        with self.lock:
            marker = f"{MARK} {self.run_id} #{next(self.counter)}"
        local = datetime.now(LONDON) - timedelta(minutes=2)
        form = {
            "csrf_token": user.token, "category": "violence", "occurred": local.strftime("%H:%M"),
            "source": "police_radio", "location_text": "High Street outside the Falcon",
            "cameras": ", ".join(self.fixtures.cameras), "police_informed": "y",
            "police_reference": f"CAD 1234 {local:%d/%m}", "police_attended": "y", "arrests": "1",
            "arrest_offences": "Common assault", "outcome": "Arrest made; footage reviewed.",
            "narrative": f"{marker}. Two males fighting outside the pub; followed on two cameras until police "
                         "arrived and one was arrested.", "follow_up": "closed",
        }
        answer = request(self.port, "POST", "/incidents/new", user.cookie, form)
        status = answer.status
        if status == 302 and not urlsplit(answer.location).path.endswith("/incidents"):
            status = 599  # a redirect elsewhere (the login page): not logged
        return status, marker

    def get(self, user: User, path: str) -> int:
        """GET a page; a redirect counts as an error (it can only be to the login page here)."""
        status = request(self.port, "GET", path, user.cookie).status
        return 598 if status in (301, 302, 303) else status

    def perform(self, kind: str, user: User, rng: random.Random) -> tuple[str, int, str]:
        """One action of a user of `kind`: (page, status, marker)."""
        if kind == "advisory":
            return "dashboard /outcomes", self.get(user, "/outcomes"), ""
        if kind == "planner":
            return "siting /siting", self.get(user, "/siting"), ""
        roll = rng.random()
        if roll < 0.25:
            status, marker = self.log_incident(user)
            return OPERATOR_PAGES[0], status, marker
        if roll < 0.75:
            return OPERATOR_PAGES[1], self.get(user, self.day_path), ""
        term = rng.choice(self.fixtures.terms)
        return OPERATOR_PAGES[2], self.get(user, f"/cameras?q={quote(term)}"), ""


def ok(status: int) -> bool:
    """2xx or 3xx."""
    return 200 <= status < 400


# ------------------------------------------------------------------------------------------------------------ phases


def open_loop(actions: Actions, users: list[tuple[str, User, float]], seconds: float, seed: int) -> list[Sample]:
    """Every user's Poisson arrivals over `seconds`, each request sent at its time; the samples of the phase."""
    rng = random.Random(seed)
    schedule: list[tuple[float, str, User]] = []
    for kind, user, mean in users:
        t = rng.expovariate(1 / mean)
        while t < seconds:
            schedule.append((t, kind, user))
            t += rng.expovariate(1 / mean)
    schedule.sort(key=lambda item: item[0])
    samples: list[Sample] = []
    keep = threading.Lock()

    def send(at: float, kind: str, user: User, choice: random.Random) -> None:
        try:
            page, status, marker = actions.perform(kind, user, choice)
        except (OSError, http.client.HTTPException):  # no answer (refused, reset, timed out): an error
            page, status, marker = (f"{kind}: no answer", 0, "")
        finished = time.perf_counter()
        with keep:
            samples.append(Sample(page, (finished - at) * 1000, status, marker))

    # Threads enough that none waits for a free one: each answer holds its thread, never the next arrival.
    with ThreadPoolExecutor(max_workers=max(32, len(users) * 3)) as pool:
        start = time.perf_counter() + 0.2
        for offset, kind, user in schedule:
            at = start + offset
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, at, kind, user, random.Random(rng.random()))
    return samples


def closed_loop(actions: Actions, users: list[User], seconds: float) -> tuple[int, int, float, list[float]]:
    """Each user GETs the day's log again as soon as the last answer came, for `seconds`:
    (answers, errors, seconds taken, latencies in ms)."""
    latencies: list[float] = []
    errors = [0]
    keep = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(user: User) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status = actions.get(user, actions.day_path)
            except (OSError, http.client.HTTPException):
                status = 0
            took = (time.perf_counter() - started) * 1000
            with keep:
                latencies.append(took)
                if not ok(status):
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors[0], time.perf_counter() - started, latencies


def sequential_median(actions: Actions, user: User, path: str, times: int) -> tuple[float, int]:
    """The median of `times` GETs one after another with nothing else running (ms), and the errors among them."""
    timings, errors = [], 0
    for _ in range(times):
        started = time.perf_counter()
        status = actions.get(user, path)
        timings.append((time.perf_counter() - started) * 1000)
        errors += not ok(status)
    return statistics.median(timings), errors


# ----------------------------------------------------------------------------------------------------------- integrity


def integrity(url: str, run_id: str, logged: list[Sample]) -> dict[str, Any]:
    """Lost and duplicate incidents among the POSTs answered 302, repeated references, gaps in the numbering."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT narrative, control_room_id, ref_year FROM incident WHERE narrative LIKE :pattern"),
                {"pattern": f"{MARK} {run_id} #%"}).all()
            repeated = connection.execute(sa.text(
                "SELECT count(*) FROM (SELECT reference FROM incident GROUP BY reference HAVING count(*) > 1) r"
            )).scalar_one()
            gaps = 0
            for room, year in sorted({(row[1], row[2]) for row in rows}):
                count, distinct, low, high = connection.execute(sa.text(
                    "SELECT count(*), count(DISTINCT ref_number), min(ref_number), max(ref_number) FROM incident "
                    "WHERE control_room_id = :room AND ref_year = :year"), {"room": room, "year": year}).one()
                if not (count == distinct == high and low == 1):
                    gaps += 1
                    print(f"  GAP: control room {room}, {year}: {count} incidents, numbers {low}..{high}")
    finally:
        engine.dispose()
    found: dict[str, int] = defaultdict(int)
    for row in rows:
        found[row[0].split(".")[0]] += 1
    answered = [s.marker for s in logged if s.status == 302]
    refused = [s.marker for s in logged if s.status != 302]
    return {
        "posted": len(logged), "logged_302": len(answered),
        "lost": sum(1 for m in answered if found.get(m, 0) == 0),
        "duplicated": sum(1 for m in answered if found.get(m, 0) > 1),
        "stored_though_refused": sum(1 for m in refused if found.get(m, 0) > 0),
        "repeated_references": repeated, "years_with_gaps": gaps, "years_checked": len({(r[1], r[2]) for r in rows}),
    }


# ------------------------------------------------------------------------------------------------------------- report


def summary(samples: list[Sample], seconds: float) -> dict[str, dict[str, float]]:
    """Per page, the operators' pages together and overall: count, throughput, p50/p95/p99, errors."""
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.page].append(sample)
        groups["all requests"].append(sample)
        if sample.page in OPERATOR_PAGES:
            groups["operators' pages"].append(sample)
    table = {}
    for page, group in groups.items():
        ms = [s.ms for s in group]
        table[page] = {"n": len(group), "rps": round(len(group) / seconds, 2),
                       "p50": round(statistics.median(ms), 1), "p95": round(percentile(ms, 95), 1),
                       "p99": round(percentile(ms, 99), 1), "errors": sum(not ok(s.status) for s in group)}
    return table


def print_table(table: dict[str, dict[str, float]]) -> None:
    """The summary as aligned lines."""
    print(f"    {'page':26} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    order = [*OPERATOR_PAGES, "dashboard /outcomes", "siting /siting", "operators' pages", "all requests"]
    for page in sorted(table, key=lambda p: order.index(p) if p in order else 99):
        row = table[page]
        print(f"    {page:26} {row['n']:6d} {row['rps']:7.1f} {row['p50']:8.1f} {row['p95']:8.1f} "
              f"{row['p99']:8.1f} {row['errors']:6d}")


def run_backend(name: str, url: str, args: argparse.Namespace, today: date, tmp: Path) -> dict[str, Any]:
    """Build, serve, load and check one database; its figures."""
    incidents, built = prepare_database(url, today)
    found = fixtures(url)
    print(f"\n== {name}: the demo, {incidents:,} incidents, built and migrated in {built:.1f} s; the day's log read "
          f"is {found.day}, the busiest day of the last year ({found.day_incidents} incidents)")
    result: dict[str, Any] = {"incidents": incidents}
    run_id = uuid.uuid4().hex[:10]
    log_path = tmp / f"gunicorn-{name}.log"
    with gunicorn(url, log_path) as port:
        actions = Actions(port, found, run_id)
        most = max(args.users)
        heavy = max(1, most // 25)
        started = time.perf_counter()
        operators = sign_in_many(port, ["operator"] * max(most, args.closed_clients))
        advisers = sign_in_many(port, ["advisory"] * heavy)
        planners = sign_in_many(port, ["planner"] * heavy)
        print(f"   gunicorn, {WORKERS} workers on 127.0.0.1:{port}; {len(operators) + 2 * heavy} sessions signed in "
              f"in {time.perf_counter() - started:.1f} s")
        # Warm every worker's caches and pools (not timed), then the dashboard alone.
        for _ in range(2 * WORKERS):
            actions.get(operators[0], actions.day_path)
            actions.get(operators[0], f"/cameras?q={quote(found.terms[0])}")
        actions.get(advisers[0], "/outcomes")
        actions.get(planners[0], "/siting")
        dashboard_ms, dashboard_errors = sequential_median(actions, advisers[0], "/outcomes", args.dashboard_times)
        siting_ms, _ = sequential_median(actions, planners[0], "/siting", 3)
        print(f"   alone (one request at a time): dashboard /outcomes (last quarter) median {dashboard_ms:.0f} ms over "
              f"{args.dashboard_times}{f', {dashboard_errors} errors' if dashboard_errors else ''}; "
              f"/siting median {siting_ms:.0f} ms over 3")
        result.update({"dashboard_alone_median_ms": round(dashboard_ms, 1),
                       "siting_alone_median_ms": round(siting_ms, 1), "dashboard_alone_errors": dashboard_errors})
        logged: list[Sample] = []
        for n in args.users:
            k = 0 if args.no_heavy else max(1, n // 25)
            users = ([("operator", user, OPERATOR_MEAN_S) for user in operators[:n]]
                     + [("advisory", user, HEAVY_MEAN_S) for user in advisers[:k]]
                     + [("planner", user, HEAVY_MEAN_S) for user in planners[:k]])
            samples = open_loop(actions, users, args.seconds, seed=n)
            table = summary(samples, args.seconds)
            offered = n / OPERATOR_MEAN_S + 2 * k / HEAVY_MEAN_S
            print(f"   open loop: {n} operators + {k} advisory + {k} planner, {args.seconds:.0f} s, offered "
                  f"{offered:.1f} req/s (Poisson), latency from the scheduled send time:")
            print_table(table)
            result[f"open_{n}"] = table
            logged += [s for s in samples if s.page == OPERATOR_PAGES[0]]
        answers, errors, took, latencies = closed_loop(actions, operators[:args.closed_clients], args.closed_seconds)
        capacity = answers / took
        print(f"   closed loop: {args.closed_clients} clients on the day's log for {took:.1f} s: {capacity:.1f} req/s, "
              f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, {errors} errors")
        result["closed"] = {"clients": args.closed_clients, "seconds": round(took, 1), "rps": round(capacity, 1),
                            "p50": round(statistics.median(latencies), 1),
                            "p95": round(percentile(latencies, 95), 1), "errors": errors}
    server_errors = sum(1 for line in log_path.read_text(errors="replace").splitlines() if '"status": 5' in line)
    checked = integrity(url, run_id, logged)
    checked["intact"] = (checked["lost"] == checked["duplicated"] == checked["repeated_references"]
                         == checked["years_with_gaps"] == checked["stored_though_refused"] == 0)
    print(f"   integrity: {checked['posted']} incident POSTs, {checked['logged_302']} answered 302; lost "
          f"{checked['lost']}, duplicated {checked['duplicated']}, stored though refused "
          f"{checked['stored_though_refused']}; repeated references {checked['repeated_references']}; "
          f"years with a gap in the numbering {checked['years_with_gaps']} of {checked['years_checked']}: "
          f"{'intact' if checked['intact'] else 'NOT intact'}")
    print(f"   gunicorn access log: {server_errors} answers 5xx")
    result["integrity"] = checked
    result["server_5xx"] = server_errors
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure each database in turn, print human lines, then the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true",
                        help="10, 50 and 100 operators for 60 s each, 16 closed-loop clients for 30 s")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES, help=f"PostgreSQL (default {DEFAULT_POSTGRES})")
    parser.add_argument("--wipe-any", action="store_true",
                        help="allow a PostgreSQL database whose name does not start with 'test' (it is emptied)")
    parser.add_argument("--no-heavy", action="store_true",
                        help="operators only in the open loop: no advisory or planner users (to see what they cost)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true", help="(SQLite runs only with --full or --sqlite)")
    parser.add_argument("--sqlite", action="store_true", help="also measure SQLite in a default run")
    parser.add_argument("--users", type=lambda s: [int(n) for n in s.split(",")],
                        help="operators per open-loop phase, e.g. 10,50 (default 10,50; --full 10,50,100)")
    parser.add_argument("--seconds", type=float, help="each open-loop phase (default 6 s; --full 60 s)")
    parser.add_argument("--closed-clients", type=int, help="closed-loop clients (default 8; --full 16)")
    parser.add_argument("--closed-seconds", type=float, help="closed-loop time (default 4 s; --full 30 s)")
    parser.add_argument("--dashboard-times", type=int, help="sequential dashboard requests (default 3; --full 15)")
    args = parser.parse_args(argv)
    args.users = args.users or ([10, 50, 100] if args.full else [10, 50])
    args.seconds = args.seconds or (60.0 if args.full else 6.0)
    args.closed_clients = args.closed_clients or (16 if args.full else 8)
    args.closed_seconds = args.closed_seconds or (30.0 if args.full else 4.0)
    args.dashboard_times = args.dashboard_times or (15 if args.full else 3)
    database_name = sa.engine.make_url(args.database_url).database or ""
    if not args.skip_postgres and not database_name.startswith("test") and not args.wipe_any:
        parser.error(f"{database_name!r} would be emptied: use a database whose name starts with 'test', or --wipe-any")
    started = time.perf_counter()
    today = date.today()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"server: {GUNICORN.name} -c deploy/gunicorn.conf.py, {WORKERS} sync workers, cctv.wsgi:app, "
          f"CCTV_ENV=development (the demo's accounts); load generator in this process, {os.cpu_count()} CPUs")

    # SIGTERM (a CI timeout, kill) ends the run through the finally blocks that stop gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cctv-load-") as folder:
        tmp = Path(folder)
        backends = []
        if not args.skip_postgres:
            backends.append(("postgresql", args.database_url))
        if (args.full or args.sqlite) and not args.skip_sqlite:  # the default run keeps within about a minute
            backends.append(("sqlite", f"sqlite:///{tmp / 'load.sqlite3'}"))
        for name, url in backends:
            try:
                results[name] = run_backend(name, url, args, today, tmp)
            except (sa.exc.OperationalError, RuntimeError) as exc:
                print(f"\n== {name}: FAILED: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
                results[name] = {"failed": str(exc)[:500]}

    result: dict[str, Any] = {"benchmark": "load", "workers": WORKERS, "users": args.users, "seconds": args.seconds,
                              "target": f"PostgreSQL, {TARGET_USERS} operators: operators' pages p95 < "
                                        f"{P95_BUDGET_MS:.0f} ms, 0 errors; dashboard median < "
                                        f"{DASHBOARD_BUDGET_MS:.0f} ms (dashboard_met)"}
    postgres = results.get("postgresql", {})
    at_target = postgres.get(f"open_{TARGET_USERS}")
    print("\n== targets")
    if at_target:
        operators = at_target["operators' pages"]
        errors = at_target["all requests"]["errors"]
        met = operators["p95"] < P95_BUDGET_MS and errors == 0 and postgres["integrity"]["intact"]
        print(f"   PostgreSQL, {TARGET_USERS} operators: operators' pages p95 {operators['p95']:.1f} ms "
              f"(< {P95_BUDGET_MS:.0f}), errors {errors} (all pages), integrity "
              f"{'intact' if postgres['integrity']['intact'] else 'NOT intact'}: {'met' if met else 'NOT met'}")
    else:
        met = False
        print(f"   PostgreSQL at {TARGET_USERS} operators was not measured: NOT met")
    dashboard = postgres.get("dashboard_alone_median_ms")
    dashboard_met = dashboard is not None and dashboard < DASHBOARD_BUDGET_MS
    if dashboard is not None:
        under_load = (at_target or {}).get("dashboard /outcomes", {}).get("p50")
        print(f"   Advisory dashboard, a quarter, PostgreSQL: median {dashboard:.0f} ms alone (< "
              f"{DASHBOARD_BUDGET_MS:.0f}: {'met' if dashboard_met else 'NOT met'})"
              + (f", {under_load:.0f} ms under the {TARGET_USERS}-operator load" if under_load else ""))
    print(f"total run time {time.perf_counter() - started:.1f} s; the machine is shared, so figures are noisy")
    result.update({"results": results, "dashboard_met": dashboard_met, "met": met})
    print_result(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
