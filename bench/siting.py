"""The siting engine at full size (issue 15): every part's targets, each with its figure and whether it is met.

Run from the project root:  .venv/bin/python bench/siting.py  [--full] [--parts counts,best,...]

Each part is its own module with `run(full) -> {"targets": {name: {"figure", "target", "met"}}, ...}`, printing its
own lines, and can run alone (`python bench/_siting_<part>.py [--full]`):
- counts    bench/_siting_counts.py: counts per occupied 50 m cell and `score_sites` on all cells vs geopandas;
- best      bench/_siting_best.py: the exact best 20 of all cells vs sparse PuLP/CBC, and greedy's gap;
- import    bench/_siting_import.py: the import vs `sqlite3 .import` and `psql \\copy`, `cctv siting score` end to end;
- national  bench/_siting_national.py: synthetic England & Wales on PostGIS.
Without --full each part runs its cheapest real workload (one year, every cell), the whole within about a minute on
a quiet machine; --full adds the rest. The last line is one JSON object whose "met" says whether every target of
every part was met (a part that fails to run, or is absent, counts as not met and says why).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# Run as `python bench/siting.py`, Python puts bench/ first on the path, where this file would shadow the `siting`
# package. Take bench/ off the path and put the project root on it instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from bench._common import print_result  # noqa: E402

PARTS = ("counts", "best", "import", "national")


def run_part(name: str, full: bool) -> dict[str, Any]:
    """One part's result; a part that cannot run is reported as a failed target with the reason."""
    started = time.perf_counter()
    print(f"== {name} (bench/_siting_{name}.py{' --full' if full else ''})", flush=True)
    try:
        module = importlib.import_module(f"bench._siting_{name}")
        result = module.run(full)
    except Exception as error:  # one broken part must not hide the others' figures
        traceback.print_exc()
        reason = f"{type(error).__name__}: {error}"
        print(f"   {name}: did not run ({reason})")
        result = {"targets": {f"{name}: runs": {"figure": reason, "target": "runs", "met": False}}}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the parts, print every target with its figure, then the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="every workload of every part (may take minutes)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    chosen = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    started = time.perf_counter()
    results = {name: run_part(name, args.full) for name in chosen}
    print("== targets")
    for result in results.values():
        for target, figures in result["targets"].items():
            print(f"   [{'met' if figures['met'] else 'NOT met'}] {target}: {figures['figure']} "
                  f"(target {figures['target']})")
    met = all(t["met"] for r in results.values() for t in r["targets"].values())
    print(f"total run time {time.perf_counter() - started:.1f} s; all targets {'met' if met else 'NOT met'}")
    print_result({"benchmark": "siting", "full": args.full, "parts": results, "met": met})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
