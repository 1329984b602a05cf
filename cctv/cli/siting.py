"""`cctv siting …`: score candidate sites, propose hotspots, choose the best K, validate the model.

Each command reads the crimes imported with `cctv crimes import`, the inventory's working cameras, and the
candidate sites kept in the app (or hotspot peaks), runs the siting model, and prints what a planner reads.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from cctv.db import Database
from inventory.types import utcnow
from siting.model.best import best_sites
from siting.model.catchments import best_catchments
from siting.model.exact import EXACT_TIME_LIMIT_S
from siting.model.harm import get_profile, profile_from_csv
from siting.model.hotspots import harm_surface, labelled_peaks, named_peaks
from siting.model.inputs import Site, month_date, year_label
from siting.model.run import ModelParams, ModelRun
from siting.model.validate import validate
from siting.planning import ModelInputs, NoCrimeData, TooLargeForMemory, model_inputs
from siting.proposals import add_peaks
from siting.store.saved import SiteSource, save_run


def _db() -> Database:
    return current_app.extensions["cctv_db"]


def model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The model's parameters, shared by every siting command (DESIGN §4 defaults)."""
    options = [
        click.option("--end-month", metavar="YYYY-MM", default=None,
                     help="Last month of the window.  [default: the latest month in the data]"),
        click.option("--window", "window_months", type=int, default=None,
                     help="Months in the window, a multiple of 12; each 12 is one year of the trend.  "
                          "[default: the months held, in whole years, up to 36]"),
        click.option("--profile", default="high-harm", show_default=True,
                     help="Harm weights: 'high-harm' (1 for violence and sexual offences, burglary, robbery and "
                          "weapons), 'cchi' (Cambridge Crime Harm Index days), or a CSV of category,weight."),
        click.option("--radius", "radius_m", type=float, default=100.0, show_default=True,
                     help="Coverage radius of a public-space camera in metres (try 50, 150, 200 for sensitivity)."),
        click.option("--years-needed", type=int, default=2, show_default=True,
                     help="A site is persistent when in the top decile of sites in at least this many years."),
        click.option("--include-recorded-at", is_flag=True,
                     help="Rank sites whose harm is mostly where crimes are recorded rather than committed "
                          "(hospital, police station, prison) among the others, with cameras; by default they "
                          "are marked, ranked last and given none."),
    ]
    @functools.wraps(command)
    def readable_errors(*args: Any, **kwargs: Any) -> Any:
        # The model refuses what it cannot do (a window with no data, a hotspot grid over a whole force's
        # outliers) with a ValueError whose message says what to change: show it, not a traceback.
        try:
            return command(*args, **kwargs)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc

    for option in reversed(options):
        readable_errors = option(readable_errors)
    return readable_errors


def params_from(end_month: str | None, window_months: int | None, profile: str, radius_m: float,
                years_needed: int, include_recorded_at: bool = False) -> ModelParams:
    """ModelParams from the command line, with a readable error for a bad value."""
    try:
        harm = profile_from_csv(Path(profile)) if profile.lower().endswith(".csv") else get_profile(profile)
        return ModelParams(end_month=end_month, window_months=window_months, profile=harm, radius_m=radius_m,
                           years_needed=years_needed,  # a window too short for it: persistence n/a
                           include_recorded_at=include_recorded_at)
    except (ValueError, KeyError, OSError) as exc:
        raise click.BadParameter(str(exc)) from exc


def load_inputs(params: ModelParams | None = None) -> ModelInputs:
    """Everything a model run reads from the database, the council's area included: with `params`, only the
    crimes of the run's window (see `siting.planning.model_inputs`)."""
    with _db().session("cli-siting") as session:
        try:
            return model_inputs(session, params)
        except TooLargeForMemory as exc:  # the refusal carries its own advice (PostGIS, the setting)
            raise click.ClickException(str(exc)) from exc
        except NoCrimeData as exc:
            raise click.ClickException(f"{exc} (cctv crimes import PATH...)") from exc


def _sites_or_hotspots(inputs: ModelInputs, params: ModelParams, hotspots: int) -> list[Site]:
    """The candidate sites kept in the app, or the model's `hotspots` best proposals in the council's area."""
    crimes, sites = inputs.crimes, inputs.sites
    if hotspots:
        return named_peaks(crimes, best_catchments(crimes, params, k=hotspots, area=inputs.area_bng), params)
    if not sites:
        raise click.ClickException("no candidate sites: add some in the app, or use --hotspots N to score the N "
                                   "densest hotspot peaks")
    return sites


def _share(share: float | None) -> str:
    """A share as "20%"; "–" for a site with no harm, whose share of nothing is undefined."""
    return "–" if share is None else f"{share:.0%}"


def print_ranking(run: ModelRun, top: int) -> None:
    """The ranking table and each listed site's explanation. Per year is harm a month over the months each year
    holds ("n/a" where it holds too few), never a total that reads missing months as zero."""
    click.echo(f"Window {run.window_first:%b %Y} to {run.window_last:%b %Y}; {run.crimes_in_window:,} located crimes, "
               f"{run.crimes_with_harm:,} with harm; {run.sites} sites; {run.cameras} working cameras; "
               f"profile {run.params.profile.name}, radius {run.params.radius_m:g} m.")
    held = ", ".join(f"{label} {n} of 12" for label, n in zip(_year_labels(run), run.months_held_by_year,
                                                               strict=True))
    click.echo(f"Months held: {held}; a year with fewer than {run.params.min_months_per_year} is n/a.")
    for note in run.notes():
        click.echo(f"Note: {note}")
    click.echo(f"{'rank':>4}  {'site':<34} {'marginal':>9} {'harm':>8}  {'a month, per year':<20} {'trend':<9} "
               f"{'persist':<7} {'covered':>7} {'1 point':>7}  {'cameras':<17}  place")
    for result in run.top(top):
        yearly = result.rates_text().replace(" ", "")
        label = result.label()
        click.echo(f"{result.rank:>4}  {label.name[:34]:<34} {result.marginal:>9g} "
                   f"{result.harm:>8g}  {yearly:<20} {result.trend:<9} {result.persistent_text():<7} "
                   f"{_share(result.covered_share):>7} {_share(result.top_point_share):>7}  "
                   f"{f'{result.fixed_cameras} fixed + {result.deployable_cameras} dep.':<17}  {label.place}"
                   + (f"  RECORDED AT: {result.recorded_at_label}" if result.recorded_at else ""))
    click.echo("")
    for result in run.top(top):
        click.echo(f"{result.rank}. {result.label()}: {result.explanation}")


def _year_labels(run: ModelRun) -> list[str]:
    return [year_label(a, b) for a, b in run.years]


@click.group(cls=AppGroup)
def siting() -> None:
    """The 3-year high-harm siting model: where should the next cameras go, and why."""

@siting.command("score")
@model_options
@click.option("--hotspots", type=int, default=0, help="Score the N densest hotspot peaks instead of the "
                                                      "candidate sites kept in the app.")
@click.option("--top", type=int, default=20, show_default=True, help="How many ranked sites to print.")
@click.option("--save", "title", default=None, metavar="TITLE", help="Save the run under this title.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole run as JSON instead.")
def score(hotspots: int, top: int, title: str | None, as_json: bool, **model: Any) -> None:
    """Rank candidate sites by the harm new cameras would add within the radius, with reasons."""
    params = params_from(**model)
    inputs = load_inputs(params)
    run = inputs.score(params, _sites_or_hotspots(inputs, params, hotspots))
    if title is not None:  # saved before anything is printed, so a failure while printing never loses the run
        with _db().transaction(actor="cli-siting") as session:
            saved_id = save_run(session, run, actor="cli-siting", title=title).id
    if as_json:
        click.echo(json.dumps(run.to_dict(), indent=1))
    else:
        print_ranking(run, top)
    if title is not None:
        click.echo(f"Saved as run {saved_id}.")

@siting.command("hotspots")
@model_options
@click.option("--peaks", type=int, default=10, show_default=True, help="How many sites to propose.")
@click.option("--method", type=click.Choice(["catchment", "density"]), default="catchment", show_default=True,
              help="catchment: the discs of the radius holding the most street harm (the model's own, validated by "
                   "`cctv siting validity`); density: the peaks of a kernel-density map, as an analyst would.")
@click.option("--cell", "cell_m", type=float, default=50.0, show_default=True,
              help="Density grid cell size in metres.")
@click.option("--bandwidth", "bandwidth_m", type=float, default=150.0, show_default=True,
              help="Density's quartic kernel bandwidth in metres.")
@click.option("--min-separation", type=float, default=None,
              help="Metres between proposed sites, so one hotspot does not propose a cluster of sites.  "
                   "[default: twice the radius]")
@click.option("--add-sites", is_flag=True, help="Keep the proposals as candidate sites in the app.")
def hotspots(peaks: int, method: str, cell_m: float, bandwidth_m: float, min_separation: float | None,
             add_sites: bool, **model: Any) -> None:
    """Propose candidate sites where the window's harm concentrates."""
    params = params_from(**model)
    separation = 2 * params.radius_m if min_separation is None else min_separation
    inputs = load_inputs(params)
    crimes = inputs.crimes
    if method == "density":
        bounds = inputs.area.bounds_bng if inputs.area is not None else None
        found: list[Any] = harm_surface(crimes, params, cell_m=cell_m, bandwidth_m=bandwidth_m,
                                        bounds=bounds).peaks(peaks, separation)
        figures = [f"{p.density:>9,.1f}" for p in found]
        notes = [f"Hotspot peak, density {p.density:,.1f} per km²" for p in found]
        heading = f"{'density':>9}  site — place (density: {params.profile.label} per km²)"
    else:
        found = best_catchments(crimes, params, k=peaks, min_separation_m=separation, area=inputs.area_bng)
        figures = [f"{c.harm:>9,.1f}" for c in found]
        notes = [c.note(params) for c in found]
        heading = f"{'harm':>9}  site — place (harm: {params.profile.label} within {params.radius_m:g} m, " \
                  "recorded-at places left out)"
    labelled = labelled_peaks(crimes, found, params)
    click.echo(f"{'id':>4}  {'easting':>9} {'northing':>9}  {heading}")
    for peak, figure, (site, label) in zip(found, figures, labelled, strict=True):
        click.echo(f"{site.site_id:>4}  {peak.easting:>9.0f} {peak.northing:>9.0f}  {figure}  {label}")
    if add_sites:
        with _db().transaction(actor="cli-siting") as session:
            added, already = add_peaks(session, [(site, note) for (site, _), note in
                                                 zip(labelled, notes, strict=True)], actor="cli-siting")
        click.echo(f"Added {_count(added, 'candidate site')}"
                   + (f"; {already} of the proposals were already candidate sites." if already else "."))

def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")




@siting.command("best")
@model_options
@click.option("--k", type=int, required=True, help="How many new sites to choose.")
@click.option("--hotspots", type=int, default=0, help="Choose among the N densest hotspot peaks instead.")
@click.option("--no-exact", is_flag=True, help="Skip the exact integer programme (greedy only).")
@click.option("--time-limit", type=click.FloatRange(min=0), default=EXACT_TIME_LIMIT_S, show_default=True,
              help="Seconds for the integer programme when the LP bound does not prove greedy optimal.")
def best(k: int, hotspots: int, no_exact: bool, time_limit: float, **model: Any) -> None:
    """The best K new sites given existing cameras: greedy maximum coverage beside the exact optimum."""
    params = params_from(**model)
    inputs = load_inputs()
    choice = best_sites(inputs.crimes, _sites_or_hotspots(inputs, params, hotspots), inputs.cameras.points_bng, k,
                        params, exact=not no_exact, time_limit_s=time_limit)
    for selection in (choice.greedy, choice.exact):
        if selection is not None:
            count = len(selection.site_ids)
            proof = f" — {selection.status}" if selection.method == "exact" else ""
            click.echo(f"{selection.method}: {_count(count, 'site')} cover{'s' if count == 1 else ''} "
                       f"{selection.covered_harm:g} in {selection.seconds:.3f} s{proof}")
            for n, site_id in enumerate(selection.site_ids, start=1):
                click.echo(f"  {n}. {choice.label(site_id)}")
    if choice.gap is not None:
        click.echo(f"greedy reaches {choice.gap:.1%} of the optimum")
    click.echo(choice.explanation())

@siting.command("validate")
@model_options
@click.option("--test-months", type=int, default=3, show_default=True,
              help="Held-out months after the window to test on.")
@click.option("--top", "top_n", type=int, default=10, show_default=True, help="How many top sites to flag.")
@click.option("--hotspots", type=int, default=0, help="Validate the N densest hotspot peaks instead.")
def validate_command(test_months: int, top_n: int, hotspots: int, **model: Any) -> None:
    """Predictive Accuracy Index of the top sites on held-out months, beside a kernel-density baseline."""
    params = params_from(**model)
    inputs = load_inputs()
    if params.end_month is None:  # train before the held-out months, so hotspot peaks cannot see them either
        params = replace(params, end_month=month_date(int(inputs.crimes.month.max()) - test_months))
    result = validate(inputs.crimes, _sites_or_hotspots(inputs, params, hotspots), params=params,
                      test_months=test_months, top_n=top_n, area=inputs.area)
    click.echo(result.explanation())
    click.echo(f"The model's top {len(result.top_sites)} sites, best first:")
    for n, text in enumerate(result.top_sites, start=1):
        click.echo(f"  {n}. {text}")

@siting.command("validity")
@model_options
@click.option("--boundary", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.geojson",
              help="The study area (GeoJSON polygons, merged).  [default: the council's area (cctv area set), "
                   "else the crimes' bounding box]")
@click.option("--test-months", type=int, default=3, show_default=True, help="Held-out months in each split.")
@click.option("--top", "top_n", type=int, default=10, show_default=True, help="Sites (and peaks) compared.")
@click.option("--origins", type=int, default=4, show_default=True, help="Splits, each test window a month earlier.")
def validity(boundary: Path | None, test_months: int, top_n: int, origins: int, **model: Any) -> None:
    """The model's own top sites against an analyst's kernel-density peaks, over rolling train/test splits."""
    from siting.model.validity import rolling_validation
    from siting.sources.area import AreaFilter

    inputs = load_inputs()
    area = AreaFilter.from_geojson(boundary).geometry_bng if boundary else inputs.area_bng
    result = rolling_validation(inputs.crimes, area, params=params_from(**model), top_n=top_n,
                                test_months=test_months, origins=origins)
    for split in result.splits:
        click.echo(split.line())
    click.echo(result.explanation())

@siting.command("report")
@model_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--title", default="Candidate CCTV sites", show_default=True)
@click.option("--top", "top_n", type=int, default=10, show_default=True, help="Sites given a page each.")
def report(output: Path, title: str, top_n: int, **model: Any) -> None:
    """The capital-bid site report (PDF): ranking, each top site's figures and a drawn map."""
    from siting.planning import site_report

    params = params_from(**model)
    with _db().session("cli-siting") as session:
        try:
            pdf = site_report(session, params, title=title, generated_at=utcnow(), top_n=top_n,
                              prepared_for=current_app.config["COUNCIL_NAME"])
        except NoCrimeData as exc:
            raise click.ClickException(str(exc)) from exc
    output.write_bytes(pdf)
    click.echo(f"Wrote {output} ({len(pdf):,} bytes).")

@siting.command("add-sites")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add_sites_command(path: Path) -> None:
    """Keep the candidate sites of a CSV or GeoJSON file: all of them, or none when any row is wrong."""
    from siting.planning import add_sites
    from siting.sources.sites import read_sites
    from siting.store.saved import DuplicateSiteName

    sites, problems = read_sites(path.name, path.read_bytes())
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problems; no site added.")
    try:
        with _db().transaction(actor="cli-siting") as session:
            add_sites(session, sites, source=SiteSource.UPLOADED, actor="cli-siting")
    except DuplicateSiteName as exc:
        raise click.ClickException(f"{exc}; no site added.") from exc
    click.echo(f"Added {len(sites)} candidate sites from {path.name}.")
