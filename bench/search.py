"""Incident search: the full-text index (cctv.controlroom.search) against a plain LIKE scan, at 60,000 incidents
(three years of a control room logging about 55 a day, as the demo holds) and with --full at 200,000 (ten years).

Each database is built as `cctv db upgrade` makes it (migration 0011's index included), filled with synthetic
incidents in bulk (narratives of 25 words drawn from a 3,000-word vocabulary with a Zipf-like spread, streets, police
references), then both ways of searching are timed on the same questions, interleaved (fts, like, fts, like, …):

- full text: `search(session, IncidentQuery(words=…))`, the service behind /incidents/search and the search box;
- LIKE: `search_incidents(session, text=…)` (cctv.controlroom.incident_queries), a case-insensitive LIKE over the
  same six fields, which is what the log offered before the index.

The questions are what operators look for: a police reference, a surname in a few dozen narratives, two words of a
narrative together, a street with a word, and the commonest word of all (in nearly every narrative: the search that
must stop at its first page of results rather than gather every match). Both return the newest 200 matches (words
matched whole, as the search box does).

PostgreSQL runs when CCTV_BENCH_DATABASE_URL (or --postgres) names a database: its public schema is DROPPED and
rebuilt, so give it a scratch database. SQLite (a temporary file) runs when PostgreSQL is not given, and always with
--full. The default run (one database, 60,000 incidents, the LIKE baseline timed 3 times) takes under a minute;
--full (both databases, 200,000 incidents, 7 rounds) several minutes.
Target (issue 16): on PostgreSQL, median under 50 ms and at least 10x faster than the LIKE scan. The JSON line's
"met" is that target on PostgreSQL, or the same target on SQLite when PostgreSQL was not measured.

    .venv/bin/python bench/search.py [--full] [--incidents N] [--repeat N]
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Run as `python bench/search.py`, Python puts bench/ first on the path, where bench/inventory.py would shadow the
# `inventory` package. Take bench/ off the path and put the project root on it instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import insert, text  # noqa: E402

from bench._common import empty_postgres, interleaved_timings, print_result  # noqa: E402
from cctv.controlroom import fts  # noqa: E402
from cctv.controlroom.incident_queries import search_incidents  # noqa: E402
from cctv.controlroom.models import ControlRoom, Incident, IncidentCategory  # noqa: E402
from cctv.controlroom.search import IncidentQuery, search  # noqa: E402
from cctv.db import Database, normalise_url  # noqa: E402
from cctv.migrate import upgrade  # noqa: E402

TARGET_MS = 50.0
TARGET_RATIO = 10.0
BATCH = 5_000
SURNAME = "Okonkwo"  # in SURNAME_ROWS narratives
SURNAME_ROWS = 40
CATEGORIES = ("asb", "theft", "violence", "robbery", "drugs", "criminal_damage")


def _vocabulary(rng: random.Random, size: int = 3_000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "tor", "vel", "sa", "din", "pru", "gat", "hel", "bo", "nix", "quar", "ost"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _rows(count: int, room_id: int, rng: random.Random) -> tuple[list[dict], dict[str, str]]:
    """The incidents as rows for a bulk insert, and the questions to ask of them."""
    vocabulary = _vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))  # once, not per row
    streets = [f"{w.capitalize()} {kind}" for w in vocabulary[:200] for kind in ("Street",)]
    start = datetime(2023, 1, 1, tzinfo=UTC)
    step = timedelta(days=3 * 365) / count
    surname_rows = set(rng.sample(range(count), SURNAME_ROWS))
    rows = []
    for n in range(count):
        occurred = start + n * step
        words = rng.choices(vocabulary, cum_weights=cumulative, k=25)
        if n in surname_rows:
            words[rng.randrange(25)] = SURNAME
        rows.append({
            "occurred_at": occurred, "category": CATEGORIES[n % len(CATEGORIES)], "source": "proactive",
            "location_text": streets[rng.randrange(len(streets))], "police_informed": n % 3 == 0,
            "police_reference": f"CAD {100000 + n}/{occurred:%d%b}".upper() if n % 3 == 0 else "",
            "police_attended": False, "arrests": 0, "arrest_offences": "", "outcome": "", "follow_up": "open",
            "narrative": " ".join(words).capitalize() + ".", "reference": f"WY-{occurred.year}-{n + 1:06d}",
            "control_room_id": room_id, "ref_year": occurred.year, "ref_number": n + 1, "logged_at": occurred,
            "operator": "bench", "in_monitored_hours": True, "monitored_session": occurred.date(),
            "updated_at": occurred, "closed_by": "",
        })
    target = rows[count // 2 + 1]
    questions = {
        "police reference": next(r["police_reference"] for r in rows[count // 2:] if r["police_reference"]),
        "surname": SURNAME,
        "two words": f"{vocabulary[300]} {vocabulary[420]}",
        "street and word": f"{target['location_text'].split()[0]} {target['narrative'].split()[3].strip('.')}",
        "common word": vocabulary[0],  # the Zipf spread's first word: in about 95% of the narratives
    }
    return rows, questions


def _build(url: str, count: int, rng: random.Random) -> tuple[Database, dict[str, str], float]:
    """Migrate an empty database and fill it; (database, questions, seconds to build)."""
    started = time.perf_counter()
    upgrade(url)
    database = Database(url)
    postgres = database.engine.dialect.name == "postgresql"
    with database.engine.begin() as connection:
        room_id = connection.execute(insert(ControlRoom.__table__).values(code="WY", name="Wycombe")  # type: ignore[attr-defined]
                                     .returning(ControlRoom.__table__.c.id)).scalar_one()  # type: ignore[attr-defined]
        connection.execute(insert(IncidentCategory.__table__), [  # type: ignore[attr-defined]
            {"code": c, "label": c.title(), "position": i, "active": True} for i, c in enumerate(CATEGORIES)])
    rows, questions = _rows(count, room_id, rng)
    with database.engine.begin() as connection:
        # The index built once over the loaded rows, not row by row (as a restore would): PostgreSQL's GIN index,
        # SQLite's FTS5 table and its triggers, then FTS5's own 'rebuild' from the incident table.
        for statement in fts.PG_DROP if postgres else fts.SQLITE_DROP:
            connection.execute(text(statement))
        if postgres:  # COPY: several times faster than INSERTs, which kept the default run over a minute
            names = list(rows[0])
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY incident ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[name] for name in names])
        else:
            for first in range(0, len(rows), BATCH):
                connection.execute(insert(Incident.__table__), rows[first:first + BATCH])  # type: ignore[attr-defined]
        for statement in (fts.PG_INDEX_CREATE,) if postgres else fts.SQLITE_CREATE:
            connection.execute(text(statement))
        if not postgres:
            connection.execute(text(f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}) VALUES ('rebuild')"))
    with database.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return database, questions, time.perf_counter() - started


def _measure(name: str, url: str, count: int, repeat: int) -> dict[str, float]:
    """Build one database, time both searches on each question, print the lines; the figures for the JSON."""
    database, questions, built = _build(url, count, random.Random(16))
    print(f"{name}: {count} incidents built in {built:.1f} s")
    fts_all: list[float] = []
    like_all: list[float] = []
    try:
        with database.session("bench") as session:
            for label, question in questions.items():
                found = len(search(session, IncidentQuery(words=question)))
                scanned = len(search_incidents(session, text=question))
                timings = interleaved_timings({
                    "fts": lambda q=question: search(session, IncidentQuery(words=q)),
                    "like": lambda q=question: search_incidents(session, text=q),
                }, repeat=repeat, warmup=1)
                fts_all.append(timings["fts"].median)
                like_all.append(timings["like"].median)
                print(f"  {label:<17} {question!r:<28} full text {timings['fts'].median:8.2f} ms ({found:>3} found)"
                      f"   LIKE {timings['like'].median:8.2f} ms ({scanned:>3} found)")
    finally:
        database.engine.dispose()
    fts_median, like_median = statistics.median(fts_all), statistics.median(like_all)
    ratio = like_median / fts_median if fts_median else float("inf")
    print(f"  median over the questions: full text {fts_median:.2f} ms, LIKE {like_median:.2f} ms, "
          f"{ratio:.1f}x faster; the slowest question by full text {max(fts_all):.2f} ms (the median hides it)")
    return {"fts_median_ms": round(fts_median, 2), "like_median_ms": round(like_median, 2), "ratio": round(ratio, 1),
            "fts_slowest_ms": round(max(fts_all), 2)}


def _met(figures: dict[str, float]) -> bool:
    return figures["fts_median_ms"] < TARGET_MS and figures["ratio"] >= TARGET_RATIO


def main(argv: list[str] | None = None) -> int:
    """Measure on PostgreSQL (when given) and/or SQLite; print the figures, then the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true",
                        help="200,000 incidents, 7 rounds, on SQLite and (when given) PostgreSQL: several minutes")
    parser.add_argument("--incidents", type=int, help="incidents in each database (default 60000; --full 200000)")
    parser.add_argument("--repeat", type=int, help="timed rounds of each question (default 3; --full 7)")
    parser.add_argument("--postgres", default=os.environ.get("CCTV_BENCH_DATABASE_URL", ""),
                        help="a scratch PostgreSQL database (default: $CCTV_BENCH_DATABASE_URL); its schema is dropped")
    args = parser.parse_args(argv)
    incidents = args.incidents or (200_000 if args.full else 60_000)
    repeat = args.repeat or (7 if args.full else 3)
    started = time.perf_counter()
    result: dict[str, object] = {"benchmark": "search", "incidents": incidents, "repeat": repeat,
                                 "target": f"median < {TARGET_MS:.0f} ms and >= {TARGET_RATIO:.0f}x LIKE on PostgreSQL"}
    if args.full or not args.postgres:
        with tempfile.TemporaryDirectory(prefix="cctv-bench-search-") as folder:
            result["sqlite"] = _measure("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", incidents, repeat)
    else:
        print("SQLite: not measured in the default run when PostgreSQL is (--full measures both)")
        result["sqlite"] = "skipped"
    if args.postgres:
        url = normalise_url(args.postgres)
        empty_postgres(url)
        result["postgresql"] = _measure("PostgreSQL", url, incidents, repeat)
        result["met"] = _met(result["postgresql"])  # type: ignore[arg-type]
    else:
        print("PostgreSQL: skipped (set CCTV_BENCH_DATABASE_URL to a scratch database to measure it); "
              "the target is judged on SQLite instead")
        result["postgresql"] = "skipped"
        result["met"] = _met(result["sqlite"])  # type: ignore[arg-type]
    result["seconds"] = round(time.perf_counter() - started, 1)
    print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
