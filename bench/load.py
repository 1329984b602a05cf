"""The production server under a control room's load: gunicorn with deploy/gunicorn.conf.py and 4 workers serving
`cctv.wsgi:app` on PostgreSQL and on SQLite, each with the demo, driven by signed-in operators over real HTTP.
Target: at 50 operators on PostgreSQL, the operators' pages answer within 150 ms at the 95th percentile with no
errors; the Advisory dashboard's median for a quarter (target 300 ms) is reported beside it as `dashboard_met`.

Run from the project root:  .venv/bin/python bench/load.py  [--full] [--sqlite] [--database-url URL]

How it measures
- Each database is emptied, migrated (`cctv db upgrade`) and filled with the demo (`create_demo`, as `cctv demo`
  does: the estate, the DPIA register, three years of control-room history and one account per role, password
  demo-password); PostgreSQL's is then vacuumed and analysed, as autovacuum keeps a production database (planner
  statistics, and all-visible pages for the dashboard's index-only counts: migration 0025). PostgreSQL is
  `--database-url` (default CCTV_BENCH_DATABASE_URL, CCTV_TEST_DATABASE_URL or the
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
  Beside it, the server's CPU time per dashboard request (gunicorn's processes and the database's backends, from
  Linux's /proc): on a machine shared with other work the wall time waits for a CPU, the CPU time much less so.
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
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import sqlalchemy as sa  # noqa: E402

from bench._common import percentile, print_result  # noqa: E402
from bench._load_http import sign_in_many  # noqa: E402
from bench._load_server import GUNICORN, WORKERS, fixtures, gunicorn, prepare_database, server_cpu_seconds  # noqa: E402
from bench._load_users import (  # noqa: E402
    OPERATOR_PAGES,
    Actions,
    Sample,
    closed_loop,
    integrity,
    open_loop,
    print_table,
    sequential_median,
    summary,
)

# The benchmark empties and refills it: a database whose name starts with "test" unless --wipe-any.
DEFAULT_POSTGRES = (os.environ.get("CCTV_BENCH_DATABASE_URL") or os.environ.get("CCTV_TEST_DATABASE_URL")
                    or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
P95_BUDGET_MS = 150.0  # the operators' pages at 50 operators on PostgreSQL
DASHBOARD_BUDGET_MS = 300.0  # the Advisory dashboard's median for a quarter
TARGET_USERS = 50
OPERATOR_MEAN_S = 2.0
HEAVY_MEAN_S = 10.0


def run_backend(name: str, url: str, args: argparse.Namespace, today: date, tmp: Path) -> dict[str, Any]:
    """Build, serve, load and check one database; its figures."""
    incidents, built = prepare_database(url, today)
    found = fixtures(url)
    print(f"\n== {name}: the demo, {incidents:,} incidents, built and migrated in {built:.1f} s; the day's log read "
          f"is {found.day}, the busiest day of the last year ({found.day_incidents} incidents)")
    result: dict[str, Any] = {"incidents": incidents}
    run_id = uuid.uuid4().hex[:10]
    log_path = tmp / f"gunicorn-{name}.log"
    with gunicorn(url, log_path) as (port, group):
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
        cpu_before = server_cpu_seconds(group, url)
        dashboard_ms, dashboard_errors = sequential_median(actions, advisers[0], "/outcomes", args.dashboard_times)
        dashboard_cpu_ms = (server_cpu_seconds(group, url) - cpu_before) * 1000 / args.dashboard_times
        siting_ms, _ = sequential_median(actions, planners[0], "/siting", 3)
        print(f"   alone (one request at a time): dashboard /outcomes (last quarter) median {dashboard_ms:.0f} ms over "
              f"{args.dashboard_times}{f', {dashboard_errors} errors' if dashboard_errors else ''}, server CPU "
              f"{dashboard_cpu_ms:.0f} ms a request (gunicorn and database); /siting median {siting_ms:.0f} ms over 3")
        result.update({"dashboard_alone_median_ms": round(dashboard_ms, 1),
                       "dashboard_alone_cpu_ms": round(dashboard_cpu_ms, 1),
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
              f"{DASHBOARD_BUDGET_MS:.0f}: {'met' if dashboard_met else 'NOT met'}), server CPU "
              f"{postgres['dashboard_alone_cpu_ms']:.0f} ms a request"
              + (f", {under_load:.0f} ms under the {TARGET_USERS}-operator load" if under_load else ""))
    load = os.getloadavg()
    print(f"total run time {time.perf_counter() - started:.1f} s; load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} at the end: the machine is shared, so wall-clock figures are noisy (CPU ones less so)")
    result.update({"results": results, "dashboard_met": dashboard_met, "met": met,
                   "load_average": [round(x, 1) for x in load]})
    print_result(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
