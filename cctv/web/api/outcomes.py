"""/api/v1/outcomes: the Advisory Group's measures for a period as JSON, for the council's reporting tools.

The same `advisory_pack` as the dashboard, its CSVs and the PDF, so the four cannot disagree: the incident totals and
their breakdowns (category, town, service area, month), the change on the previous period, the monitored hours, the
deployable cameras' summary and the new investment. Aggregates only, never a covert camera (the measures leave them
out, see cctv/outcomes/summary.py); reading it is audited as the dashboard's downloads are.
"""

from decimal import Decimal
from typing import Annotated

from flask import Blueprint, request
from pydantic import BaseModel, BeforeValidator, Field

from cctv.audit import audit_read
from cctv.outcomes.incidents import BreakdownRow, IncidentTotals
from cctv.outcomes.periods import Period, parse_period
from cctv.outcomes.summary import advisory_pack
from cctv.web.access import VIEW_OUTCOMES, allow, db
from cctv.web.api.declare import operation
from cctv.web.api.parsing import unprocessable
from cctv.web.outcomes.forms import FIRST_YEAR, last_complete_quarter
from inventory.types import london_today, utcnow

bp = Blueprint("outcomes_api", __name__, url_prefix="/api/v1")


def _blank_is_none(value: object) -> object:
    return value or None


class OutcomesQuery(BaseModel):
    """The period: 2025Q3 (a quarter), 2025-07 (a month), 2025 (a year) or 2025-07-01..2025-09-30."""

    period: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        None, max_length=40, description="The last complete quarter when not given")


class Breakdown(BaseModel):
    """One row of a breakdown: its key (a category code, town, service-area id or YYYY-MM; null: no camera)."""

    key: str | int | None
    label: str
    incidents: int
    arrests: int


class Totals(BaseModel):
    """A period's headline figures."""

    incidents: int
    arrests: int
    incidents_with_arrest: int
    evidence_produced: int
    evidence_later_used: int
    inside_monitored: int
    outside_monitored: int


class Deployables(BaseModel):
    """The deployable cameras' deployments overlapping the period, at a glance."""

    deployments: int
    cameras: int
    locations: int
    camera_incidents: int
    camera_arrests: int
    evidence_produced: int
    evidence_used: int


class OutcomesRead(BaseModel):
    """The Advisory Group's measures for one period."""

    period: str
    label: str
    first_day: str
    last_day: str
    totals: Totals
    previous_totals: Totals
    by_category: list[Breakdown]
    by_town: list[Breakdown]
    by_service_area: list[Breakdown]
    by_month: list[Breakdown]
    monitored_hours: float
    deployables: Deployables
    investment_council: Decimal
    investment_external: Decimal


def _period(text: str | None) -> Period:
    """The period asked for, within the years the dashboard offers; 422 naming the field otherwise."""
    today = london_today()
    if not text:
        return last_complete_quarter(today)
    try:
        period = parse_period(text)
    except ValueError as exc:
        unprocessable({"period": str(exc)})
    if period.start.year < FIRST_YEAR or period.last_day.year > today.year:
        unprocessable({"period": f"{text!r} is outside the years {FIRST_YEAR} to {today.year}"})
    return period


def _rows(rows: tuple[BreakdownRow, ...]) -> list[dict]:
    return [{"key": r.key, "label": r.label, "incidents": r.incidents, "arrests": r.arrests} for r in rows]


def _totals(measures: IncidentTotals) -> dict[str, int]:
    return measures.totals()


@bp.route("/outcomes")
@allow(VIEW_OUTCOMES)
@operation(query=OutcomesQuery, answer=OutcomesRead, errors={422: "The period cannot be read, or is out of range"})
def outcomes(query: OutcomesQuery):
    """Outcome measures.

    The Advisory Group's measures for a period (?period=2025Q3; the last complete quarter by default): the same
    figures as the dashboard, its CSVs and its PDF pack."""
    period = _period(query.period)
    pack = advisory_pack(db(), period, today=london_today(), now=utcnow())
    audit_read(db(), "outcomes", period.code, f"API outcomes ?{request.query_string.decode()}")
    summary = pack.deployment_summary
    return {
        "period": period.code, "label": period.label, "first_day": period.start.isoformat(),
        "last_day": period.last_day.isoformat(), "totals": _totals(pack.incidents),
        "previous_totals": _totals(pack.previous), "by_category": _rows(pack.incidents.by_category),
        "by_town": _rows(pack.incidents.by_town), "by_service_area": _rows(pack.incidents.by_service_area),
        "by_month": _rows(pack.incidents.by_month), "monitored_hours": pack.monitored_hours,
        "deployables": {name: getattr(summary, name) for name in Deployables.model_fields},
        "investment_council": pack.investment.council_total, "investment_external": pack.investment.external_total,
    }
