"""Faults against the maintenance contract: opening, fixing, SLA performance and availability (computed)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, or_, select

from inventory.contracts import contract_for
from inventory.models import Camera, Fault, FaultCreate
from inventory.scope import CameraScope
from inventory.types import DEFAULT_SLA_HOURS, CameraStatus, FaultPriority, london_date, utcnow


class FaultNotFound(LookupError):
    """No fault with that id on a camera the user may see."""


def open_fault(
    session: Session,
    scope: CameraScope,
    camera: Camera,
    data: FaultCreate,
    *,
    actor: str,
    now: datetime | None = None,
    sla_hours: Mapping[FaultPriority, int] = DEFAULT_SLA_HOURS,
) -> Fault:
    """Open a fault assigned to the maintenance contract in force for the camera, with the target of that
    contract's SLA (the configured `sla_hours` when no contract is in force); an operational camera becomes faulty
    until it is fixed."""
    scope.check(camera.service_area_id, camera.kind)
    now = now or utcnow()
    contract = contract_for(session, camera, london_date(now))
    hours = (contract.sla_hours() if contract is not None else sla_hours)[FaultPriority(data.priority)]
    fault = Fault.model_validate(
        data,
        update={
            "camera_id": camera.id,
            "opened_at": now,
            "reported_by": actor,
            "target_fix_by": now + timedelta(hours=hours),
            "contract_id": contract.id if contract is not None else None,
            "contractor": data.contractor or (contract.contractor if contract is not None else ""),
        },
    )
    session.add(fault)
    if camera.status == CameraStatus.OPERATIONAL:
        camera.status = CameraStatus.FAULTY
        camera.updated_at = now
        session.add(camera)
    return fault


def fix_fault(
    session: Session, scope: CameraScope, fault: Fault, *, resolution: str, fixed_at: datetime | None = None
) -> Fault:
    """Close a fault; the camera is operational again once it has no other open fault."""
    camera = session.get(Camera, fault.camera_id)
    assert camera is not None  # a fault always belongs to a camera (foreign key)
    scope.check(camera.service_area_id, camera.kind)
    fixed_at = fixed_at or utcnow()
    if fixed_at < fault.opened_at:
        raise ValueError("a fault cannot be fixed before it was opened")
    fault.fixed_at = fixed_at
    fault.resolution = resolution
    session.add(fault)
    session.flush()
    still_open = session.exec(
        select(Fault.id).where(Fault.camera_id == camera.id, col(Fault.fixed_at).is_(None))
    ).first()
    if still_open is None and camera.status == CameraStatus.FAULTY:
        camera.status = CameraStatus.OPERATIONAL
        session.add(camera)
    return fault


def get_fault(session: Session, scope: CameraScope, fault_id: int) -> Fault:
    """The fault, or FaultNotFound when its camera is outside the user's view."""
    fault = session.get(Fault, fault_id)
    if fault is None:
        raise FaultNotFound(fault_id)
    camera = session.get(Camera, fault.camera_id)
    if camera is None or not scope.sees(camera):
        raise FaultNotFound(fault_id)
    return fault


def list_faults(session: Session, scope: CameraScope, *, open_only: bool = False, limit: int = 500) -> list[Fault]:
    """Faults on cameras the user may see, newest first."""
    stmt = select(Fault).join(Camera).where(scope.where())
    if open_only:
        stmt = stmt.where(col(Fault.fixed_at).is_(None))
    stmt = stmt.options(selectinload(Fault.camera)).order_by(col(Fault.opened_at).desc()).limit(limit)  # type: ignore[arg-type]
    return list(session.exec(stmt))


@dataclass(frozen=True)
class SlaFigures:
    """Maintenance-contract performance over a set of faults."""

    faults: int
    open: int
    due: int
    fixed_within_sla: int

    @property
    def share_within_sla(self) -> float | None:
        """Of the faults whose target has passed or that are fixed, the share fixed by the target."""
        return None if self.due == 0 else self.fixed_within_sla / self.due


def sla_figures(faults: Iterable[Fault], now: datetime) -> SlaFigures:
    """Count faults, open ones, those due (fixed or past target) and those fixed within SLA."""
    faults = list(faults)
    due = [f for f in faults if f.fixed_at is not None or f.target_fix_by < now]
    within = [f for f in due if f.fixed_at is not None and f.fixed_at <= f.target_fix_by]
    return SlaFigures(
        faults=len(faults), open=sum(f.fixed_at is None for f in faults), due=len(due), fixed_within_sla=len(within)
    )


def availability(faults: Iterable[Fault], start: datetime, end: datetime) -> float:
    """Share of [start, end) with no open fault on the camera (overlapping faults count once)."""
    if end <= start:
        raise ValueError("the period must end after it starts")
    intervals = sorted(
        (max(f.opened_at, start), min(f.fixed_at or end, end))
        for f in faults
        if f.opened_at < end and (f.fixed_at is None or f.fixed_at > start)
    )
    down = timedelta(0)
    current_start, current_end = None, None
    for s, e in intervals:
        if current_end is None or s > current_end:
            if current_end is not None:
                down += current_end - current_start
            current_start, current_end = s, e
        else:
            current_end = max(current_end, e)
    if current_end is not None:
        down += current_end - current_start
    return 1 - down / (end - start)


def camera_faults_in(session: Session, camera_id: int, start: datetime, end: datetime) -> list[Fault]:
    """The camera's faults that overlap [start, end)."""
    stmt = select(Fault).where(
        Fault.camera_id == camera_id,
        col(Fault.opened_at) < end,
        or_(col(Fault.fixed_at).is_(None), col(Fault.fixed_at) > start),
    )
    return list(session.exec(stmt))
