"""WGS84 longitude/latitude ↔ British National Grid (EPSG:27700) metres, for numpy arrays and shapely geometries.

Every distance in the siting model is measured in National Grid metres; stored coordinates stay WGS84.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from pyproj import Transformer

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"


@lru_cache(maxsize=4)
def transformer(source: str, target: str) -> Transformer:
    """A cached pyproj transformer; always_xy so that order is (longitude, latitude) and (easting, northing)."""
    from pyproj import Transformer  # pyproj loads its database at import: only when first needed

    return Transformer.from_crs(source, target, always_xy=True)


def _transform(source: str, target: str, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape:
        raise ValueError(f"coordinate arrays differ in shape: {xs.shape} and {ys.shape}")
    out_x, out_y = transformer(source, target).transform(xs, ys)
    out_x = np.asarray(out_x, dtype=np.float64)
    out_y = np.asarray(out_y, dtype=np.float64)
    # PROJ turns a missing (NaN) input into inf; keep "no location" as NaN so callers can mask it with isnan.
    missing = np.isnan(xs) | np.isnan(ys)
    if missing.any():
        out_x = np.where(missing, np.nan, out_x)
        out_y = np.where(missing, np.nan, out_y)
    return out_x, out_y


def to_bng(longitude: ArrayLike, latitude: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Easting and northing in metres for WGS84 longitudes and latitudes (arrays or scalars; NaN stays NaN)."""
    return _transform(WGS84, BNG, longitude, latitude)


def to_wgs84(easting: ArrayLike, northing: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS84 longitude and latitude for National Grid eastings and northings (NaN stays NaN)."""
    return _transform(BNG, WGS84, easting, northing)


def geometry_to_bng(geometry: shapely.Geometry) -> shapely.Geometry:
    """A shapely geometry given in longitude/latitude, re-expressed in National Grid metres."""
    return shapely.transform(geometry, lambda xy: np.column_stack(to_bng(xy[:, 0], xy[:, 1])))


def geometry_to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    """A shapely geometry given in National Grid metres, re-expressed in longitude/latitude (e.g. for a web map)."""
    return shapely.transform(geometry, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1])))
