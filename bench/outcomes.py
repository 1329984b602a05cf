"""The Advisory Group dashboard and its PDF pack on three years of demo history (about 60,000 incidents): each
beside the raw SQL aggregates it shows and an empty page of the same app (the floor), in the same run.
Target: the dashboard's median within 300 ms for a quarter (issue 17) and its 95th percentile within 1 s (an
analyst's page over three years of figures: it must not break their flow), and the PDF pack's 95th percentile within
5 s. The SQL and the floor are reported beside them, to show where the time goes (the old "page <= floor + 3 x SQL"
target is retired: it measured differences no user could feel).

Run from the project root:  .venv/bin/python bench/outcomes.py  [--full] [--period 2025Q3]

How it measures
- The database is the demo (`cctv.demo.estate.create_demo`: the estate, DPIA register and the control room's three-year
  history) in a new, migrated SQLite file, as `scripts/run` makes it.
- The dashboard GET /outcomes?period=… and the pack GET /outcomes/pack.pdf?period=… are fetched over real HTTP from
  werkzeug's server in this process, as the advisory user; /ping behind the same login is the floor.
- The SQL time replays, on a plain sqlite3 connection (no ORM, no SQLAlchemy), every statement the dashboard issued
  for one request (captured with a `before_cursor_execute` listener), less those the empty page also issues.
- Interleaved rounds after a warm-up; the median and 95th percentile of each case are reported.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import func, select  # noqa: E402

from bench._common import HttpClient, bench_app, interleaved_timings, live_server, print_result  # noqa: E402
from bench._sql import capture_statements, raw_connection, replay_reads, request_only  # noqa: E402
from cctv.controlroom.models import Incident  # noqa: E402
from cctv.db import Database  # noqa: E402
from cctv.demo.estate import create_demo  # noqa: E402
from cctv.outcomes.periods import Period, parse_period, quarter  # noqa: E402

USERNAME, PASSWORD = "advisory", "bench-password-not-secret"
DASHBOARD_MEDIAN_MS = 300.0  # issue 17: ~0.9 s and 80 statements before (one scan of the incidents per measure)
DASHBOARD_BUDGET_MS, PACK_BUDGET_MS = 1000.0, 5000.0  # 95th percentiles
TARGET = (f"dashboard median <= {DASHBOARD_MEDIAN_MS:.0f} ms and p95 <= {DASHBOARD_BUDGET_MS:.0f} ms, "
          f"pack p95 <= {PACK_BUDGET_MS:.0f} ms")


def last_complete_quarter(today: date) -> Period:
    """The quarter before the one `today` is in (the dashboard's default)."""
    q = (today.month - 1) // 3 + 1
    return quarter(today.year, q - 1) if q > 1 else quarter(today.year - 1, 4)


def _is_read(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def build(database: Database, today: date) -> tuple[int, float]:
    """The demo in the (migrated, empty) database; (incidents, seconds)."""
    started = time.perf_counter()
    with database.transaction("bench") as session:
        create_demo(session, today=today, password=PASSWORD)
    with database.session() as session:
        incidents = session.scalar(select(func.count()).select_from(Incident)) or 0
    return incidents, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Build the demo, measure, print human lines, then the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="more rounds for a steadier median")
    parser.add_argument("--period", help="the period shown (default: the last complete quarter)")
    args = parser.parse_args(argv)
    rounds = 25 if args.full else 7
    started = time.perf_counter()
    today = date.today()
    period = parse_period(args.period) if args.period else last_complete_quarter(today)

    with bench_app(SCHEDULER_IN_SERVER=False) as (path, app):
        database: Database = app.extensions["cctv_db"]
        incidents, seconds = build(database, today)
        print(f"database: the demo with {incidents:,} incidents over three years to {today}, SQLite, built in "
              f"{seconds:.1f} s")
        query = urlencode({"period": period.code})
        dashboard_path, pdf_path = f"/outcomes?{query}", f"/outcomes/pack.pdf?{query}"
        with live_server(app) as server:
            client = HttpClient(server.port)
            client.login(USERNAME, PASSWORD)

            def fetch(path: str, kind: str) -> None:
                answer = client.get(path)
                if answer.status != 200 or kind not in answer.headers.get("Content-Type", ""):
                    raise RuntimeError(f"{path}: HTTP {answer.status} {answer.headers.get('Content-Type')}")

            def dashboard() -> None:
                fetch(dashboard_path, "text/html")

            def pdf() -> None:
                fetch(pdf_path, "application/pdf")

            def floor() -> None:
                fetch("/ping", "text/")

            page_sql = capture_statements(database.engine, dashboard)
            pdf_sql = capture_statements(database.engine, pdf)
            floor_sql = capture_statements(database.engine, floor)
            # Reads only: the pack's request also writes its audit entry, and replaying that INSERT uncommitted
            # held SQLite's write lock, so the next pack's own audit entry waited out the HTTP client's 30 s.
            behind = [s for s in request_only(page_sql, floor_sql) if _is_read(s.sql)]
            behind_pdf = [s for s in request_only(pdf_sql, floor_sql) if _is_read(s.sql)]
            print(f"dashboard: GET {dashboard_path} as {USERNAME}: {len(behind)} statements beyond the floor's; "
                  f"the pack: {len(behind_pdf)}")
            raw = raw_connection(str(path))
            try:
                rows = replay_reads(raw, behind)
                timings = interleaved_timings({
                    "dashboard": dashboard, "sql": lambda: replay_reads(raw, behind), "pdf": pdf,
                    "pdf_sql": lambda: replay_reads(raw, behind_pdf), "floor": floor,
                }, repeat=rounds, warmup=2)
            finally:
                raw.close()

    page, sql, pack, pack_sql, floor = (timings[k] for k in ("dashboard", "sql", "pdf", "pdf_sql", "floor"))
    met = page.median <= DASHBOARD_MEDIAN_MS and page.p95 <= DASHBOARD_BUDGET_MS and pack.p95 <= PACK_BUDGET_MS
    print(f"{rounds} interleaved rounds, period {period.label}, {rows:,} rows fetched by the raw SQL:")
    print(f"  {'':14} {'median':>9} {'p95':>9}")
    print(f"  dashboard      {page.median:9.1f} {page.p95:9.1f} ms")
    print(f"  its raw SQL    {sql.median:9.1f} {sql.p95:9.1f} ms")
    print(f"  PDF pack       {pack.median:9.1f} {pack.p95:9.1f} ms")
    print(f"  its raw SQL    {pack_sql.median:9.1f} {pack_sql.p95:9.1f} ms")
    print(f"  empty page     {floor.median:9.1f} {floor.p95:9.1f} ms  (/ping, behind the same login)")
    print(f"target {TARGET}: {page.median:.1f} and {page.p95:.1f} ms, {pack.p95:.1f} ms: {'met' if met else 'NOT met'}")
    print(f"total run time {time.perf_counter() - started:.1f} s")
    print_result({
        "benchmark": "outcomes", "incidents": incidents, "period": period.code, "rounds": rounds,
        "dashboard_ms": round(page.median, 2), "dashboard_p95_ms": round(page.p95, 2),
        "sql_ms": round(sql.median, 2), "pdf_ms": round(pack.median, 2), "pdf_p95_ms": round(pack.p95, 2),
        "pdf_sql_ms": round(pack_sql.median, 2), "floor_ms": round(floor.median, 2), "target": TARGET, "met": met,
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
