"""Does the siting model beat an analyst's hotspot map? Rolling-origin validation on a real force's year.

Run from the project root:  .venv/bin/python bench/siting_validity.py  [--district NAME ...] [--top 10]
                                                                       [--test-months 3] [--origins 4]

What it measures (issue 14, DESIGN §4): for each district of Hertfordshire (the LSOA boundaries in
../shared/data/boundaries-hertfordshire-lsoa2011, merged, are the council's area) and each of `--origins` splits of
the 2025 police.uk files (the test months slide back one month at a time; each split trains only on the months
before), `siting.model.validity.rolling_validation` scores the model's top K sites and the top K peaks of a plain
quartic kernel-density map (50 m cells, 150 m bandwidth) of the same training months' high-harm crimes, with the
same radius, on the same held-out high-harm crimes inside the boundary (crimes recorded at hospitals, police
stations and prisons left out; the figure with them kept is printed beside). The PAI ratio model ÷ peaks is
reported per split, as a median per district, and as the median over districts.

Target (issue 14): the model's PAI at least 1.2 × the peaks baseline's, as a median over rolling origins. "met" is
judged on the median over all districts run, so that no single council's split decides it.
Both sides are computed in this run from the same files; nothing is tuned to them (see the README's method notes).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as `python bench/siting_validity.py`, Python puts bench/ first on the path, where bench/siting.py would shadow
# the `siting` package. Take bench/ off the path and put the project root on it instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from bench._common import ROOT, print_result  # noqa: E402
from siting.model.inputs import CrimeSet  # noqa: E402
from siting.model.run import ModelParams  # noqa: E402
from siting.model.validity import rolling_validation  # noqa: E402
from siting.sources.area import AreaFilter  # noqa: E402
from siting.sources.police import read_crimes  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CRIMES = DATA / "police-uk-hertfordshire-2025"
BOUNDARIES = DATA / "boundaries-hertfordshire-lsoa2011"
TARGET = 1.2


def districts() -> dict[str, Path]:
    """District name → its LSOA GeoJSON ("dacorum" → lsoa11_E07000096_dacorum.geojson)."""
    return {path.stem.split("_", 2)[2]: path for path in sorted(BOUNDARIES.glob("lsoa11_*.geojson"))}


def load_crimes() -> CrimeSet:
    """The year's crimes with their location labels and LSOAs, each police.uk Crime ID once."""
    seen: set[str] = set()
    records = []
    for record in read_crimes(CRIMES):
        if record.crime_id:
            if record.crime_id in seen:
                continue
            seen.add(record.crime_id)
        records.append(record)
    return CrimeSet.from_records(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--district", action="append", help="District(s) to run (default: all ten).")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--test-months", type=int, default=3)
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--radius", type=float, default=100.0)
    args = parser.parse_args()
    if not CRIMES.is_dir() or not BOUNDARIES.is_dir():
        print(f"skipped: {CRIMES} or {BOUNDARIES} is missing")
        print_result({"met": None, "skipped": True})
        return
    started = time.perf_counter()
    crimes = load_crimes()
    print(f"{len(crimes):,} crimes read in {time.perf_counter() - started:.1f} s")
    params = ModelParams(radius_m=args.radius)
    medians: dict[str, float | None] = {}
    for name, path in districts().items():
        if args.district and name not in args.district:
            continue
        area = AreaFilter.from_geojson(path).geometry_bng
        clock = time.perf_counter()
        result = rolling_validation(crimes, area, params=params, top_n=args.top, test_months=args.test_months,
                                    origins=args.origins)
        medians[name] = result.median_vs_peaks
        print(f"\n{name} ({result.study_area_m2 / 1e6:,.0f} km², {time.perf_counter() - clock:.1f} s):")
        for split in result.splits:
            print(f"  {split.line()}")
            print(f"    with recorded-at places kept: model {split.model_all.captured_harm:,.0f}, peaks "
                  f"{split.peaks_all.captured_harm:,.0f} of {split.model_all.total_harm:,.0f}")
        cells = result.median_vs_cells
        print(f"  median model ÷ peaks {_fmt(result.median_vs_peaks)}; model ÷ equal-area cells {_fmt(cells)}")
    known = [v for v in medians.values() if v is not None]
    overall = statistics.median(known) if known else None
    print(f"\nmedian over {len(known)} districts of the median PAI ratio model ÷ peaks: {_fmt(overall)} "
          f"(target ≥ {TARGET}); districts at or above it: {sum(v >= TARGET for v in known)} of {len(known)}")
    print_result({"median_ratio_vs_peaks": None if overall is None else round(overall, 3),
                  "by_district": {k: None if v is None else round(v, 3) for k, v in medians.items()},
                  "top": args.top, "test_months": args.test_months, "origins": args.origins,
                  "seconds": round(time.perf_counter() - started, 1),
                  "met": overall is not None and overall >= TARGET})


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


if __name__ == "__main__":
    main()
