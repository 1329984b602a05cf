"""Incident measures for a period: totals and breakdowns by category, town, service area and month.

Definitions (the dashboard, the CSVs and the PDF all read these numbers from `incident_measures`):

- An incident is in the period when it *occurred* inside it (London days; see `periods`).
- Filters narrow to incidents with at least one camera in the town / service area. The town and service area of
  an incident are those of its cameras, so an incident seen by cameras in two towns counts once in each town's
  row but once in the total; only the cameras inside the filters give rows. Incidents without cameras count
  under "(no camera)" (never when a filter is set: they have no town).
- Arrests are the sum of the incidents' arrest counts (counted per incident, DESIGN §6).
- Evidence produced: footage requests *produced* in the period (whenever the incident was). A request belongs to
  the cameras it asked for and to the cameras of its incident; with a filter, one of those must be inside it.
  Later used: of those, the ones the police reported as charged, prosecution or caution.
- Inside / outside monitored hours: the flag recorded when the incident was logged (the hours then in force).

Every figure is counted by the database (GROUP BY): totals, categories and months from the incidents; the
breakdowns by the cameras' town and service area from the period's incident-camera links (`CameraLinks`), counted
in the same statement as the per-camera figures. A handful of queries whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, select
from sqlmodel import Session, col, func

from cctv.controlroom.models import EvidenceRequest, Incident, IncidentCategory
from cctv.controlroom.types import LaterUse
from cctv.outcomes.clauses import evidence_clauses, incident_clauses
from cctv.outcomes.links import CameraLinks, Tallies, camera_links
from cctv.outcomes.periods import Filters, LocalClock, Period
from inventory.models import ServiceArea

LATER_USED = (LaterUse.CHARGED, LaterUse.PROSECUTION, LaterUse.CAUTION)
NO_CAMERA = "(no camera)"
NO_TOWN = "(town not recorded)"


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: its key (category code, town, service-area id, "YYYY-MM"; None for "(no camera)")."""

    key: str | int | None
    label: str
    incidents: int
    arrests: int


@dataclass(frozen=True)
class IncidentTotals:
    """The headline incident figures of one period under one set of filters (all the previous period needs)."""

    period: Period
    filters: Filters
    incidents: int
    arrests: int
    incidents_with_arrest: int
    evidence_produced: int
    evidence_later_used: int
    inside_monitored: int
    outside_monitored: int

    def totals(self) -> dict[str, int]:
        """The headline figures by name, in display order (what `effectiveness.trend` compares)."""
        return {name: getattr(self, name) for name in TOTAL_NAMES}


@dataclass(frozen=True)
class IncidentMeasures(IncidentTotals):
    """The incident figures of one period under one set of filters: the totals and their breakdowns."""

    by_category: tuple[BreakdownRow, ...]
    by_town: tuple[BreakdownRow, ...]
    by_service_area: tuple[BreakdownRow, ...]
    by_month: tuple[BreakdownRow, ...]


TOTAL_NAMES = (
    "incidents", "arrests", "incidents_with_arrest", "evidence_produced", "evidence_later_used",
    "inside_monitored", "outside_monitored",
)
TOTAL_LABELS = {
    "incidents": "Incidents",
    "arrests": "Arrests",
    "incidents_with_arrest": "Incidents with an arrest",
    "evidence_produced": "Evidence produced",
    "evidence_later_used": "Evidence later used (charge, prosecution, caution)",
    "inside_monitored": "Incidents inside monitored hours",
    "outside_monitored": "Incidents outside monitored hours",
}


def _int(value: Any) -> int:
    return int(value or 0)


def _ranked(rows: list[BreakdownRow]) -> tuple[BreakdownRow, ...]:
    """Most incidents first, then most arrests, then by label (stable for equal figures)."""
    return tuple(sorted(rows, key=lambda r: (-r.incidents, -r.arrests, r.label)))


@dataclass
class _Tally:
    incidents: int = 0
    arrests: int = 0

    def add(self, incidents: int, arrests: int) -> None:
        self.incidents += incidents
        self.arrests += arrests


def _evidence(session: Session, period: Period, filters: Filters) -> tuple[int, int]:
    stmt = select(
        func.count(),
        func.sum(case((col(EvidenceRequest.later_use).in_(LATER_USED), 1), else_=0)),
    ).where(*evidence_clauses(period, filters))
    produced, used = session.execute(stmt).one()
    return _int(produced), _int(used)


def _breakdown(found: Tallies, label_for: Any) -> tuple[BreakdownRow, ...]:
    """Rows ranked by incidents, the "(no camera)" row (value None) last."""
    rows = [BreakdownRow(v, label_for(v), n, a) for v, n, a in found if v is not None]
    tail = tuple(BreakdownRow(None, NO_CAMERA, n, a) for v, n, a in found if v is None)
    return _ranked(rows) + tail


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _grouped(session: Session, period: Period, filters: Filters) -> tuple[dict[str, _Tally], dict[str, _Tally],
                                                                             tuple[int, int, int]]:
    """Incidents and arrests by category and by London month ("YYYY-MM"), and (inside monitored hours, outside,
    with an arrest), from one GROUP BY (category, month, monitored flag): a few hundred groups at most, summed
    here, so the incident table is read once for all of them."""
    clock = LocalClock(session, period.start_utc, period.end_utc)
    bucket = clock.month(Incident.occurred_at).label("month")
    grouped = (
        select(Incident.category, bucket, Incident.in_monitored_hours, func.count(), func.sum(Incident.arrests),
               func.sum(case((col(Incident.arrests) > 0, 1), else_=0)))
        .where(*incident_clauses(period, filters))
        .group_by(Incident.category, bucket, Incident.in_monitored_hours)
    )
    categories: dict[str, _Tally] = {}
    months: dict[str, _Tally] = {}
    inside = outside = with_arrest = 0
    for category, key, monitored, n, arrests, arrested in session.execute(grouped):
        n, arrests = _int(n), _int(arrests)
        categories.setdefault(category, _Tally()).add(n, arrests)
        months.setdefault(key, _Tally()).add(n, arrests)
        with_arrest += _int(arrested)
        if monitored:
            inside += n
        else:
            outside += n
    return categories, months, (inside, outside, with_arrest)


def incident_totals(session: Session, period: Period, filters: Filters | None = None) -> IncidentTotals:
    """The headline figures of the period under the filters, without the breakdowns (two statements)."""
    filters = filters or Filters()
    categories, _, (inside, outside, with_arrest) = _grouped(session, period, filters)
    produced, used = _evidence(session, period, filters)
    return IncidentTotals(period, filters, inside + outside, sum(t.arrests for t in categories.values()),
                          with_arrest, produced, used, inside, outside)


def service_area_names(session: Session) -> dict[int, str]:
    """Every service area's name by id (the breakdowns and the idle cameras name them)."""
    return dict(session.execute(select(ServiceArea.id, ServiceArea.name)).all())  # type: ignore[arg-type]


def incident_measures(session: Session, period: Period, filters: Filters | None = None, *,
                      links: CameraLinks | None = None, areas: dict[int, str] | None = None) -> IncidentMeasures:
    """The incident figures of the period under the filters (see the module's definitions).

    `links` (the period's `camera_links`) and `areas` (`service_area_names`): when the caller has read them already
    (else they are read here).
    """
    filters = filters or Filters()
    links = links if links is not None else camera_links(session, period, filters)
    assert links.period == period and links.filters == filters
    categories, months, (inside, outside, with_arrest) = _grouped(session, period, filters)
    labels = dict(session.execute(select(IncidentCategory.code, IncidentCategory.label)).all())
    areas = areas if areas is not None else service_area_names(session)
    produced, used = _evidence(session, period, filters)
    by_month = []
    for y, m in period.months():
        tally = months.get(f"{y}-{m:02d}", _Tally())
        by_month.append(BreakdownRow(f"{y}-{m:02d}", f"{_MONTHS[m - 1]} {y}", tally.incidents, tally.arrests))
    return IncidentMeasures(
        period, filters, inside + outside, sum(t.arrests for t in categories.values()), with_arrest, produced, used,
        inside, outside,
        by_category=_ranked([BreakdownRow(c, labels.get(c, c), t.incidents, t.arrests)
                             for c, t in categories.items()]),
        by_town=_breakdown(links.by_town, lambda v: v or NO_TOWN),
        by_service_area=_breakdown(links.by_service_area, lambda v: areas.get(v, str(v))),
        by_month=tuple(by_month),
    )
