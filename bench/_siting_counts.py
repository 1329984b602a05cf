"""Part of bench/siting.py: counts per cell and `score_sites` on every occupied 50 m cell, against geopandas.

Run alone from the project root:  .venv/bin/python bench/_siting_counts.py  [--full]

The workload is the one a planner runs: every occupied 50 m cell of the county (National Grid cells holding at
least one located crime) is a candidate site at the cell's centre, with a 100 m radius.
- Counts: each cell's total and high-harm crimes within 100 m (inclusive). Ours is `siting.model.within.sums_near`,
  both measures from one join on the crimes' unique snap points; geopandas' is `sjoin(cells, crimes,
  predicate="dwithin", distance=100)` grouped by cell, its GeoDataFrames built inside the timer from the same arrays,
  as a user would. Both start from the same numpy arrays (eastings, northings, a high-harm flag per crime); the
  counts must be identical.
- Scoring: `score_sites` on the same cells (crimes with their location labels and LSOAs, as stored; 30 existing
  cameras at random occupied cells), which computes every figure of every site and ranks them, then the top 20
  results read as a planner reads them, against geopandas' counting alone.
- Workloads: one year (Hertfordshire 2025, every run) and, with --full, the three-year "snap" shape: the year plus
  copies 12 and 24 months earlier, each copy's snap points moved (all crimes at a point together) by up to 30 m.
- Timings are medians of interleaved rounds (a, b, c, a, b, c, ...), so drift in the machine's speed hits all alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run alone: the project root on the path, bench/ (which would shadow `siting`) off it
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench._common import ROOT, print_result
from siting.model.inputs import CrimeSet, Site
from siting.model.points import unique_points
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.model.within import sums_near
from siting.sources.police import RECORD_FIELDS, find_sources, read_crime_rows

DATA = ROOT.parent / "shared" / "data" / "police-uk-hertfordshire-2025"
RADIUS_M = 100.0
CELL_M = 50.0
SHOWN = 20  # results a planner reads
TARGETS = {"counts_year": 5.0, "counts_three_years": 7.0, "score_sites": 3.0}


def median_rounds(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median seconds of each case over interleaved rounds; each case returns the seconds it measured itself."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            samples[name].append(case())
    return {name: statistics.median(values) for name, values in samples.items()}


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def load_year(files: list[Path]) -> CrimeSet:
    """The year's crimes in National Grid metres, with their location labels and LSOAs as the store keeps them."""
    field = {name: RECORD_FIELDS.index(name) for name in
             ("longitude", "latitude", "month", "category", "location", "lsoa_code", "lsoa_name")}
    rows = list(read_crime_rows(*files))
    column = {name: [r[i] for r in rows] for name, i in field.items()}
    crimes = CrimeSet.from_lonlat(np.array(column["longitude"], dtype=np.float64),
                                  np.array(column["latitude"], dtype=np.float64), column["month"], column["category"])
    return crimes.with_locations([v or "" for v in column["location"]]).with_lsoas(
        [v or "" for v in column["lsoa_code"]], [v or "" for v in column["lsoa_name"]])


def snap_tripled(crimes: CrimeSet, rng: np.random.Generator, jitter_m: float = 30.0) -> CrimeSet:
    """The year plus copies 12 and 24 months earlier, each copy's snap points moved by up to `jitter_m` (uniform
    over a disc; every crime at a point moves with it), so the copies stay snapped like police.uk's data."""
    out = crimes
    located = crimes.located
    _, _, point = unique_points(crimes.easting[located], crimes.northing[located])
    for shift in (12, 24):
        angle = rng.uniform(0, 2 * np.pi, point.max() + 1)
        reach = jitter_m * np.sqrt(rng.uniform(0, 1, point.max() + 1))
        e, n = crimes.easting.copy(), crimes.northing.copy()
        e[located] += (reach * np.cos(angle))[point]
        n[located] += (reach * np.sin(angle))[point]
        out = out.concat(CrimeSet(e, n, crimes.month - shift, crimes.category, crimes.categories, crimes.location,
                                  crimes.locations, crimes.lsoa, crimes.lsoas))
    return out


def occupied_cells(crimes: CrimeSet) -> np.ndarray:
    """(n, 2) centres of the 50 m National Grid cells holding at least one located crime."""
    located = crimes.located
    cells = np.unique(np.floor(np.column_stack([crimes.easting[located], crimes.northing[located]]) / CELL_M), axis=0)
    return (cells + 0.5) * CELL_M


def high_harm(crimes: CrimeSet) -> np.ndarray:
    """1 for each located crime in a high-harm category, else 0 (the default profile's weight > 0)."""
    weights = ModelParams().profile.weights_for(crimes.categories)
    return (weights[crimes.category[crimes.located]] > 0).astype(np.float64)


def geopandas_counts(gpd: Any, cells: np.ndarray, e: np.ndarray, n: np.ndarray, high: np.ndarray) -> np.ndarray:
    """[cell, (total, high-harm)] by geopandas as a user would: frames from the arrays, sjoin dwithin, grouped."""
    sites = gpd.GeoDataFrame(geometry=gpd.points_from_xy(cells[:, 0], cells[:, 1]), crs="EPSG:27700")
    crimes = gpd.GeoDataFrame({"high": high}, geometry=gpd.points_from_xy(e, n), crs="EPSG:27700")
    joined = gpd.sjoin(sites, crimes, predicate="dwithin", distance=RADIUS_M)
    grouped = joined.groupby(level=0)["high"].agg(["size", "sum"]).reindex(range(len(sites)), fill_value=0)
    return grouped.to_numpy(dtype=np.float64)


def measure(gpd: Any, crimes: CrimeSet, label: str, rounds: int, rng: np.random.Generator) -> dict[str, Any]:
    """Counts and scoring on every occupied cell of `crimes`: identical counts, and the times against geopandas."""
    located = crimes.located
    e, n = crimes.easting[located], crimes.northing[located]
    high = high_harm(crimes)
    cells = occupied_cells(crimes)
    weights = np.column_stack([np.ones(len(e)), high])
    ours = sums_near(cells, e, n, weights, RADIUS_M)
    theirs = geopandas_counts(gpd, cells, e, n, high)
    differing = int((ours != theirs).any(axis=1).sum())
    sites = [Site.at(f"C{i}", x, y) for i, (x, y) in enumerate(cells.tolist())]
    cameras = cells[rng.choice(len(cells), size=30, replace=False)]
    params = ModelParams()

    def scored() -> float:
        started = time.perf_counter()
        run = score_sites(crimes, sites, cameras, params)
        run.top(SHOWN)
        return time.perf_counter() - started

    times = median_rounds({"geopandas": lambda: timed(lambda: geopandas_counts(gpd, cells, e, n, high)),
                           "counts": lambda: timed(lambda: sums_near(cells, e, n, weights, RADIUS_M)),
                           "score_sites": scored}, rounds)
    counts_ratio = times["geopandas"] / times["counts"]
    score_ratio = times["geopandas"] / times["score_sites"]
    print(f"counts within {RADIUS_M:.0f} m, {label}: {len(e):,} located crimes at {len(unique_points(e, n)[0]):,} "
          f"points, {len(cells):,} occupied {CELL_M:.0f} m cells, {int(ours[:, 0].sum()):,} (cell, crime) pairs; "
          f"total and high-harm identical to geopandas: {'yes' if differing == 0 else f'NO ({differing} differ)'}")
    print(f"    geopandas sjoin+groupby (frames built inside) {times['geopandas'] * 1e3:7.1f} ms   "
          f"sums_near {times['counts'] * 1e3:6.1f} ms ({counts_ratio:.1f}x)   score_sites + top {SHOWN} "
          f"{times['score_sites'] * 1e3:6.1f} ms ({score_ratio:.1f}x); medians of {rounds}")
    return {"crimes": len(e), "cells": len(cells), "identical": differing == 0,
            "geopandas_ms": round(times["geopandas"] * 1e3, 1), "counts_ms": round(times["counts"] * 1e3, 1),
            "score_sites_ms": round(times["score_sites"] * 1e3, 1), "counts_speedup": round(counts_ratio, 2),
            "score_speedup": round(score_ratio, 2)}


def run(full: bool) -> dict[str, Any]:
    """One year (and with `full` the three-year snap shape): print the lines, return the targets and figures."""
    if not DATA.is_dir():
        raise RuntimeError(f"the police.uk files are not at {DATA} (this part needs ../shared/data)")
    try:
        import geopandas as gpd
    except ImportError:
        raise RuntimeError("geopandas is needed for the comparison: pip install -e '.[bench]'") from None

    rng = np.random.default_rng(2025)
    year = load_year([source.path for source in find_sources(DATA)])
    rounds = 9 if full else 5
    measured = {"year": measure(gpd, year, "one year", rounds, rng)}
    if full:
        measured["three_years"] = measure(gpd, snap_tripled(year, rng), "three-year snap shape", rounds, rng)
    targets: dict[str, dict[str, Any]] = {
        "counts per cell, one year: identical and >= 5x geopandas": _target(
            measured["year"], "counts_speedup", TARGETS["counts_year"]),
    }
    if full:
        targets["counts per cell, three-year snap shape: identical and >= 7x geopandas"] = _target(
            measured["three_years"], "counts_speedup", TARGETS["counts_three_years"])
    for name, figures in measured.items():
        targets[f"score_sites on all cells ({name.replace('_', ' ')}) >= 3x geopandas' counting"] = _target(
            figures, "score_speedup", TARGETS["score_sites"])
    return {"targets": targets, "measured": measured, "rounds": rounds}


def _target(figures: dict[str, Any], key: str, least: float) -> dict[str, Any]:
    met = bool(figures["identical"] and figures[key] >= least)
    return {"figure": figures[key], "target": f">= {least:g}x", "met": met}


def main(argv: list[str] | None = None) -> int:
    """Run this part alone: its lines, then one JSON line with "met"."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also the three-year snap shape, more rounds")
    args = parser.parse_args(argv)
    result = run(args.full)
    for name, target in result["targets"].items():
        print(f"target {name}: {target['figure']} ({'met' if target['met'] else 'NOT met'})")
    print_result({"benchmark": "siting_counts", **result, "met": all(t["met"] for t in result["targets"].values())})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
