"""What the site page's map draws: the site, its catchment (the site buffered by the coverage radius), the window's
crimes around it and the working cameras near it, as one GeoJSON FeatureCollection in longitude/latitude.

Crimes are sent one feature per police.uk map point with how many crimes sit there (police.uk snaps crimes to shared
anonymous points: a dot per crime would hide how many are stacked), split by whether they carry harm in the profile,
exactly as the PDF's site map draws them (`siting.report.maps`). Every feature has a `layer` property ("site",
"catchment", "harm", "other", "camera"), so the page's script styles by layer and tests count by layer.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping

from siting.geometry import geometry_to_wgs84, to_wgs84
from siting.model.inputs import Site
from siting.model.points import unique_points


def _point(layer: str, lon: float, lat: float, **properties: object) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {"layer": layer, **properties}}


def _crime_points(layer: str, points_bng: NDArray[np.float64]) -> list[dict]:
    """One feature per distinct map point, with its crime count."""
    if not len(points_bng):
        return []
    ue, un, inverse = unique_points(points_bng[:, 0], points_bng[:, 1])
    counts = np.bincount(inverse, minlength=len(ue))
    lon, lat = to_wgs84(ue, un)
    return [_point(layer, float(x), float(y), crimes=int(n)) for x, y, n in zip(lon, lat, counts, strict=True)]


def site_layers(site: Site, radius_m: float, crimes_bng: NDArray[np.float64], harmful: NDArray[np.bool_],
                cameras_bng: NDArray[np.float64]) -> dict:
    """The site page's map layers (see the module): `crimes_bng` (n, 2) with `harmful` (n,), `cameras_bng` (m, 2),
    all in National Grid metres."""
    catchment = geometry_to_wgs84(shapely.buffer(site.geometry, radius_m, quad_segs=16))
    features = [{"type": "Feature", "geometry": mapping(catchment),
                 "properties": {"layer": "catchment", "radius_m": radius_m}}]
    if site.geometry.geom_type == "Point":
        lon, lat = to_wgs84(*site.centre)
        features.append(_point("site", float(lon), float(lat), name=site.name))
    else:
        features.append({"type": "Feature", "geometry": mapping(geometry_to_wgs84(site.geometry)),
                         "properties": {"layer": "site", "name": site.name}})
    crimes = np.asarray(crimes_bng, dtype=np.float64).reshape(-1, 2)
    harm = np.asarray(harmful, dtype=bool)
    features += _crime_points("other", crimes[~harm]) + _crime_points("harm", crimes[harm])
    cams = np.asarray(cameras_bng, dtype=np.float64).reshape(-1, 2)
    if len(cams):
        lon, lat = to_wgs84(cams[:, 0], cams[:, 1])
        features += [_point("camera", float(x), float(y)) for x, y in zip(lon, lat, strict=True)]
    return {"type": "FeatureCollection", "features": features}
