"""The inventory's working cameras, as the model's existing coverage (BNG metres)."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session, col, select

from inventory.models import Camera
from inventory.types import PUBLIC_SPACE_KINDS, CameraStatus
from siting.geometry import to_bng


@dataclass(frozen=True)
class ExistingCameras:
    """Working public-space cameras with a point: their asset ids and National Grid positions."""

    asset_ids: tuple[str, ...]
    points_bng: NDArray[np.float64]  # (n, 2) eastings, northings

    def __len__(self) -> int:
        return len(self.asset_ids)


def working_cameras(session: Session) -> ExistingCameras:
    """Operational public-space, deployable and car-park cameras that have a point.

    Faulty, planned, stored and decommissioned cameras see nothing today, so they cover no harm; building,
    body-worn, ANPR, traffic and covert cameras do not watch the public space the model scores.
    """
    rows = session.exec(
        select(Camera.asset_id, Camera.longitude, Camera.latitude).where(
            col(Camera.kind).in_(sorted(PUBLIC_SPACE_KINDS)),
            Camera.status == CameraStatus.OPERATIONAL,
            col(Camera.longitude).is_not(None),
            col(Camera.latitude).is_not(None),
        ).order_by(col(Camera.asset_id))
    ).all()
    if not rows:
        return ExistingCameras((), np.empty((0, 2), dtype=np.float64))
    lon = np.array([r[1] for r in rows], dtype=np.float64)
    lat = np.array([r[2] for r in rows], dtype=np.float64)
    easting, northing = to_bng(lon, lat)
    return ExistingCameras(tuple(r[0] for r in rows), np.column_stack([easting, northing]))
