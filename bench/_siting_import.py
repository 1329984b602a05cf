"""Part (c) of bench/siting.py: the crime import against a plain csv read, with the floors that bound it.

Figures, all on the same 12 files and medians of interleaved rounds:
- `csv`: a plain `csv.reader` pass counting rows (the target's baseline: import at most 4x this);
- `reader`: the police.uk reader alone (parsing, validating, dedup keys), the floor of any import;
- `sqlite_rows`: the bare cost of SQLite taking the rows: sqlite3's executemany of the same rows, prepared
  beforehand (outside the timer), into the same migrated schema, committed;
- `import`: `siting.store.crimes.import_crimes` into a new, migrated SQLite database, committed (as
  `cctv crimes import`);
- `import_pg` (when CCTV_BENCH_DATABASE_URL or CCTV_TEST_DATABASE_URL names a PostgreSQL database, whose public
  schema is dropped and migrated afresh each round): the same import into PostgreSQL, by COPY.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from cctv.db import Database, normalise_url
from cctv.migrate import upgrade
from siting.sources.police import RECORD_FIELDS, read_crime_rows
from siting.store.bulk import COLUMNS
from siting.store.crimes import import_crimes

_KEY, _ID, _MONTH = (RECORD_FIELDS.index(n) for n in ("dedup_key", "crime_id", "month"))
_FIELDS = [RECORD_FIELDS.index(n) for n in ("category", "longitude", "latitude", "location", "lsoa_code",
                                             "lsoa_name", "outcome", "falls_within", "source")]


def _plain_csv(files: list[Path], rows: dict[str, int]) -> float:
    started, count = time.perf_counter(), 0
    for path in files:
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)  # the header is not a crime
            for _row in reader:
                count += 1
    rows["csv"] = count
    return time.perf_counter() - started


def _prepared_rows(files: list[Path]) -> list[tuple]:
    """The rows exactly as `import_crimes` hands them to SQLite (projection replaced by fixed numbers)."""
    out = []
    for r in read_crime_rows(*files):
        category, lon, lat, location, lsoa, lsoa_name, outcome, falls, source = (r[i] for i in _FIELDS)
        month: date = r[_MONTH]
        out.append((r[_KEY], r[_ID], month.isoformat(), category, lon, lat, 500_000.0, 200_000.0, location, lsoa,
                    lsoa_name, outcome, falls, source, 1))
    return out


def _sqlite_rows(prepared: list[tuple]) -> float:
    sql = (f"INSERT INTO crime ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
           "ON CONFLICT (dedup_key) DO NOTHING")
    with tempfile.TemporaryDirectory(prefix="cctv-bench-") as tmp:
        upgrade(f"sqlite:///{tmp}/floor.sqlite3")
        connection = sqlite3.connect(f"{tmp}/floor.sqlite3")
        connection.execute("INSERT INTO crime_import (id, imported_by, files_json, area, rows_read, added, duplicates,"
                           " without_location, outside_area, problem_rows, problems_json, months_json, imported_at)"
                           " VALUES (1, 'bench', '[]', '', 0, 0, 0, 0, 0, 0, '[]', '[]', '2026-01-01')")
        connection.commit()
        connection.execute("PRAGMA cache_size = -65536")  # as siting.store.bulk.sqlite_bulk_load does
        started = time.perf_counter()
        connection.executemany(sql, prepared)
        connection.commit()
        seconds = time.perf_counter() - started
        connection.close()
    return seconds


def _import_into(url: str, files: list[Path], rows: dict[str, int], prepare: Callable[[], None]) -> float:
    prepare()
    database = Database(url)
    started = time.perf_counter()
    with database.transaction("bench") as session:
        _, summary = import_crimes(session, files, actor="bench")
    seconds = time.perf_counter() - started
    database.engine.dispose()
    rows["import"] = summary.added
    return seconds


def _sqlite_import(files: list[Path], rows: dict[str, int]) -> float:
    with tempfile.TemporaryDirectory(prefix="cctv-bench-") as tmp:
        url = f"sqlite:///{tmp}/crimes.sqlite3"
        return _import_into(url, files, rows, lambda: upgrade(url))  # the real schema and indexes


def _postgres_url() -> str | None:
    url = os.environ.get("CCTV_BENCH_DATABASE_URL") or os.environ.get("CCTV_TEST_DATABASE_URL")
    return normalise_url(url) if url and url.startswith("postgresql") else None


def _fresh_postgres(url: str) -> None:
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.engine.dispose()
    upgrade(url)


def measure_import(files: list[Path], rounds: int, median_pair: Callable[..., dict[str, float]],
                   timed: Callable[[Callable[[], Any]], float]) -> dict[str, Any]:
    """(c): the import into SQLite (and PostgreSQL when one is named) against a plain csv read and the floors."""
    rows = {"csv": 0, "import": 0}
    prepared = _prepared_rows(files)
    cases: dict[str, Callable[[], float]] = {
        "csv": lambda: _plain_csv(files, rows),
        "reader": lambda: timed(lambda: sum(1 for _ in read_crime_rows(*files))),
        "sqlite_rows": lambda: _sqlite_rows(prepared),
        "import": lambda: _sqlite_import(files, rows),
    }
    pg_url = _postgres_url()
    if pg_url:
        cases["import_pg"] = lambda: _import_into(pg_url, files, rows, lambda: _fresh_postgres(pg_url))
    times = median_pair(cases, rounds)
    over = {name: seconds / times["csv"] for name, seconds in times.items()}
    print(f"(c) import of {len(files)} files, {rows['csv']:,} rows ({rows['import']:,} stored), medians of {rounds}:")
    labels = {"csv": "plain csv.reader pass", "reader": "police.uk reader alone",
              "sqlite_rows": "sqlite3 executemany of prepared rows", "import": "import_crimes into SQLite",
              "import_pg": "import_crimes into PostgreSQL"}
    for name, seconds in times.items():
        print(f"    {labels[name]:40s} {seconds:6.2f} s  {rows['csv'] / seconds:>9,.0f} rows/s  {over[name]:4.1f}x csv")
    print(f"    floor of any SQLite import: reader + executemany = {over['reader'] + over['sqlite_rows']:.1f}x csv; "
          f"import_crimes adds {times['import'] - times['reader'] - times['sqlite_rows']:.2f} s over it")
    result: dict[str, Any] = {"rows": rows["csv"], "stored": rows["import"]}
    result.update({f"{name}_s": round(seconds, 3) for name, seconds in times.items()})
    result.update({f"{name}_over_csv": round(ratio, 2) for name, ratio in over.items() if name != "csv"})
    return result
