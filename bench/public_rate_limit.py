"""The public page's shared rate limit: what counting each request in the database costs a public request.

Run from the project root:  .venv/bin/python bench/public_rate_limit.py  [--full] [--repeat N]
PostgreSQL too when CCTV_BENCH_DATABASE_URL names a scratch database (its tables are dropped and made again).

How it measures
- An app on a fresh database (SQLite in a temporary directory; PostgreSQL if given) with every table and no
  cameras, so the page itself does as little as possible and the limiter's share is at its largest.
- Cases, timed in interleaved rounds after a warm-up (bench/_common.interleaved_timings), in-process through Flask's
  test client: `GET /public/cameras.csv` (the limited request: prune, count, record, commit, then the CSV); the
  limiter alone (`request_limit.allow` and its commit) on the same database; and the floor of any count shared
  through a database, one INSERT and its commit (an hour old, so the limiter prunes it). Each request comes from the
  next of 1,000 addresses (`--full`: 10,000), so none is refused and the table holds a minute's requests.
- Target: the limiter's median within twice the floor's on each database (its prune and count cost no more than
  the write every shared count must make).
"""

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from itertools import count
from pathlib import Path

from _common import interleaved_timings, print_result  # first: it puts the project root on the path
from sqlmodel import func, select

from cctv.app import create_app
from cctv.models import metadata
from cctv.transparency import request_limit
from cctv.transparency.models import PublicRequest
from inventory.types import utcnow

TARGET_RATIO = 2.0


def run(url: str, *, addresses: int, repeat: int) -> dict[str, float]:
    """Timings on one database: the limited request and the limiter alone, median and 95th percentile."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "PUBLIC_RATE_LIMIT": 60,
                      "MAP_TILE_URL": ""})
    database = app.extensions["cctv_db"]
    metadata.drop_all(database.engine)
    metadata.create_all(database.engine)
    client = app.test_client()
    numbers = count()

    def address() -> str:
        n = next(numbers) % addresses
        return f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"

    def page() -> None:
        answer = client.get("/public/cameras.csv", environ_base={"REMOTE_ADDR": address()})
        assert answer.status_code == 200, answer.status_code

    session = database.session("bench")

    def limiter() -> None:
        assert request_limit.allow(session, address(), limit=60, now=utcnow())
        session.commit()

    floor_session = database.session("bench")

    def floor() -> None:
        floor_session.add(PublicRequest(at=utcnow() - timedelta(hours=1), address="floor"))
        floor_session.commit()

    timings = interleaved_timings({"page": page, "limiter": limiter, "floor": floor}, repeat=repeat)
    floor_session.close()
    rows = session.exec(select(func.count()).select_from(PublicRequest)).one()
    session.close()
    database.engine.dispose()
    return {"page_median_ms": timings["page"].median, "page_p95_ms": timings["page"].p95,
            "limiter_median_ms": timings["limiter"].median, "limiter_p95_ms": timings["limiter"].p95,
            "floor_median_ms": timings["floor"].median, "rows_kept": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="10,000 addresses and 2,000 rounds")
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    addresses, repeat = (10_000, 2_000) if args.full else (1_000, 500)
    repeat = args.repeat or repeat
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", addresses=addresses, repeat=repeat)
    if os.environ.get("CCTV_BENCH_DATABASE_URL"):
        results["postgresql"] = run(os.environ["CCTV_BENCH_DATABASE_URL"], addresses=addresses, repeat=repeat)
    for backend, figures in results.items():
        print(f"{backend}: limited request median {figures['page_median_ms']:.2f} ms (p95 "
              f"{figures['page_p95_ms']:.2f}); limiter alone median {figures['limiter_median_ms']:.2f} ms (p95 "
              f"{figures['limiter_p95_ms']:.2f}), {figures['limiter_median_ms'] / figures['page_median_ms']:.0%} "
              f"of the request; floor (one insert and commit) median {figures['floor_median_ms']:.2f} ms, limiter "
              f"{figures['limiter_median_ms'] / figures['floor_median_ms']:.1f}x it; {figures['rows_kept']} rows kept",
              file=sys.stderr)
    met = all(f["limiter_median_ms"] <= TARGET_RATIO * f["floor_median_ms"] for f in results.values())
    print_result({"benchmark": "public_rate_limit", "target_ratio": TARGET_RATIO, "met": met,
                  **{f"{b}_{k}": round(v, 3) for b, f in results.items() for k, v in f.items()}})


if __name__ == "__main__":
    main()
