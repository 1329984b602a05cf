"""A site's ward and town, named from data the council already holds, so a councillor can place it without a map.

When the council has imported its ward boundaries (`cctv area wards`, `siting.store.wards`), a site takes the ward
whose outline holds its centre. Otherwise, and outside every outline, the camera register's own words serve: each
camera records its town and ward, and a site takes the ward of the nearest camera within `WARD_REACH_M` that has one
(wards are small: a camera further away may sit in the next ward). A site takes the town of the nearest camera within
`TOWN_REACH_M` that has one. When the council's area is set, a site outside it says so ("outside Dacorum"): its
figures are real, but it is not the council's to bid for. Where none of this is known the locality is empty and the
site is named by its street and LSOA alone (`siting.model.place`), never by a guess.

Covert cameras are left out: a place name taken from one would tell a reader one is near.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from sqlalchemy import select
from sqlmodel import Session

from inventory.types import CameraKind
from siting.geometry import geometry_to_bng, to_bng
from siting.model.inputs import Site
from siting.model.run import ModelRun
from siting.store.existing import CAMERA
from siting.store.wards import stored_wards

WARD_REACH_M = 500.0
TOWN_REACH_M = 1500.0


@dataclass(frozen=True)
class Localities:
    """Named points (towns and wards of the register's cameras, National Grid) and the council's area."""

    town_points: NDArray[np.float64]  # (n, 2)
    towns: tuple[str, ...]
    ward_points: NDArray[np.float64]  # (m, 2)
    wards: tuple[str, ...]
    area_bng: shapely.Geometry | None = None
    area_name: str = ""
    ward_outlines: tuple[shapely.Geometry, ...] = ()  # the imported wards (National Grid), named by outline_names
    outline_names: tuple[str, ...] = ()

    def of(self, easting: float, northing: float) -> str:
        """"Chaulden ward, Hemel Hempstead", "Hemel Hempstead", "… outside Dacorum" or "" (see the module)."""
        parts = []
        ward = self._outlined_ward(easting, northing) or \
            _nearest(self.ward_points, self.wards, easting, northing, WARD_REACH_M)
        if ward:
            parts.append(f"{ward} ward")
        town = _nearest(self.town_points, self.towns, easting, northing, TOWN_REACH_M)
        if town and town.lower() != ward.lower():
            parts.append(town)
        if self.area_bng is not None and not shapely.intersects_xy(self.area_bng, easting, northing):
            parts.append(f"outside {self.area_name or 'the council area'}")
        return ", ".join(parts)

    def _outlined_ward(self, easting: float, northing: float) -> str:
        """The imported ward whose outline holds the point (the first by name where outlines overlap); "" for none."""
        for outline, name in zip(self.ward_outlines, self.outline_names, strict=True):
            if shapely.intersects_xy(outline, easting, northing):
                return name
        return ""


def _nearest(points: NDArray[np.float64], names: tuple[str, ...], easting: float, northing: float,
             reach_m: float) -> str:
    """The name of the nearest point within reach (ties: the first in the register's order); "" for none."""
    if not len(points):
        return ""
    distance = np.hypot(points[:, 0] - easting, points[:, 1] - northing)
    nearest = int(np.argmin(distance))
    return names[nearest] if distance[nearest] <= reach_m else ""


def _named(rows: list[tuple[str, float, float]]) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    if not rows:
        return np.empty((0, 2)), ()
    east, north = to_bng(np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    return np.column_stack([east, north]), tuple(r[0] for r in rows)


def load_localities(session: Session, area_bng: shapely.Geometry | None = None, area_name: str = "") -> Localities:
    """The register's named cameras (any status: a decommissioned camera's town is still its town; not covert) and
    the council's area."""
    c = CAMERA.c
    rows = session.connection().execute(
        select(c.town, c.ward, c.longitude, c.latitude).where(
            c.kind != CameraKind.COVERT.value, c.longitude.is_not(None), c.latitude.is_not(None),
        ).order_by(c.id)
    ).all()
    towns = _named([(" ".join(t.split()), lon, lat) for t, _, lon, lat in rows if t and t.strip()])
    wards = _named([(" ".join(w.split()), lon, lat) for _, w, lon, lat in rows if w and w.strip()])
    outlines = [(w.name, geometry_to_bng(shapely.from_geojson(w.geometry_json))) for w in stored_wards(session)]
    for _, outline in outlines:
        shapely.prepare(outline)  # each site's centre is tested against every ward
    return Localities(towns[0], towns[1], wards[0], wards[1], area_bng, area_name,
                      tuple(g for _, g in outlines), tuple(n for n, _ in outlines))


def with_localities(run: ModelRun, sites: list[Site], localities: Localities) -> ModelRun:
    """The run with each site's locality filled in as its result is built (a site not among `sites` keeps none)."""
    centres = {site.site_id: site.centre for site in sites}
    run.site_results.name_places(lambda site: localities.of(*centres[site.site_id]) if site.site_id in centres else "")
    return run
