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

Everything is counted by the database (GROUP BY), a handful of queries whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func

from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, Incident, IncidentCamera, IncidentCategory
from cctv.controlroom.types import LaterUse
from cctv.outcomes.periods import Filters, LocalClock, Period
from inventory.models import Camera, ServiceArea
from inventory.types import CameraKind

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
class IncidentMeasures:
    """The incident figures of one period under one set of filters."""

    period: Period
    filters: Filters
    incidents: int
    arrests: int
    incidents_with_arrest: int
    evidence_produced: int
    evidence_later_used: int
    inside_monitored: int
    outside_monitored: int
    by_category: tuple[BreakdownRow, ...]
    by_town: tuple[BreakdownRow, ...]
    by_service_area: tuple[BreakdownRow, ...]
    by_month: tuple[BreakdownRow, ...]

    def totals(self) -> dict[str, int]:
        """The headline figures by name, in display order (what `effectiveness.trend` compares)."""
        return {name: getattr(self, name) for name in TOTAL_NAMES}


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


def _incidents_on_cameras(filters: Filters) -> Any:
    """SELECT of the ids of incidents with a camera inside the filters."""
    return (select(IncidentCamera.incident_id)
            .join(Camera, _visible_camera()).where(*filters.camera_clauses()))


def _visible_camera() -> ColumnElement[bool]:
    """The join to an incident's cameras, covert ones left out: the measures are for councillors and police, and a
    town or service area row made of covert use alone would say where covert cameras are."""
    return and_(col(Camera.id) == IncidentCamera.camera_id, col(Camera.kind) != CameraKind.COVERT)


def incident_clauses(period: Period, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on `Incident` for the incidents the measures count (occurred in the period, in the filters)."""
    clauses: list[ColumnElement[bool]] = [
        col(Incident.occurred_at) >= period.start_utc,
        col(Incident.occurred_at) < period.end_utc,
        col(Incident.voided_at).is_(None),  # a void incident (a duplicate, a mistake) counts in no measure
    ]
    if filters.active:  # IN (…) rather than a correlated EXISTS: the camera side is small and hashed once
        clauses.append(col(Incident.id).in_(_incidents_on_cameras(filters)))
    return clauses


def evidence_clauses(period: Period, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on `EvidenceRequest` for the requests produced in the period, linked to cameras in the filters."""
    clauses: list[ColumnElement[bool]] = [
        col(EvidenceRequest.produced_at) >= period.start_utc,
        col(EvidenceRequest.produced_at) < period.end_utc,
    ]
    if filters.active:
        asked = (select(EvidenceCamera.evidence_id)
                 .join(Camera, col(Camera.id) == EvidenceCamera.camera_id).where(*filters.camera_clauses()))
        clauses.append(or_(col(EvidenceRequest.id).in_(asked),
                           col(EvidenceRequest.incident_id).in_(_incidents_on_cameras(filters))))
    return clauses


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


def _incident_cameras(period: Period, filters: Filters, columns: list[Any]) -> Any:
    """SELECT (incident id, arrests, *columns of its cameras) for the period's incidents, one row per visible camera.

    The query starts from the period's incidents and looks their cameras up by the link table's primary key, which
    both databases plan well (SQLite, given a GROUP BY on the link table's camera index, would walk all of it).

    Without filters the cameras are outer-joined, so incidents without any come out under the value None (camera
    columns are never NULL); with filters only the cameras inside them count.
    """
    if filters.active:  # only the visible cameras inside the filters
        return (
            select(Incident.id, Incident.arrests, *columns).select_from(Incident)
            .join(IncidentCamera, col(IncidentCamera.incident_id) == Incident.id)
            .join(Camera, _visible_camera())
            .where(*incident_clauses(period, Filters()), *filters.camera_clauses())
        )
    # Every visible camera of each incident; an incident with none of them comes out once under None, however
    # many covert cameras it had. The covert ones are left out in the link's own join condition (NOT IN a short
    # list) rather than by outer-joining a subquery of the visible links: SQLite would build that subquery from
    # the whole link table for every call, where this looks each incident's links up by primary key.
    covert = select(Camera.id).where(Camera.kind == CameraKind.COVERT)
    return (
        select(Incident.id, Incident.arrests, *columns).select_from(Incident)
        .join(IncidentCamera, and_(col(IncidentCamera.incident_id) == Incident.id,
                                   col(IncidentCamera.camera_id).not_in(covert)), isouter=True)
        .join(Camera, col(Camera.id) == IncidentCamera.camera_id, isouter=True)
        .where(*incident_clauses(period, Filters()))
    )


def incidents_by_camera_field(
    session: Session, period: Period, filters: Filters, field: Any
) -> list[tuple[Any, int, int]]:
    """(value, incidents, arrests) per value of a camera column, each incident once per value among its cameras
    (see `_incident_cameras` for which cameras and the None value), counted by the database."""
    pairs = _incident_cameras(period, filters, [field.label("value")]).distinct().subquery()
    stmt = select(pairs.c.value, func.count(), func.sum(pairs.c.arrests)).group_by(pairs.c.value)
    return [(value, _int(n), _int(arrests)) for value, n, arrests in session.execute(stmt)]


def incidents_by_camera_fields(
    session: Session, period: Period, filters: Filters, fields: dict[str, Any]
) -> dict[str, list[tuple[Any, int, int]]]:
    """`incidents_by_camera_field` for several camera columns at once, by name: the distinct (incident, values)
    rows are read in one statement and tallied here, each incident once per value of each column. (One GROUP BY per
    column made the database join the period's incidents to their cameras once per column.)"""
    names = list(fields)
    rows = session.execute(_incident_cameras(period, filters, [fields[n].label(n) for n in names]).distinct())
    seen: dict[str, set[tuple[Any, Any]]] = {name: set() for name in names}
    tallies: dict[str, dict[Any, _Tally]] = {name: {} for name in names}
    for incident_id, arrests, *values in rows:
        for name, value in zip(names, values, strict=True):
            if (value, incident_id) not in seen[name]:
                seen[name].add((value, incident_id))
                tallies[name].setdefault(value, _Tally()).add(1, _int(arrests))
    return {name: [(value, t.incidents, t.arrests) for value, t in tallies[name].items()] for name in names}


def _breakdown(found: list[tuple[Any, int, int]], label_for: Any) -> tuple[BreakdownRow, ...]:
    """Rows ranked by incidents, the "(no camera)" row (value None) last."""
    rows = [BreakdownRow(v, label_for(v), n, a) for v, n, a in found if v is not None]
    tail = tuple(BreakdownRow(None, NO_CAMERA, n, a) for v, n, a in found if v is None)
    return _ranked(rows) + tail


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def incident_measures(session: Session, period: Period, filters: Filters | None = None) -> IncidentMeasures:
    """The incident figures of the period under the filters (see the module's definitions).

    Totals, categories and months come from one GROUP BY (category, London month, monitored flag): a few
    hundred groups at most, summed here, so the incident table is read once for all three.
    """
    filters = filters or Filters()
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
    labels = dict(session.execute(select(IncidentCategory.code, IncidentCategory.label)).all())
    areas = dict(session.execute(select(ServiceArea.id, ServiceArea.name)).all())
    produced, used = _evidence(session, period, filters)
    by_camera = incidents_by_camera_fields(session, period, filters,
                                           {"town": col(Camera.town), "area": col(Camera.service_area_id)})
    towns, service_areas = by_camera["town"], by_camera["area"]
    by_month = []
    for y, m in period.months():
        tally = months.get(f"{y}-{m:02d}", _Tally())
        by_month.append(BreakdownRow(f"{y}-{m:02d}", f"{_MONTHS[m - 1]} {y}", tally.incidents, tally.arrests))

    return IncidentMeasures(
        period=period,
        filters=filters,
        incidents=inside + outside,
        arrests=sum(t.arrests for t in categories.values()),
        incidents_with_arrest=with_arrest,
        evidence_produced=produced,
        evidence_later_used=used,
        inside_monitored=inside,
        outside_monitored=outside,
        by_category=_ranked([BreakdownRow(c, labels.get(c, c), t.incidents, t.arrests)
                             for c, t in categories.items()]),
        by_town=_breakdown(towns, lambda v: v or NO_TOWN),
        by_service_area=_breakdown(service_areas, lambda v: areas.get(v, str(v))),
        by_month=tuple(by_month),
    )
