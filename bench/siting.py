"""The siting model on a year of real police.uk data (Hertfordshire 2025, about 108k crimes), and on that year
tripled with jitter to the size of three years: counts per site against geopandas, greedy against the exact best-K
programme, and the crime import against a plain csv read.

Run from the project root:  .venv/bin/python bench/siting.py  [--full] [--sites N] [--profile]

How it measures
- (a) Counts. About 500 candidate sites: the densest hotspot peaks of the year's harm surface, a 100 m grid over
  the densest square and random points over the county. Each site's count of crimes within 100 m from
  `siting.model.points.count_within` must equal geopandas' `gpd.sjoin(sites, crimes, predicate="dwithin", distance=100)`
  grouped by site, in EPSG:27700. Both get the same located crimes. geopandas is timed on GeoDataFrames built
  beforehand (outside the timer) but without a spatial index, which its sjoin builds, as any one-off join would;
  ours is timed from the same numpy arrays and shapely points, everything it does included. The time with
  geopandas' index already built is printed too.
- (b) Best K. `siting.model.best.best_sites` on those sites with 30 existing cameras (most near hotspots, a few in the
  grid): the harm the greedy choice covers over the harm the exact integer programme (HiGHS) covers, and their
  times. The grid's neighbouring catchments overlap, which is where greedy can go wrong.
- (c) Import. `siting.store.crimes.import_crimes` of the 12 files into a new, migrated SQLite database (committed, as
  `cctv crimes import` does) against a plain `csv.reader` pass over the same files; the police.uk reader alone and
  SQLite's own executemany of the prepared rows are shown too, since together they are the floor of any import,
  and the import into PostgreSQL when a database is named (see bench/_siting_import.py).
- Timings are medians of interleaved rounds (a, b, a, b, …) so that drift in the machine's speed hits both alike.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as `python bench/siting.py`, Python puts bench/ first on the path, where this file would shadow the `siting`
# package. Take bench/ off the path and put the project root on it instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402

from bench._common import ROOT, print_result  # noqa: E402
from bench._siting_import import measure_import  # noqa: E402
from siting.model.best import best_sites  # noqa: E402
from siting.model.hotspots import harm_surface  # noqa: E402
from siting.model.inputs import CrimeSet, Site  # noqa: E402
from siting.model.points import count_within  # noqa: E402
from siting.model.run import ModelParams  # noqa: E402
from siting.sources.police import RECORD_FIELDS, find_sources, read_crime_rows  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "police-uk-hertfordshire-2025"
RADIUS_M = 100.0
TARGETS = {"count_speedup_min": 3.0, "greedy_over_optimal_min": 0.98, "import_over_csv_max": 4.0}


def median_pair(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
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


# ---------------------------------------------------------------------------------------------------------- data


def load_year(files: list[Path]) -> CrimeSet:
    """The year's crimes in National Grid metres."""
    lon, lat, month, category = (RECORD_FIELDS.index(f) for f in ("longitude", "latitude", "month", "category"))
    rows = list(read_crime_rows(*files))
    return CrimeSet.from_lonlat(np.array([r[lon] for r in rows], dtype=np.float64),
                                np.array([r[lat] for r in rows], dtype=np.float64),
                                [r[month] for r in rows], [r[category] for r in rows])


def tripled(crimes: CrimeSet, rng: np.random.Generator, jitter_m: float = 3.0) -> CrimeSet:
    """The year plus two copies shifted back 12 and 24 months, each point moved a few metres (normal, sd 3 m)."""
    out = crimes
    for shift in (12, 24):
        copy = CrimeSet(crimes.easting + rng.normal(0, jitter_m, len(crimes)),
                        crimes.northing + rng.normal(0, jitter_m, len(crimes)),
                        crimes.month - shift, crimes.category, crimes.categories)
        out = out.concat(copy)
    return out


def candidate_sites(crimes: CrimeSet, rng: np.random.Generator, count: int) -> tuple[list[Site], np.ndarray]:
    """About `count` sites: hotspot peaks (40%), a 100 m grid over the densest square (40%; neighbours' catchments
    overlap, which is what makes best-K hard) and random points over the county; and 30 existing cameras, most
    near peaks, a few inside the grid."""
    e, n = crimes.easting[crimes.located], crimes.northing[crimes.located]
    # The county without the few stray coordinates police.uk files carry (a grid over those would be huge).
    low_e, high_e = np.percentile(e, [0.5, 99.5])
    low_n, high_n = np.percentile(n, [0.5, 99.5])
    bounds = (float(low_e), float(low_n), float(high_e), float(high_n))
    peaks = harm_surface(crimes, ModelParams(profile="cchi"), bounds=bounds).peaks(int(count * 0.4))
    sites = [p.to_site() for p in peaks]
    side = int(np.sqrt(count * 0.4))
    steps = (np.arange(side) - (side - 1) / 2) * 100.0
    sites += [Site.at(f"G{i + 1}", peaks[0].easting + dx, peaks[0].northing + dy)
              for i, (dx, dy) in enumerate((dx, dy) for dx in steps for dy in steps)]
    extra = count - len(sites)
    xs, ys = rng.uniform(bounds[0], bounds[2], extra), rng.uniform(bounds[1], bounds[3], extra)
    sites += [Site.at(f"R{i + 1}", x, y) for i, (x, y) in enumerate(zip(xs, ys, strict=True))]
    picked = rng.choice(np.arange(1, len(peaks)), size=min(26, len(peaks) - 1), replace=False)
    angle = rng.uniform(0, 2 * np.pi, len(picked))
    near_peaks = np.column_stack([[peaks[i].easting for i in picked] + 40 * np.cos(angle),
                                  [peaks[i].northing for i in picked] + 40 * np.sin(angle)])
    in_grid = np.array([peaks[0].easting, peaks[0].northing]) + rng.uniform(-400, 400, (4, 2))
    return sites, np.vstack([near_peaks, in_grid])


# ------------------------------------------------------------------------------------------------------- measure


def measure_counts(gpd: Any, crimes: CrimeSet, sites: list[Site], rounds: int, label: str) -> dict[str, Any]:
    """(a): identical counts, and the times of geopandas' sjoin + groupby and of count_within."""
    located = crimes.located
    e, n = crimes.easting[located], crimes.northing[located]
    geometries = [s.geometry for s in sites]
    sites_frame = gpd.GeoDataFrame({"site_id": [s.site_id for s in sites]}, geometry=geometries, crs="EPSG:27700")
    crimes_frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(e, n), crs="EPSG:27700")

    def theirs(left: Any, right: Any) -> np.ndarray:
        joined = gpd.sjoin(left, right, predicate="dwithin", distance=RADIUS_M)
        return joined.groupby(level=0).size().reindex(range(len(left)), fill_value=0).to_numpy()

    def gpd_fresh() -> float:
        left, right = sites_frame.copy(), crimes_frame.copy()  # copies carry no spatial index
        assert not right.has_sindex and not left.has_sindex
        return timed(lambda: theirs(left, right))

    ours_counts = count_within(geometries, e, n, RADIUS_M)
    their_counts = theirs(sites_frame.copy(), crimes_frame.copy())
    differing = int((ours_counts != their_counts).sum())
    cached = crimes_frame.copy()
    cached.sindex  # noqa: B018 - built once, before timing
    times = median_pair({"gpd": gpd_fresh, "ours": lambda: timed(lambda: count_within(geometries, e, n, RADIUS_M)),
                         "gpd_cached": lambda: timed(lambda: theirs(sites_frame, cached))}, rounds)
    ratio = times["gpd"] / times["ours"]
    print(f"(a) counts within {RADIUS_M:.0f} m, {label}: {len(e):,} located crimes, {len(sites)} sites, "
          f"{int(ours_counts.sum()):,} (site, crime) pairs; identical to geopandas: "
          f"{'yes' if differing == 0 else f'NO ({differing} sites differ)'}")
    print(f"    geopandas sjoin+groupby {times['gpd'] * 1e3:7.1f} ms (its index already built: "
          f"{times['gpd_cached'] * 1e3:.1f} ms)   count_within {times['ours'] * 1e3:7.1f} ms   "
          f"ratio {ratio:.1f}x (target >= {TARGETS['count_speedup_min']:.0f}x)")
    return {"crimes": len(e), "pairs": int(ours_counts.sum()), "identical": differing == 0,
            "gpd_ms": round(times["gpd"] * 1e3, 2), "gpd_cached_index_ms": round(times["gpd_cached"] * 1e3, 2),
            "ours_ms": round(times["ours"] * 1e3, 2), "speedup": round(ratio, 2)}


def measure_best(crimes: CrimeSet, sites: list[Site], cameras: np.ndarray, ks: list[int], label: str,
                 time_limit_s: float) -> list[dict[str, Any]]:
    """(b): greedy coverage over optimal coverage, and the time of each, for each K."""
    out = []
    for k in ks:
        best = best_sites(crimes, sites, cameras, k, exact=True, time_limit_s=time_limit_s)
        exact = best.exact
        assert exact is not None
        gap = best.gap
        slower = exact.seconds / best.greedy.seconds if best.greedy.seconds > 0 else float("inf")
        print(f"(b) best {k} of {len(sites)} sites, {label}, {len(cameras)} existing cameras: greedy covers "
              f"{best.greedy.covered_harm:,.0f}, exact {exact.covered_harm:,.0f}"
              f"{'' if exact.optimal else ' (NOT proven optimal)'}: greedy/optimal "
              f"{'n/a' if gap is None else f'{gap:.4f}'} (target >= {TARGETS['greedy_over_optimal_min']}); "
              f"greedy {best.greedy.seconds * 1e3:.1f} ms, exact {exact.seconds * 1e3:.0f} ms ({slower:.0f}x)")
        out.append({"k": k, "greedy": round(best.greedy.covered_harm, 3), "exact": round(exact.covered_harm, 3),
                    "optimal": exact.optimal, "ratio": None if gap is None else round(gap, 5),
                    "greedy_ms": round(best.greedy.seconds * 1e3, 2), "exact_ms": round(exact.seconds * 1e3, 1),
                    "exact_over_greedy_time": round(slower, 1)})
    return out


# ---------------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Load, measure, print human lines, then the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="more rounds, and K = 5, 10 and 20 for best-K")
    parser.add_argument("--sites", type=int, default=500, help="candidate sites (default 500)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of count_within (tripled)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not DATA.is_dir():
        print(f"skipped: the shared police.uk files are not at {DATA} (this benchmark needs ../shared/data)")
        print_result({"benchmark": "siting", "skipped": True, "reason": f"{DATA} not found", "met": None})
        return 0
    try:
        import geopandas as gpd
    except ImportError:
        print("geopandas is needed for the comparison: run  pip install -e .[bench]  (or .venv/bin/pip install "
              "-e '.[bench]') and try again", file=sys.stderr)
        print_result({"benchmark": "siting", "skipped": True, "reason": "geopandas not installed", "met": None})
        return 1

    files = [source.path for source in find_sources(DATA)]
    rng = np.random.default_rng(2025)
    year = load_year(files)
    three = tripled(year, rng)
    sites, cameras = candidate_sites(year, rng, args.sites)
    kinds = {kind: sum(s.site_id.startswith(kind) for s in sites) for kind in "HGR"}
    print(f"data: {len(files)} monthly files, {len(year):,} crimes ({int(year.located.sum()):,} located); tripled "
          f"with jitter: {len(three):,}; {len(sites)} sites ({kinds['H']} hotspot peaks, {kinds['G']} on a 100 m grid "
          f"over the densest, {kinds['R']} random); loaded in {time.perf_counter() - started:.1f} s")

    rounds = 15 if args.full else 5
    counts = {"year": measure_counts(gpd, year, sites, rounds, "one year"),
              "tripled": measure_counts(gpd, three, sites, rounds, "tripled")}
    ks = [5, 10, 20] if args.full else [10]
    limit = 120.0 if args.full else 20.0
    best = {"year": measure_best(year, sites, cameras, ks, "one year", limit),
            "tripled": measure_best(three, sites, cameras, ks, "tripled", limit)}
    imported = measure_import(files, 5 if args.full else 3, median_pair, timed)
    if args.profile:
        located = three.located
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            count_within([s.geometry for s in sites], three.easting[located], three.northing[located], RADIUS_M)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)

    met_by = {
        "counts_identical": all(c["identical"] for c in counts.values()),
        "count_speedup": all(c["speedup"] >= TARGETS["count_speedup_min"] for c in counts.values()),
        "greedy_within_2pc": all(b["ratio"] is not None and b["ratio"] >= TARGETS["greedy_over_optimal_min"]
                                 for runs in best.values() for b in runs),
        "import_rate": imported["import_over_csv"] <= TARGETS["import_over_csv_max"],
    }
    met = all(met_by.values())
    print("targets: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in met_by.items()))
    print(f"total run time {time.perf_counter() - started:.1f} s")
    print_result({"benchmark": "siting", "skipped": False, "crimes": len(year), "crimes_tripled": len(three),
                  "sites": len(sites), "radius_m": RADIUS_M, "rounds": rounds, "counts": counts, "best": best,
                  "import": imported, "targets": TARGETS, "met_by_target": met_by, "met": met})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
