"""The CLI side of crime imports: `cctv crimes import` (progress bar, then the summary) and `cctv crimes summary`.

The import is one transaction: a malformed row refuses the whole import (naming the file and line) unless
--skip-bad-rows is given, in which case the good rows are imported and every bad one is listed.
"""

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from cctv.cli.common import database
from cctv.db import Database
from inventory.types import london_time
from siting.model.inputs import month_date, month_index, month_label
from siting.sources.area import AreaError, AreaFilter
from siting.sources.import_summary import ImportSummary
from siting.sources.police import PoliceFileError, find_sources
from siting.store.council_area import current_area
from siting.store.crimes import describe_area, import_crimes, stored_crimes

WINDOW_MONTHS = 36  # the model's default window (DESIGN §4): the summary says how much of it has data
PROBLEMS_SHOWN = 20


def parse_area(bbox: str | None, boundary: Path | None) -> AreaFilter | None:
    """The area filter from --bbox W,S,E,N (degrees, or National Grid metres when beyond ±180) or --boundary."""
    if bbox and boundary:
        raise click.UsageError("give --bbox or --boundary, not both")
    try:
        if boundary is not None:
            return AreaFilter.from_geojson(boundary)
        if bbox:
            try:
                west, south, east, north = (float(v) for v in bbox.split(","))
            except ValueError as exc:
                raise click.BadParameter("use four numbers: west,south,east,north", param_hint="--bbox") from exc
            metres = any(abs(v) > 180 for v in (west, south, east, north))
            return AreaFilter.from_bbox(west, south, east, north, crs="bng" if metres else "wgs84")
    except AreaError as exc:
        raise click.BadParameter(str(exc), param_hint="--boundary" if boundary else "--bbox") from exc
    return None


def run_import(database: Database, paths: Sequence[Path], *, bbox: str | None, boundary: Path | None,
               skip_bad_rows: bool, actor: str = "cli", everywhere: bool = False) -> None:
    """Import the files with a progress bar, commit, and print the summary; ClickException when refused.

    Without --bbox or --boundary the council's area (`cctv area set`) filters the rows, unless `everywhere`."""
    area = parse_area(bbox, boundary)
    if area is None and not everywhere:
        with database.session(actor) as session:
            council = current_area(session)
            area = None if council is None else council.to_filter()
    try:
        sources = find_sources(*paths)
        total = sum(source.size for source in sources)
    except (PoliceFileError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not sources:
        raise click.ClickException("no police.uk street-level CSV (*-street.csv) in " + ", ".join(map(str, paths)))
    started = time.perf_counter()
    try:
        with database.transaction(actor=actor) as session, click.progressbar(
            length=total, label=f"Importing {len(sources)} file{'s' if len(sources) != 1 else ''}",
            show_pos=False, show_percent=True,
        ) as bar:
            _, summary = import_crimes(session, sources, area=area, actor=actor,
                                       on_problem=(lambda _problem: None) if skip_bad_rows else None,
                                       progress=lambda source: bar.update(source.size))
    except PoliceFileError as exc:
        raise click.ClickException(f"{exc}\nNothing was imported. Correct the file, or run again with "
                                   "--skip-bad-rows to import the good rows and list the bad ones.") from exc
    seconds = time.perf_counter() - started
    where = f" Area: {describe_area(area)}." if area else ""
    click.echo(f"Imported in {seconds:.1f} s ({total / 1e6:.1f} MB).{where}")
    for line in summary_lines(summary):
        click.echo(line)


def summary_lines(summary: ImportSummary) -> list[str]:
    """What an import did: counts, rows per month and per category, gaps, and the rows skipped as malformed."""
    lines = [summary.lines()[0]]
    if summary.added:
        share = summary.without_location / summary.added
        lines.append(f"Without coordinates (stored, but not on the map or in the model): "
                     f"{summary.without_location:,} ({share:.1%}).")
        lines.append("Rows added per month:")
        lines += [f"  {month_label(month):<10} {count:>9,}" for month, count in summary.by_month().items()]
        lines.append("Rows added per category:")
        width = max(len(category) for category in summary.by_category())
        lines += [f"  {category:<{width}} {count:>9,}" for category, count in summary.by_category().items()]
    lines += window_lines(summary.present_months)
    if summary.problems:
        count = len(summary.problems)
        lines.append(f"{count:,} malformed row{'s' if count != 1 else ''} skipped:")
        lines += [f"  {problem}" for problem in summary.problems[:PROBLEMS_SHOWN]]
        if count > PROBLEMS_SHOWN:
            lines.append(f"  … and {count - PROBLEMS_SHOWN:,} more.")
    return lines


def window_lines(months: set[date]) -> list[str]:
    """Months missing in the model's window (the 36 months ending at the latest month in the database)."""
    if not months:
        return ["The database holds no crimes yet."]
    last = month_index(max(months))
    first = last - WINDOW_MONTHS + 1
    in_window = [month_date(m) for m in range(first, last + 1)]
    held = [m for m in in_window if m in months]
    # Gaps between the first month held and the latest are holes in the data; months before the first held are
    # simply not imported yet, and said so in one sentence rather than listed.
    gaps = [m for m in in_window if m >= min(held) and m not in months]
    lines = [f"The model's {WINDOW_MONTHS}-month window, {month_label(in_window[0])} – {month_label(in_window[-1])}, "
             f"has data for {len(held)} of its months."]
    if held[0] != in_window[0]:
        lines.append(f"Months before {month_label(held[0])} have not been imported.")
    lines.append("Months missing in the window: " + (", ".join(month_label(m) for m in gaps) if gaps else "none")
                 + ".")
    return lines


def show_summary(database: Database) -> None:
    """Print the months and counts the database holds, and the latest import."""
    with database.session("cli") as session:
        stored = stored_crimes(session)
    if not stored.total:
        click.echo("No crimes in the database: import police.uk street-level files with `cctv crimes import`.")
        return
    click.echo(f"{stored.total:,} crimes from {stored.imports} import{'s' if stored.imports != 1 else ''}; "
               f"{stored.without_location:,} without coordinates.")
    if stored.last_import is not None:
        last = stored.last_import
        when = london_time(last.imported_at).strftime("%d %b %Y %H:%M")
        files = len(last.files())
        click.echo(f"Last import: {when} by {last.imported_by or 'unknown'}, {files} file{'s' if files != 1 else ''}, "
                   f"{last.added:,} added, {last.duplicates:,} duplicates skipped"
                   + (f", area: {last.area}" if last.area else "") + ".")
    click.echo(f"  {'month':<10} {'crimes':>9} {'no coords':>10}")
    for month, count in stored.by_month.items():
        click.echo(f"  {month_label(month):<10} {count:>9,} {stored.without_location_by_month[month]:>10,}")
    width = max(len(category) for category in stored.by_category)
    click.echo("Per category:")
    for category, count in stored.by_category.items():
        click.echo(f"  {category:<{width}} {count:>9,}")
    for line in window_lines(set(stored.by_month)):
        click.echo(line)


@click.group(cls=AppGroup)
def crimes() -> None:
    """Police.uk street-level crime data for the siting model."""


@crimes.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--bbox", metavar="W,S,E,N",
              help="Keep only crimes in this box: west,south,east,north in degrees (or National Grid metres).")
@click.option("--boundary", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.geojson",
              help="Keep only crimes inside this boundary (GeoJSON Polygon/MultiPolygon).  "
                   "[default: the council's area, when one is set]")
@click.option("--everywhere", is_flag=True,
              help="Keep crimes wherever they are, even when a council area is set (cctv area set).")
@click.option("--skip-bad-rows", is_flag=True,
              help="Import the good rows and list malformed ones; without it a malformed row refuses the import.")
def crimes_import(paths: tuple[Path, ...], bbox: str | None, boundary: Path | None, everywhere: bool,
                  skip_bad_rows: bool) -> None:
    """Import street-level CSVs: files, folders of monthly folders, or the zips data.police.uk hands out.

    Re-importing a month adds nothing; rows without coordinates are kept and counted.
    """
    run_import(database(), paths, bbox=bbox, boundary=boundary, skip_bad_rows=skip_bad_rows, everywhere=everywhere)


@crimes.command("summary")
def crimes_summary() -> None:
    """Months and counts of the crimes in the database, and the latest import."""
    show_summary(database())
