"""Who may see and change which cameras: covert access and service-area scoping, decided in one place."""

from dataclasses import dataclass

from sqlalchemy.sql import ColumnElement
from sqlmodel import and_, col, true

from inventory.models import Camera
from inventory.types import CameraKind


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
