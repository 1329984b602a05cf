"""Candidate-site geometry checked and put into National Grid metres, for `siting.sources.sites`'s readers.

Each function returns a shapely geometry in EPSG:27700 or raises `BadSite` with a reason a planner can act on
(the reader adds the file and line). `crs` is "lonlat", "bng", or "auto": decided by range, since GB eastings and
northings are far beyond ±180/±90. Checks run in the source coordinates, so a reason quotes what the file says.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import shapely
import shapely.wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape

from siting.geometry import geometry_to_bng

# The National Grid's extent in metres: anything outside is not in Great Britain (or is in the wrong units).
GRID_EASTING = (0.0, 700_000.0)
GRID_NORTHING = (0.0, 1_300_000.0)
SITE_TYPES = ("Point", "Polygon", "MultiPolygon")  # DESIGN §4: candidate sites are points or polygons


class BadSite(ValueError):
    """One site's problem, raised while reading it; the reader records it with the file and line or feature."""


def is_lonlat(x: float, y: float) -> bool:
    """Whether (x, y) can be a longitude and latitude at all."""
    return -180 <= x <= 180 and -90 <= y <= 90


def point_to_grid(x: float, y: float, crs: str) -> shapely.Geometry:
    """A point in National Grid metres from (x, y) in "lonlat", "bng" or "auto" (decided by range)."""
    if crs == "lonlat" and not is_lonlat(x, y):
        hint = ": these look like National Grid metres, so name the columns Easting and Northing" \
            if abs(x) > 180 or abs(y) > 90 else ""
        raise BadSite(f"longitude {x:g} / latitude {y:g} is out of range{hint}")
    if crs == "bng" and is_lonlat(x, y):
        raise BadSite(f"easting {x:g} / northing {y:g} look like longitude/latitude, not National Grid metres")
    return _to_grid(Point(x, y), crs == "lonlat" or (crs == "auto" and is_lonlat(x, y)))


def wkt_to_grid(text: str) -> shapely.Geometry:
    """A WKT POINT, POLYGON or MULTIPOLYGON in degrees or metres (by range)."""
    try:
        geometry = shapely.wkt.loads(text)
    except (ShapelyError, ValueError, TypeError) as exc:
        reason = str(exc).removeprefix("ParseException: ")
        raise BadSite(f"unreadable WKT {text[:40]!r}: {reason[:1].lower()}{reason[1:]}") from None
    return geometry_to_grid(geometry, "auto")


def geojson_to_grid(data: Any, crs: str) -> shapely.Geometry:
    """A GeoJSON geometry object (a dict) whose coordinates are in `crs`."""
    if not isinstance(data, dict) or not data.get("type"):
        raise BadSite("the feature has no geometry")
    if data["type"] not in SITE_TYPES:
        raise BadSite(f"geometry type {data['type']!r} is not a site: use {', '.join(SITE_TYPES)}")
    try:
        geometry = shape(data)
        coords = shapely.get_coordinates(geometry)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise BadSite(f"a {data['type']} with unreadable coordinates {json.dumps(data.get('coordinates'))[:60]}") \
            from None
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise BadSite(f"a {data['type']} with a coordinate that is not a number")
    return geometry_to_grid(geometry, crs)


def geometry_to_grid(geometry: shapely.Geometry, crs: str) -> shapely.Geometry:
    """Type, emptiness and validity checked in the source coordinates, then projected and kept inside the grid."""
    geometry = shapely.force_2d(geometry)
    if geometry.geom_type not in SITE_TYPES:
        raise BadSite(f"geometry type {geometry.geom_type!r} is not a site: use {', '.join(SITE_TYPES)}")
    if geometry.is_empty:
        raise BadSite(f"the {geometry.geom_type} is empty")
    if not geometry.is_valid:
        reason = re.sub(r"\[(.*)\]$", r" at (\1)", shapely.is_valid_reason(geometry))  # "Self-intersection[x y]"
        raise BadSite(f"invalid {geometry.geom_type.lower()}: {reason.lower()}")
    min_x, min_y, max_x, max_y = geometry.bounds
    lonlat = is_lonlat(min_x, min_y) and is_lonlat(max_x, max_y)
    if crs == "lonlat" and not lonlat:
        raise BadSite("coordinates are out of longitude/latitude range, but the file declares longitude/latitude")
    if crs == "bng" and lonlat:
        raise BadSite("coordinates look like longitude/latitude, but the file declares National Grid (EPSG:27700)")
    return _to_grid(geometry, lonlat if crs == "auto" else crs == "lonlat")


def _to_grid(geometry: shapely.Geometry, lonlat: bool) -> shapely.Geometry:
    """The geometry in National Grid metres, refused when any of it lies outside Great Britain's grid."""
    grid = geometry_to_bng(geometry) if lonlat else geometry
    min_e, min_n, max_e, max_n = grid.bounds
    inside = GRID_EASTING[0] <= min_e and max_e <= GRID_EASTING[1] and \
        GRID_NORTHING[0] <= min_n and max_n <= GRID_NORTHING[1]
    if inside and all(math.isfinite(v) for v in grid.bounds):
        return grid
    x, y = geometry.centroid.x, geometry.centroid.y
    where = f"longitude {x:g}, latitude {y:g}" if lonlat else f"easting {x:,.0f}, northing {y:,.0f}"
    hint = " (longitude and latitude swapped?)" if lonlat and is_lonlat(y, x) and 49 <= x <= 61 and -9 <= y <= 3 \
        else ""
    raise BadSite(f"{where} is outside Great Britain's National Grid{hint}")
