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
        # The same answer whoever holds the name: it must not confirm that a covert system is called that.
        raise DuplicateSystemName(f"the name {name} is already taken: choose another")
    if session.get(ServiceArea, data.service_area_id) is None:
        raise LookupError(f"service area {data.service_area_id} does not exist")
    system = CameraSystem(name=name, service_area_id=data.service_area_id, description=data.description.strip())
    session.add(system)
    session.flush()
    record_change(session, ChangeKind.SYSTEM_CREATED, system_id=system.id, actor=actor,
                  detail=f"new system {system.name}")
    return system


def visible_system(session: Session, scope: CameraScope, system_id: int) -> CameraSystem | None:
    """The system if the user may see it; None for one that does not exist or is hidden from them, alike."""
    return session.exec(select(CameraSystem).where(CameraSystem.id == system_id, scope.systems_where())).first()


def list_systems(session: Session, scope: CameraScope) -> list[SystemSummary]:
    """Every system the user may see (their service areas; covert ones only with covert access), with the count of
    its cameras the user may see."""
    counts = dict(
        session.exec(
            select(Camera.system_id, func.count()).where(scope.where(), col(Camera.system_id).is_not(None))
            .group_by(Camera.system_id)
        ).all()
    )
    stmt = (select(CameraSystem, ServiceArea.name).join(ServiceArea).where(scope.systems_where())
            .order_by(col(CameraSystem.name)))
    return [SystemSummary(system, area, counts.get(system.id, 0)) for system, area in session.exec(stmt)]


def update_system(session: Session, scope: CameraScope, system: CameraSystem, data: CameraSystemBase) -> CameraSystem:
    """Rename a system, change its description or the service area that owns it (both of the user's). Its cameras
    and DPIA stay with it: a renamed system is the same system, so no DPIA change is raised."""
    if not (scope.allows_area(system.service_area_id) and scope.allows_area(data.service_area_id)):
        raise OutOfScope("That service area is not one of yours.")
    name = data.name.strip()
    if not name:
        raise ValueError("Give the system a name.")
    clash = session.exec(select(CameraSystem.id).where(func.lower(CameraSystem.name) == name.lower())).first()
    if clash is not None and clash != system.id:
        raise DuplicateSystemName(f"the name {name} is already taken: choose another")
    if session.get(ServiceArea, data.service_area_id) is None:
        raise LookupError(f"service area {data.service_area_id} does not exist")
    system.name, system.service_area_id, system.description = name, data.service_area_id, data.description.strip()
    session.add(system)
    session.flush()
    return system
