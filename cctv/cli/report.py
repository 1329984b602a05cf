"""`cctv report advisory …`: the Advisory Group's report pack as a PDF, for a quarter or any period.

The same `advisory_pack` the dashboard shows, written by `advisory_pack_pdf`, so the figures are the dashboard's.
"""

from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import Session, select

from cctv.db import Database
from cctv.outcomes.periods import Filters, Period, parse_period
from inventory.models import ServiceArea
from inventory.types import london_date, utcnow


def _db() -> Database:
    return current_app.extensions["cctv_db"]


def choose_period(quarter: str | None, period: str | None) -> Period:
    """The period from --quarter (e.g. 2025Q3) or --period (any text `parse_period` reads), exactly one of them."""
    if (quarter is None) == (period is None):
        raise click.UsageError("give either --quarter (e.g. 2025Q3) or --period (e.g. 2025-07, 2025, "
                               "2025-07-01..2025-09-30)")
    try:
        chosen = parse_period(quarter or period or "")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter" if quarter else "--period") from exc
    if quarter is not None and chosen.kind != "quarter":
        raise click.BadParameter(f"{quarter!r} is not a quarter; write e.g. 2025Q3", param_hint="--quarter")
    return chosen


def service_area_id(session: Session, code: str | None) -> int | None:
    """The id of the service area with this code (case-insensitive), None for no code."""
    if code is None:
        return None
    areas = session.exec(select(ServiceArea)).all()
    for area in areas:
        if area.code.lower() == code.strip().lower():
            return area.id
    known = ", ".join(sorted(a.code for a in areas)) or "none"
    raise click.BadParameter(f"no service area {code!r} (known: {known})", param_hint="--service-area")


@click.group(cls=AppGroup)
def report() -> None:
    """Report packs as PDF."""

@report.command("advisory")
@click.option("--quarter", metavar="YYYYQn", default=None, help="The quarter, e.g. 2025Q3.")
@click.option("--period", metavar="TEXT", default=None,
              help="Any other period: 2025-07 (a month), 2025 (a year), 2025-07-01..2025-09-30 (days).")
@click.option("--town", default=None, help="Only cameras in this town (as the camera register spells it).")
@click.option("--service-area", "area_code", metavar="CODE", default=None,
              help="Only cameras of this service area (its code).")
@click.option("--as-at", "as_at", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Figures as at this London day (idle cameras, SLA, DPIAs).  [default: today]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--annex/--no-annex", default=False, help="Add the annex of every camera's figures.")
def advisory(quarter: str | None, period: str | None, town: str | None, area_code: str | None,
             as_at: datetime | None, output: Path, annex: bool) -> None:
    """The Advisory Group's report pack: summary against the six principles, charts, tables (PDF)."""
    from cctv.outcomes.report import Council, advisory_pack_pdf
    from cctv.outcomes.summary import advisory_pack

    chosen = choose_period(quarter, period)
    generated_at = utcnow()
    today: date = as_at.date() if as_at is not None else london_date(generated_at)
    with _db().session("cli-report") as session:
        filters = Filters(town=(town or "").strip() or None, service_area_id=service_area_id(session, area_code))
        pack = advisory_pack(session, chosen, filters, today=today,
                             now=None if as_at is not None else generated_at)
    council = Council(current_app.config["COUNCIL_NAME"], current_app.config["COUNCIL_LOGO"])
    pdf = advisory_pack_pdf(pack, generated_at=generated_at, council=council, annex=annex)
    output.write_bytes(pdf)
    m = pack.incidents
    click.echo(f"{pack.title}: {m.incidents:,} incidents, {m.arrests:,} arrests.")
    click.echo(f"Wrote {output} ({len(pdf):,} bytes).")
