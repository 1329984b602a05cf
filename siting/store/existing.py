"""The inventory's working cameras, as the model's existing coverage (BNG metres)."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import column, select, table
from sqlmodel import Session

from inventory.types import PUBLIC_SPACE_KINDS, CameraStatus
from siting.geometry import to_bng

# The columns of the inventory's `camera` table the siting model reads (here and for the sites' towns and wards,
# `siting.store.localities`), named here rather than through `inventory.models.Camera`: building that module's
# SQLModel classes was about 0.15 s of every `cctv siting` command's start, for two queries. Kind and status are
# stored as their enums' values (plain text); tests/siting/test_existing.py holds these names and that storage to
# the inventory's own table.
CAMERA = table("camera", column("id"), column("asset_id"), column("longitude"), column("latitude"), column("kind"),
               column("status"), column("town"), column("ward"))


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
    c = CAMERA.c
    rows = session.connection().execute(
        select(c.asset_id, c.longitude, c.latitude).where(
            c.kind.in_(sorted(kind.value for kind in PUBLIC_SPACE_KINDS)),
            c.status == CameraStatus.OPERATIONAL.value,
            c.longitude.is_not(None),
            c.latitude.is_not(None),
        ).order_by(c.asset_id)
    ).all()
    if not rows:
        return ExistingCameras((), np.empty((0, 2), dtype=np.float64))
    lon = np.array([r[1] for r in rows], dtype=np.float64)
    lat = np.array([r[2] for r in rows], dtype=np.float64)
    easting, northing = to_bng(lon, lat)
    return ExistingCameras(tuple(r[0] for r in rows), np.column_stack([easting, northing]))
