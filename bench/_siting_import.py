"""Part of bench/siting.py (issue 15, h3): the crime store — importing the 12 files against the databases' own bulk
loaders, and reading a county's years back (`cctv siting score`, the /siting page) at 457k stored crimes.

Run alone from the project root:  .venv/bin/python bench/_siting_import.py [--full]

Figures (medians of interleaved rounds, each baseline timed in the same run):
- `import_sqlite`: `siting.store.crimes.import_crimes` of the 12 files (Hertfordshire 2025, ../shared/data) into a
  new, migrated SQLite database, committed, as `cctv crimes import` does, against Debian's `sqlite3` command
  loading the same files with `.import` into a plain table (its whole run timed, start-up included). Target ≤ 2×.
- `import_pg` (when CCTV_BENCH_DATABASE_URL, or else CCTV_TEST_DATABASE_URL, names a PostgreSQL database: its
  public schema is DROPPED and migrated afresh each round, so never name a real one): the same import against
  `psql` running `\\copy` of the same files into a plain table. Target ≤ 3×.
- With --full, on a county's years (the real year copied back in time to 457,000 stored crimes: bench/
  _siting_store.py) and 200 candidate sites (the 100 busiest police.uk map points and 100 random points over the
  county): `cctv siting score` end to end as a separate process (start-up, reading, scoring, printing), target
  under 1.5 s; the /siting page as a planner over HTTP, target under 1 s, and re-scored with other parameters
  (radius 150 m, a 24-month window), target under 2 s — on SQLite and, when a database is named, PostgreSQL.
  Also the CLI import end to end (`cctv crimes import` of the 12 files), for information.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run alone: the project root on the path, bench/ off it
    _BENCH = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
    sys.path.insert(0, str(_BENCH.parent))

import numpy as np

from bench._common import ROOT, empty_postgres, print_result
from bench._siting_store import store_county
from cctv.db import Database, normalise_url
from cctv.migrate import upgrade
from siting.sources.police import find_sources
from siting.store.crimes import import_crimes

DATA = ROOT.parent / "shared" / "data" / "police-uk-hertfordshire-2025"
COUNTY_CRIMES = 457_000
SITES = 200
TARGETS = {"import_sqlite_over_sqlite3": 2.0, "import_pg_over_psql": 3.0, "score_s": 1.5, "page_s": 1.0,
           "rescore_s": 2.0}
PLANNER, PASSWORD = "bench-planner", "Bench-planner-password-1"
CSV_COLUMNS = ("crime_id", "month", "reported_by", "falls_within", "longitude", "latitude", "location", "lsoa_code",
               "lsoa_name", "crime_type", "last_outcome", "context")
RESCORE = "/siting?radius_m=150&window_months=24"


# CPU seconds of each case's rounds (the process's own for in-process cases, the child's for commands): on a machine
# shared with other work, wall-clock figures stretch with the load and CPU figures much less, so both are printed.
CPU: dict[str, list[float]] = {}


def _cpu_of(name: str, command: Callable[[], Any]) -> Any:
    """Run `command`, adding its CPU seconds (this process's and its children's) to CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.process_time()
    result = command()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    CPU.setdefault(name, []).append(time.process_time() - started + children)
    return result


def _interleaved(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median seconds of each case over rounds run a, b, a, b, … (each case returns the seconds it measured)."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            samples[name].append(case())
    return {name: statistics.median(values) for name, values in samples.items()}


def _sqlite3_import(files: list[Path]) -> float:
    """Debian's sqlite3 loading the files with .import into a new database (its whole run)."""
    with tempfile.TemporaryDirectory(prefix="cctv-bench-") as tmp:
        script = [f"CREATE TABLE crime_csv ({', '.join(CSV_COLUMNS)});", ".mode csv"]
        script += [f".import --skip 1 '{path}' crime_csv" for path in files]
        started = time.perf_counter()
        _cpu_of("sqlite3_import", lambda: subprocess.run(["sqlite3", f"{tmp}/plain.sqlite3"],
                                                         input="\n".join(script), text=True, check=True))
        return time.perf_counter() - started


def _psql_copy(url: str, files: list[Path]) -> float:
    """psql loading the files with \\copy into a new plain table (its whole run), in the benchmark database."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    columns = ", ".join(f"{column} text" for column in CSV_COLUMNS)
    script = ["SET client_min_messages = warning;", "DROP TABLE IF EXISTS crime_csv;",
              f"CREATE TABLE crime_csv ({columns});"]
    script += [f"\\copy crime_csv FROM '{path}' WITH (FORMAT csv, HEADER true)" for path in files]
    started = time.perf_counter()
    _cpu_of("psql_copy", lambda: subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", plain],
                                                input="\n".join(script), text=True, check=True,
                                                stdout=subprocess.DEVNULL))
    seconds = time.perf_counter() - started
    subprocess.run(["psql", "-q", plain, "-c", "DROP TABLE crime_csv"], check=True, stdout=subprocess.DEVNULL)
    return seconds


def _import_into(url: str, files: list[Path], stored: list[int], name: str) -> float:
    """import_crimes of the files into the (migrated, empty) database at url, committed."""
    database = Database(url)
    started = time.perf_counter()

    def load() -> Any:
        with database.transaction("bench") as session:
            return import_crimes(session, files, actor="bench")[1]

    summary = _cpu_of(name, load)
    seconds = time.perf_counter() - started
    database.engine.dispose()
    stored.append(summary.added)
    return seconds


def _sqlite_import(files: list[Path], stored: list[int]) -> float:
    with tempfile.TemporaryDirectory(prefix="cctv-bench-") as tmp:
        url = f"sqlite:///{tmp}/crimes.sqlite3"
        upgrade(url)  # the real schema and indexes, outside the timer
        return _import_into(url, files, stored, "import_sqlite")


def postgres_url() -> str | None:
    """The PostgreSQL database the benchmark may wipe, if one is named."""
    url = os.environ.get("CCTV_BENCH_DATABASE_URL") or os.environ.get("CCTV_TEST_DATABASE_URL")
    return normalise_url(url) if url and url.startswith("postgresql") else None


def fresh_postgres(url: str) -> None:
    """Drop the database's public schema and migrate it afresh."""
    empty_postgres(url)
    upgrade(url)


def _pg_import(url: str, files: list[Path], stored: list[int]) -> float:
    fresh_postgres(url)
    return _import_into(url, files, stored, "import_pg")


def _target(figure: float | None, target: float, unit: str) -> dict[str, Any]:
    return {"figure": None if figure is None else round(figure, 3), "target": f"≤ {target:g}{unit}",
            "met": figure is not None and figure <= target}


def measure_import(files: list[Path], rounds: int) -> dict[str, Any]:
    """The import into SQLite (and PostgreSQL when one is named) against each database's own bulk loader."""
    stored: list[int] = []
    cases: dict[str, Callable[[], float]] = {"import_sqlite": lambda: _sqlite_import(files, stored)}
    have_sqlite3 = shutil.which("sqlite3") is not None
    if have_sqlite3:
        cases["sqlite3_import"] = lambda: _sqlite3_import(files)
    else:
        print("    sqlite3 (Debian's sqlite3 command) is not installed: the SQLite baseline is skipped "
              "(apt-get install sqlite3)")
    pg_url = postgres_url()
    if pg_url and shutil.which("psql"):
        cases["import_pg"] = lambda: _pg_import(pg_url, files, stored)
        cases["psql_copy"] = lambda: _psql_copy(pg_url, files)
    elif pg_url:
        print("    psql is not installed: the PostgreSQL import is skipped")
    times = _interleaved(cases, rounds)
    rows = sum(len(path.read_bytes().splitlines()) - 1 for path in files)
    print(f"import of {len(files)} files, {rows:,} rows ({stored[-1]:,} stored), medians of {rounds}:")
    labels = {"import_sqlite": "import_crimes into SQLite", "sqlite3_import": "sqlite3 .import (plain table)",
              "import_pg": "import_crimes into PostgreSQL", "psql_copy": "psql \\copy (plain table)"}
    cpu = {name: statistics.median(CPU[name][-rounds:]) for name in times}
    for name, seconds in times.items():
        print(f"    {labels[name]:34s} {seconds:6.2f} s  {rows / seconds:>9,.0f} rows/s  (CPU {cpu[name]:.2f} s)")
    sqlite_ratio = times["import_sqlite"] / times["sqlite3_import"] if have_sqlite3 else None
    pg_ratio = times["import_pg"] / times["psql_copy"] if "import_pg" in times else None
    targets = {"import_sqlite_over_sqlite3": _target(sqlite_ratio, TARGETS["import_sqlite_over_sqlite3"], "×")}
    if pg_ratio is not None:
        targets["import_pg_over_psql"] = _target(pg_ratio, TARGETS["import_pg_over_psql"], "×")
    for name, target in targets.items():
        print(f"    {name}: {target['figure']}× (target {target['target']}) {'met' if target['met'] else 'NOT met'}")
    if have_sqlite3:
        print(f"    CPU ratio SQLite {cpu['import_sqlite'] / cpu['sqlite3_import']:.2f}×"
              + (f", PostgreSQL {cpu['import_pg'] / cpu['psql_copy']:.2f}× (psql's CPU only: the server's is not "
                 "counted on either side)" if pg_ratio is not None else ""))
    return {"rows": rows, "stored": stored[-1], "seconds": {k: round(v, 3) for k, v in times.items()},
            "cpu_seconds": {k: round(v, 3) for k, v in cpu.items()}, "targets": targets}


def _cli(url: str, *args: str, check: bool = True) -> tuple[float, str]:
    """Seconds one `cctv` run takes as its own process, and what it printed."""
    env = {**os.environ, "CCTV_DATABASE_URL": url, "CCTV_SECRET_KEY": "bench-not-secret",
           "PYTHONPATH": str(ROOT)}
    cctv = Path(sys.executable).with_name("cctv")
    command = [str(cctv)] if cctv.exists() else [sys.executable, "-c", "from cctv.cli import main; main()"]
    started = time.perf_counter()
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        raise RuntimeError(f"cctv {' '.join(args)} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout


def _add_sites_and_planner(url: str) -> None:
    """200 candidate sites (the 100 busiest map points of the latest year, 100 random points over the county)
    and a planner account."""
    from cctv.auth.models import Role, UserCreate
    from cctv.auth.service import create_user
    from siting.model.inputs import Site
    from siting.store.reading import load_crimes
    from siting.store.saved import SiteSource, add_site

    database = Database(url)
    with database.transaction("bench") as session:
        crimes = load_crimes(session)
        latest = crimes.located & (crimes.month >= crimes.month.max() - 11)
        points, counts = np.unique(np.column_stack([crimes.easting[latest], crimes.northing[latest]]), axis=0,
                                   return_counts=True)
        busiest = points[np.argsort(-counts, kind="stable")[:SITES // 2]]
        rng = np.random.default_rng(15)
        west, south = points.min(axis=0)
        east, north = points.max(axis=0)
        spread = np.column_stack([rng.uniform(west, east, SITES // 2), rng.uniform(south, north, SITES // 2)])
        for i, (e, n) in enumerate(np.vstack([busiest, spread])):
            add_site(session, Site.at(f"B{i}", float(e), float(n), name=f"Bench site {i + 1}"),
                     source=SiteSource.TYPED, actor="bench")
        create_user(session, UserCreate(username=PLANNER, full_name="Bench planner", role=Role.PLANNER,
                                        password=PASSWORD))
    database.engine.dispose()


def _page_times(url: str, rounds: int) -> dict[str, float]:
    """Median seconds of GET /siting and of a re-score with other parameters, as a planner over HTTP."""
    from bench._common import HttpClient, live_server
    from cctv.app import create_app

    app = create_app({"SECRET_KEY": "bench-not-secret", "DATABASE_URL": url, "SQL_ECHO": False, "MAP_TILE_URL": "",
                      "TESTING": False})
    try:
        with live_server(app) as server:
            client = HttpClient(server.port)
            client.login(PLANNER, PASSWORD)

            def page(path: str) -> Callable[[], float]:
                def timed() -> float:
                    started = time.perf_counter()
                    answer = client.get(path)
                    seconds = time.perf_counter() - started
                    if answer.status != 200 or "Bench site" not in answer.text:
                        raise RuntimeError(f"GET {path}: HTTP {answer.status}, no ranking")
                    return seconds
                return timed

            page("/siting")()  # the first request of a new process builds templates: not what a planner waits for
            return _interleaved({"page": page("/siting"), "rescore": page(RESCORE)}, rounds)
    finally:
        app.extensions["cctv_db"].engine.dispose()


def measure_county(url: str, label: str, rounds: int) -> dict[str, Any]:
    """Store the county's 457k crimes and 200 sites at `url` (migrated, empty), then time score and the pages."""
    started = time.perf_counter()
    stored = store_county(url, DATA, COUNTY_CRIMES)
    built = time.perf_counter() - started
    _add_sites_and_planner(url)
    _cli(url, "siting", "score", "--top", "20")  # warms the page cache, as any earlier command would
    score = statistics.median(_cpu_of("score", lambda: _cli(url, "siting", "score", "--top", "20")[0])
                              for _ in range(rounds))
    score_cpu = statistics.median(CPU["score"][-rounds:])
    pages = _page_times(url, rounds)
    print(f"{label}: {stored:,} crimes stored in {built:.1f} s (import_crimes), {SITES} candidate sites; medians of "
          f"{rounds}: `cctv siting score` {score:.2f} s (CPU {score_cpu:.2f} s), /siting {pages['page']:.2f} s, "
          f"re-scored ({RESCORE}) {pages['rescore']:.2f} s")
    return {"stored": stored, "store_s": round(built, 1), "score_s": round(score, 3),
            "score_cpu_s": round(score_cpu, 3), "page_s": round(pages["page"], 3),
            "rescore_s": round(pages["rescore"], 3)}


def run(full: bool) -> dict[str, Any]:
    """The store's part of issue 15: the import by default; with `full`, the county's score and pages too."""
    if not DATA.is_dir():
        print(f"store: skipped, the police.uk files are not at {DATA}")
        return {"targets": {}, "skipped": True}
    files = [source.path for source in find_sources(DATA)]
    result = measure_import(files, 5 if full else 3)
    targets = dict(result["targets"])
    if full:
        county: dict[str, Any] = {}
        with tempfile.TemporaryDirectory(prefix="cctv-bench-county-") as tmp:
            url = f"sqlite:///{tmp}/county.sqlite3"
            upgrade(url)
            county["sqlite"] = measure_county(url, "SQLite", 3)
            cli_import = _cli_import(tmp, files)
        pg_url = postgres_url()
        if pg_url:
            fresh_postgres(pg_url)
            county["postgresql"] = measure_county(pg_url, "PostgreSQL", 3)
        for db, figures in county.items():
            targets[f"score_{db}_s"] = _target(figures["score_s"], TARGETS["score_s"], " s")
            targets[f"page_{db}_s"] = _target(figures["page_s"], TARGETS["page_s"], " s")
            targets[f"rescore_{db}_s"] = _target(figures["rescore_s"], TARGETS["rescore_s"], " s")
        result.update(county=county, cli_import_s=round(cli_import, 3))
        for name, target in targets.items():
            print(f"    {name}: {target['figure']} (target {target['target']}) {'met' if target['met'] else 'NOT met'}")
    result["targets"] = targets
    return result


def _cli_import(tmp: str, files: list[Path]) -> float:
    """`cctv crimes import` of the 12 files into a new database, end to end as its own process (for information)."""
    url = f"sqlite:///{tmp}/cli.sqlite3"
    upgrade(url)
    seconds, _ = _cli(url, "crimes", "import", *map(str, files))
    print(f"    `cctv crimes import` of the {len(files)} files end to end (start-up included): {seconds:.2f} s")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run the part alone: human lines, then one JSON line with "met"."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also the county's score and pages at 457k crimes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(args.full)
    targets = result["targets"]
    met = None if result.get("skipped") else all(t["met"] for t in targets.values())
    print(f"total {time.perf_counter() - started:.1f} s")
    print_result({"benchmark": "siting_import", **result, "met": met})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
