"""Camera effectiveness (principle 6): per-camera incidents, arrests and evidence, idle cameras, and the trend.

- Cameras counted: public-space (fixed, PTZ), deployable and car-park cameras inside the filters, except those
  planned or decommissioned with nothing in the period (a camera taken down mid-quarter keeps its figures).
- An incident counts once for every camera used on it; arrests likewise (the per-camera view, not a total).
- Evidence of a camera: footage requests produced in the period that asked for its footage or whose incident
  used it; later used as in `incidents` (charged, prosecution, caution).
- Per monitored hour: the figure divided by the control room's monitored hours in the period (`monitored_hours_in`,
  or `monitored_hours_per_week` × days / 7 when given), rounded to 4 decimal places here so every output shows the
  same number. Every camera shares the room's hours.
- Idle: an operational camera of those kinds, installed before the window (or of unknown install date), with no
  incident in the last `months` months up to `today`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, or_, select, union
from sqlmodel import Session, col, func

from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, Incident, IncidentCamera
from cctv.outcomes.clauses import evidence_clauses
from cctv.outcomes.hours_review import monitored_hours_in, room_hours
from cctv.outcomes.incidents import LATER_USED, TOTAL_LABELS, IncidentTotals
from cctv.outcomes.links import CameraLinks, camera_links
from cctv.outcomes.periods import Filters, Period
from inventory.models import Camera, ServiceArea
from inventory.types import PUBLIC_SPACE_KINDS, CameraKind, CameraStatus, london_midnight

EFFECTIVENESS_KINDS = tuple(sorted(PUBLIC_SPACE_KINDS))
_QUIET_STATUSES = (CameraStatus.PLANNED, CameraStatus.DECOMMISSIONED)


@dataclass(frozen=True)
class CameraRow:
    """One camera's figures for a period."""

    camera_id: int
    asset_id: str
    name: str
    kind: CameraKind
    status: CameraStatus
    town: str
    service_area: str
    incidents: int
    arrests: int
    evidence_produced: int
    evidence_used: int
    monitored_hours: float
    incidents_per_monitored_hour: float | None  # None when the room monitored no hours in the period
    arrests_per_monitored_hour: float | None
    evidence_per_monitored_hour: float | None


@dataclass(frozen=True)
class Change:
    """A total now and in the previous period, the change and the change in percent (None from zero)."""

    label: str
    current: int
    previous: int
    change: int
    percent: float | None


def _per_hour(value: int, hours: float) -> float | None:
    return round(value / hours, 4) if hours > 0 else None


def _incidents_per_camera(links: CameraLinks) -> dict[int, tuple[int, int]]:
    return {camera_id: (n, arrests) for camera_id, n, arrests in links.per_camera if camera_id is not None}


def _evidence_per_camera(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """Camera id → (requests produced in the period, of which later used), each request once per camera."""
    produced = evidence_clauses(period, Filters())
    asked = (select(EvidenceRequest.id, EvidenceRequest.later_use, EvidenceCamera.camera_id.label("camera_id"))
             .join(EvidenceCamera, col(EvidenceCamera.evidence_id) == EvidenceRequest.id).where(*produced))
    via_incident = (select(EvidenceRequest.id, EvidenceRequest.later_use, IncidentCamera.camera_id.label("camera_id"))
                    .join(IncidentCamera, col(IncidentCamera.incident_id) == EvidenceRequest.incident_id)
                    .where(*produced))
    links = union(asked, via_incident).subquery()  # UNION drops a request's camera that both routes give
    stmt = (
        select(links.c.camera_id, func.count(), func.sum(case((links.c.later_use.in_(LATER_USED), 1), else_=0)))
        .group_by(links.c.camera_id)
    )
    return {camera_id: (int(n), int(u or 0)) for camera_id, n, u in session.execute(stmt)}


def camera_effectiveness(
    session: Session, period: Period, filters: Filters | None = None, *, monitored_hours_per_week: float | None = None,
    weekly_hours: Mapping[int, tuple[str, str]] | None = None, links: CameraLinks | None = None,
) -> list[CameraRow]:
    """Per-camera figures for the period, most incidents first (then arrests, then asset id).

    `weekly_hours` and `links` (the period's `camera_links`): when the caller has read them already (else they are
    read here)."""
    filters = filters or Filters()
    if monitored_hours_per_week is not None:
        hours = monitored_hours_per_week * period.days / 7
    else:
        hours = monitored_hours_in(period, weekly_hours if weekly_hours is not None else room_hours(session))
    incidents = _incidents_per_camera(links if links is not None else camera_links(session, period))
    evidence = _evidence_per_camera(session, period)
    stmt = (  # the columns shown, not whole Camera objects: loading 500 of them was a tenth of the dashboard's time
        select(Camera.id, Camera.asset_id, Camera.name, Camera.kind, Camera.status, Camera.town,
               ServiceArea.name.label("area"))
        .join(ServiceArea, col(ServiceArea.id) == Camera.service_area_id)
        .where(col(Camera.kind).in_(EFFECTIVENESS_KINDS), *filters.camera_clauses())
    )
    rows = []
    for camera in session.execute(stmt):
        n, arrests = incidents.get(camera.id, (0, 0))
        produced, used = evidence.get(camera.id, (0, 0))
        if camera.status in _QUIET_STATUSES and not (n or produced):
            continue
        rows.append(CameraRow(
            camera_id=camera.id, asset_id=camera.asset_id, name=camera.name, kind=camera.kind,
            status=camera.status, town=camera.town, service_area=camera.area, incidents=n, arrests=arrests,
            evidence_produced=produced, evidence_used=used, monitored_hours=round(hours, 2),
            incidents_per_monitored_hour=_per_hour(n, hours), arrests_per_monitored_hour=_per_hour(arrests, hours),
            evidence_per_monitored_hour=_per_hour(produced, hours),
        ))
    rows.sort(key=lambda r: (-r.incidents, -r.arrests, -r.evidence_produced, r.asset_id))
    return rows


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it has no such day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def idle_cameras(session: Session, today: date, months: int = 12, *, used: set[int] | None = None
                 ) -> list[tuple[Camera, datetime | None]]:
    """Operational public-space, deployable and car-park cameras with no incident since `months` months before today,
    each with its latest incident up to today (None if never). By town, then asset id.

    A camera installed inside the window has not had the chance and is left out. `used`: ids of cameras known to
    have an incident inside the window (a period's `CameraLinks.cameras_used()` when the period lies in it), left
    out before any incident is read.
    """
    since_day = months_before(today, months)
    since, until = london_midnight(since_day), london_midnight(today + timedelta(days=1))
    counted = (col(Incident.voided_at).is_(None), col(Incident.occurred_at) < until)  # a void incident is no use
    eligible = [
        col(Camera.kind).in_(EFFECTIVENESS_KINDS), Camera.status == CameraStatus.OPERATIONAL,
        or_(col(Camera.install_date).is_(None), col(Camera.install_date) <= since_day),
    ]
    if used is None:
        # The cameras used in the window, read once from the window's incidents (by the occurred-at index) rather
        # than a correlated EXISTS per camera, which walks each idle camera's whole history of links.
        in_window = (select(IncidentCamera.camera_id).join(Incident, col(Incident.id) == IncidentCamera.incident_id)
                     .where(col(Incident.occurred_at) >= since, *counted))
        eligible.append(col(Camera.id).not_in(in_window))
    else:
        eligible.append(col(Camera.id).not_in(sorted(used)))
    cameras = list(session.execute(select(Camera).where(*eligible)
                                   .order_by(col(Camera.town), col(Camera.asset_id))).scalars())
    if not cameras:
        return []
    # The latest incident of each candidate, by the link table's camera index: the candidates are the rarely used
    # cameras, so this reads few links; a candidate used inside the window (outside the period) drops out here.
    last: dict[int, datetime] = dict(session.execute(  # type: ignore[arg-type]
        select(IncidentCamera.camera_id, func.max(Incident.occurred_at))
        .join(Incident, col(Incident.id) == IncidentCamera.incident_id)
        .where(col(IncidentCamera.camera_id).in_([c.id for c in cameras]), *counted)
        .group_by(IncidentCamera.camera_id)
    ).all())
    return [(c, last.get(c.id or 0)) for c in cameras if c.id not in last or last[c.id] < since]


def _totals_of(value: IncidentTotals | Mapping[str, int]) -> Mapping[str, int]:
    return value.totals() if isinstance(value, IncidentTotals) else value


def trend(current: IncidentTotals | Mapping[str, int], previous: IncidentTotals | Mapping[str, int]
          ) -> dict[str, Change]:
    """Each total of `current` beside `previous`: the change and percent change (one decimal place)."""
    now, before = _totals_of(current), _totals_of(previous)
    out: dict[str, Change] = {}
    for name, value in now.items():
        old = int(before.get(name, 0))
        change = int(value) - old
        percent = round(change * 100 / old, 1) if old else None
        out[name] = Change(TOTAL_LABELS.get(name, name), int(value), old, change, percent)
    return out


__all__ = [
    "CameraRow", "Change", "camera_effectiveness", "idle_cameras", "months_before", "trend",
]
