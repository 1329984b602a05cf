"""The camera-location annex of a DPIA, filled from the inventory and never retyped, and the cameras outside any DPIA.

A draft's annex is read live from the inventory, so it follows every camera added, moved or decommissioned while the
DPO writes. Signing off copies the annex into `Dpia.annex_json`: a signed-off (or superseded) version keeps showing
the cameras it was signed off for, whatever the inventory does later.

The functions here return every camera, covert ones included, unless told otherwise; the web layer passes
`include_covert=False` (or filters with the user's `CameraScope`) for users without covert access.
"""

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, or_, select

from dpia.models import Dpia
from dpia.types import DpiaStatus
from inventory.models import Camera
from inventory.types import CameraKind, CameraStatus


@dataclass(frozen=True)
class AnnexCamera:
    """One camera as the annex lists it: what it is and where it is."""

    camera_id: int
    asset_id: str
    name: str
    kind: CameraKind
    status: CameraStatus
    location_text: str
    town: str
    longitude: float | None
    latitude: float | None

    @classmethod
    def of(cls, camera: Camera) -> "AnnexCamera":
        """The annex line of a camera as the inventory holds it now."""
        assert camera.id is not None
        return cls(
            camera_id=camera.id, asset_id=camera.asset_id, name=camera.name, kind=CameraKind(camera.kind),
            status=CameraStatus(camera.status), location_text=camera.location_text, town=camera.town,
            longitude=camera.longitude, latitude=camera.latitude,
        )

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> "AnnexCamera":
        """An annex line read back from a frozen annex."""
        return cls(
            camera_id=int(row["camera_id"]), asset_id=row["asset_id"], name=row["name"], kind=CameraKind(row["kind"]),
            status=CameraStatus(row["status"]), location_text=row.get("location_text", ""),
            town=row.get("town", ""), longitude=row.get("longitude"), latitude=row.get("latitude"),
        )

    def to_json(self) -> dict[str, Any]:
        """The line as stored in `annex_json` (enums as their values, so the JSON stays plain)."""
        row = asdict(self)
        row["kind"], row["status"] = self.kind.value, self.status.value
        return row

    @property
    def is_covert(self) -> bool:
        return self.kind == CameraKind.COVERT


def camera_annex(session: Session, system_id: int, *, include_covert: bool = True) -> list[AnnexCamera]:
    """The system's cameras now, from the inventory: all but decommissioned ones, in asset-id order."""
    stmt = select(Camera).where(
        Camera.system_id == system_id, col(Camera.status) != CameraStatus.DECOMMISSIONED
    )
    if not include_covert:
        stmt = stmt.where(col(Camera.kind) != CameraKind.COVERT)
    return [AnnexCamera.of(camera) for camera in session.exec(stmt.order_by(col(Camera.asset_id)))]


def freeze_annex(session: Session, dpia: Dpia) -> str:
    """The JSON to keep in `dpia.annex_json` at sign-off: every camera, covert included (filtered when shown)."""
    return json.dumps([line.to_json() for line in camera_annex(session, dpia.system_id)])


def annex_for(session: Session, dpia: Dpia, *, include_covert: bool = True) -> list[AnnexCamera]:
    """The annex a version shows: frozen at sign-off for signed-off and superseded versions, live for a draft."""
    if dpia.status == DpiaStatus.DRAFT:
        return camera_annex(session, dpia.system_id, include_covert=include_covert)
    lines = [AnnexCamera.from_json(row) for row in dpia.annex()]
    return sorted((line for line in lines if include_covert or not line.is_covert), key=lambda line: line.asset_id)


def systems_with_signed_off_dpia(session: Session) -> set[int]:
    """Ids of the systems that have a signed-off version (a superseded one is always followed by a signed-off one)."""
    stmt = select(Dpia.system_id).where(Dpia.status == DpiaStatus.SIGNED_OFF).distinct()
    return set(session.exec(stmt))


def cameras_without_dpia(session: Session) -> list[Camera]:
    """The gaps: working (not decommissioned) cameras in no system, or in a system with no signed-off DPIA.

    A system whose only DPIA is a draft is still a gap: nothing has been approved for its cameras yet.
    Ordered by asset id; covert cameras included (the caller filters by the user's scope).
    """
    covered = sorted(systems_with_signed_off_dpia(session))
    stmt = select(Camera).where(
        col(Camera.status) != CameraStatus.DECOMMISSIONED,
        or_(col(Camera.system_id).is_(None), col(Camera.system_id).not_in(covered)),
    )
    return list(session.exec(stmt.order_by(col(Camera.asset_id))))


__all__ = ["AnnexCamera", "annex_for", "camera_annex", "cameras_without_dpia", "freeze_annex"]
