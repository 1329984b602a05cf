"""Camera systems: the named groups of cameras a DPIA covers. A new system is a change its DPIA must follow."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from inventory.changes import record_change
from inventory.models import Camera, CameraSystem, CameraSystemBase, ServiceArea
from inventory.scope import CameraScope, OutOfScope
from inventory.types import ChangeKind


class DuplicateSystemName(ValueError):
    """Another system already has that name."""


@dataclass(frozen=True)
class SystemSummary:
    """A system with how many of its cameras the user may see."""

    system: CameraSystem
    service_area: str
    cameras: int


def create_system(session: Session, scope: CameraScope, data: CameraSystemBase, *, actor: str) -> CameraSystem:
    """Add a system and raise the 'new system' change, so the DPIA register asks for its DPIA."""
    if not scope.allows_area(data.service_area_id):
        raise OutOfScope("That service area is not one of yours.")
    name = data.name.strip()
    if session.exec(select(CameraSystem.id).where(func.lower(CameraSystem.name) == name.lower())).first():
        raise DuplicateSystemName(f"a system named {name} already exists")
    if session.get(ServiceArea, data.service_area_id) is None:
        raise LookupError(f"service area {data.service_area_id} does not exist")
    system = CameraSystem(name=name, service_area_id=data.service_area_id, description=data.description.strip())
    session.add(system)
    session.flush()
    record_change(session, ChangeKind.SYSTEM_CREATED, system_id=system.id, actor=actor,
                  detail=f"new system {system.name}")
    return system


def list_systems(session: Session, scope: CameraScope) -> list[SystemSummary]:
    """Every system in the user's service areas, with the count of its cameras the user may see."""
    counts = dict(
        session.exec(
            select(Camera.system_id, func.count()).where(scope.where(), col(Camera.system_id).is_not(None))
            .group_by(Camera.system_id)
        ).all()
    )
    stmt = select(CameraSystem, ServiceArea.name).join(ServiceArea).order_by(col(CameraSystem.name))
    if scope.service_area_ids is not None:
        stmt = stmt.where(col(CameraSystem.service_area_id).in_(sorted(scope.service_area_ids)))
    return [SystemSummary(system, area, counts.get(system.id, 0)) for system, area in session.exec(stmt)]
