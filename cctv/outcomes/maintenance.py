"""The maintenance contract's performance (principle 6): faults, the share fixed within SLA, and availability.

Measured over the period, clipped at `now` for the period still running (availability of hours not yet lived is not
known). The figures, using `inventory.faults` so that the faults page and this report agree on what they mean:

- faults opened in the period, and faults fixed in it (whenever they were opened);
- open at the end: opened before the end and not fixed by it;
- SLA: of the faults opened in the period, those due (fixed, or still open past their target at `now`) and those
  fixed by their target (`inventory.faults.sla_figures`). A fault opened on the period's last day and fixed after it
  is judged on when it was fixed; one still open within its target is not yet due;
- mean hours to fix, of the faults fixed in the period;
- availability per camera: the share of the period with no open fault (`inventory.faults.availability`, overlapping
  faults counted once), for every camera in service (operational or faulty) and any other camera with a fault in the
  period; overall availability is their mean (each camera weighs the same: the same span for all).

`filters` keeps cameras of a town and/or service area. Covert cameras are left out unless `include_covert`: the
Advisory Group's pack is read by councillors and police.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, and_, col, or_, select, true

from cctv.outcomes.periods import Filters, Period
from inventory.faults import SlaFigures, availability, sla_figures
from inventory.models import Camera, Fault, ServiceArea
from inventory.types import CameraKind, CameraStatus, FaultPriority, utcnow

IN_SERVICE = (CameraStatus.OPERATIONAL, CameraStatus.FAULTY)
WORST_COUNT = 10
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class CameraAvailability:
    """One camera's faults and availability over the span measured."""

    camera_id: int
    asset_id: str
    name: str
    town: str
    service_area: str
    faults: int  # faults open at some time in the span
    downtime_hours: float
    availability: float  # 0..1


@dataclass(frozen=True)
class PriorityLine:
    """SLA performance of the faults of one priority opened in the period."""

    priority: FaultPriority
    label: str
    sla: SlaFigures


@dataclass(frozen=True)
class MaintenanceMeasures:
    """Fault and availability figures for [start, end) (the period, clipped at now)."""

    start: datetime
    end: datetime
    faults_opened: int
    faults_fixed: int
    open_at_end: int
    sla: SlaFigures  # of the faults opened in the period
    by_priority: tuple[PriorityLine, ...]  # critical first
    mean_hours_to_fix: float | None  # of the faults fixed in the period
    cameras: tuple[CameraAvailability, ...]  # by asset id
    availability: float | None  # mean of the cameras'; None with no camera or a period not yet started
    worst: tuple[CameraAvailability, ...]  # lowest availability first, only cameras that were down at all

    @property
    def share_within_sla(self) -> float | None:
        """Of the faults due, the share fixed by their target (None when none was due)."""
        return self.sla.share_within_sla


def _camera_filter(filters: Filters | None, include_covert: bool) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if not include_covert:
        clauses.append(col(Camera.kind) != CameraKind.COVERT)
    if filters is not None:
        clauses.extend(filters.camera_clauses())
    return and_(true(), *clauses)


def _availability(session: Session, where: ColumnElement[bool], faults: list[Fault], start: datetime,
                  end: datetime) -> tuple[CameraAvailability, ...]:
    by_camera: dict[int, list[Fault]] = defaultdict(list)
    for fault in faults:
        if fault.opened_at < end and (fault.fixed_at is None or fault.fixed_at > start):
            by_camera[fault.camera_id].append(fault)
    # The four camera columns shown rather than whole Camera objects (about 500 of them for the demo's estate).
    stmt = (
        select(Camera.id, Camera.asset_id, Camera.name, Camera.town, ServiceArea.name)
        .join(ServiceArea, col(ServiceArea.id) == Camera.service_area_id)
        .where(where, or_(col(Camera.status).in_(IN_SERVICE), col(Camera.id).in_(sorted(by_camera))))
        .order_by(col(Camera.asset_id))
    )
    span_hours = (end - start) / _HOUR
    rows = []
    for camera_id, asset_id, name, town, area in session.execute(stmt):
        share = availability(by_camera[camera_id], start, end)
        rows.append(CameraAvailability(camera_id, asset_id, name, town, area, len(by_camera[camera_id]),
                                       (1 - share) * span_hours, share))
    return tuple(rows)


def maintenance(session: Session, period: Period, filters: Filters | None = None, *, now: datetime | None = None,
                include_covert: bool = False, worst_count: int = WORST_COUNT) -> MaintenanceMeasures:
    """Faults opened and fixed, SLA performance and availability over the period (see the module's notes)."""
    now = now or utcnow()
    start, end = period.start_utc, max(min(period.end_utc, now), period.start_utc)
    where = _camera_filter(filters, include_covert)
    # Every fault that touches the span: opened before its end, and not fixed before its start. The end is `now`
    # for the period still running, so nothing is counted that had not happened yet.
    faults = list(session.exec(
        select(Fault).join(Camera, col(Camera.id) == Fault.camera_id).where(
            where, col(Fault.opened_at) < end,
            or_(col(Fault.fixed_at).is_(None), col(Fault.fixed_at) >= start),
        ).order_by(col(Fault.opened_at), col(Fault.id))
    ))
    opened = [f for f in faults if start <= f.opened_at]
    fixed = [f for f in faults if f.fixed_at is not None and start <= f.fixed_at < end]
    open_at_end = [f for f in faults if f.fixed_at is None or f.fixed_at >= end]
    by_priority = tuple(
        PriorityLine(p, p.label, sla_figures([f for f in opened if FaultPriority(f.priority) == p], now))
        for p in FaultPriority
    )
    mean_fix = (sum(((f.fixed_at - f.opened_at) / _HOUR for f in fixed if f.fixed_at), 0.0) / len(fixed)
                if fixed else None)
    cameras = _availability(session, where, faults, start, end) if end > start else ()
    overall = sum(c.availability for c in cameras) / len(cameras) if cameras else None
    down = sorted((c for c in cameras if c.availability < 1), key=lambda c: (c.availability, -c.faults, c.asset_id))
    return MaintenanceMeasures(
        start=start, end=end, faults_opened=len(opened), faults_fixed=len(fixed),
        open_at_end=len(open_at_end),
        sla=sla_figures(opened, now), by_priority=by_priority, mean_hours_to_fix=mean_fix, cameras=cameras,
        availability=overall, worst=tuple(down[:worst_count]),
    )


__all__ = ["CameraAvailability", "MaintenanceMeasures", "PriorityLine", "maintenance"]
