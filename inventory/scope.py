"""Who may see and change which cameras: covert access and service-area scoping, decided in one place."""

from dataclasses import dataclass

from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import and_, col, select, true

from inventory.models import Camera, CameraSystem
from inventory.types import CameraKind


def covert_system_ids() -> Select:
    """The ids of covert systems: those whose cameras are all covert (decommissioned ones counted too, since the DPIA
    annex and the history still name them). A system has no kind of its own, so its cameras decide: a system mixing
    covert and other cameras stays visible, its covert cameras hidden line by line; an empty one is not covert."""
    overt = select(Camera.system_id).where(Camera.kind != CameraKind.COVERT, col(Camera.system_id).is_not(None))
    return select(Camera.system_id).where(
        Camera.kind == CameraKind.COVERT, col(Camera.system_id).is_not(None), col(Camera.system_id).not_in(overt))


class OutOfScope(PermissionError):
    """The user may not change this record (another service area, or covert without access)."""


@dataclass(frozen=True)
class CameraScope:
    """What a user may see: covert cameras or not, and all service areas (None) or some."""

    include_covert: bool = False
    service_area_ids: frozenset[int] | None = None

    @classmethod
    def everything(cls) -> "CameraScope":
        """The scope of the system itself (CLI, jobs): every camera."""
        return cls(include_covert=True, service_area_ids=None)

    def sees(self, camera: Camera) -> bool:
        """Whether the camera exists at all for this user."""
        if camera.kind == CameraKind.COVERT and not self.include_covert:
            return False
        return self.service_area_ids is None or camera.service_area_id in self.service_area_ids

    def allows_area(self, service_area_id: int) -> bool:
        """Whether the user may put cameras in this service area."""
        return self.service_area_ids is None or service_area_id in self.service_area_ids

    def check(self, service_area_id: int, kind: CameraKind) -> None:
        """Raise OutOfScope unless a camera of this area and kind is within the user's reach."""
        if not self.allows_area(service_area_id):
            raise OutOfScope("That service area is not one of yours.")
        if kind == CameraKind.COVERT and not self.include_covert:
            raise OutOfScope("You do not have covert access.")

    def where(self) -> ColumnElement[bool]:
        """The SQL condition that keeps only the cameras this user may see."""
        clauses: list[ColumnElement[bool]] = []
        if not self.include_covert:
            clauses.append(col(Camera.kind) != CameraKind.COVERT)
        if self.service_area_ids is not None:
            clauses.append(col(Camera.service_area_id).in_(sorted(self.service_area_ids)))
        return and_(true(), *clauses)

    def systems_where(self) -> ColumnElement[bool]:
        """The SQL condition that keeps only the systems this user may see: in their service areas, and not covert
        without covert access (a covert system's name alone says what is watched)."""
        clauses: list[ColumnElement[bool]] = []
        if not self.include_covert:
            clauses.append(col(CameraSystem.id).not_in(covert_system_ids()))
        if self.service_area_ids is not None:
            clauses.append(col(CameraSystem.service_area_id).in_(sorted(self.service_area_ids)))
        return and_(true(), *clauses)
