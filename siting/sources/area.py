"""The council's area: a bounding box or a boundary GeoJSON, to keep only the council's crimes from a force's file.

A force file (Thames Valley, Hertfordshire …) reaches well beyond one council; `AreaFilter.contains` tests whole numpy
arrays of points at once. A point exactly on the boundary counts as inside, so a bounding box is inclusive.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import box, shape

from siting.geometry import BNG, WGS84, geometry_to_bng, to_bng, to_wgs84

_CRS_NAMES = {"wgs84": WGS84, "epsg:4326": WGS84, "lonlat": WGS84, "bng": BNG, "epsg:27700": BNG, "osgb": BNG}


class AreaError(ValueError):
    """A boundary that cannot be used as an area."""


def normalise_crs(crs: str) -> str:
    """"wgs84"/"EPSG:4326" → EPSG:4326 and "bng"/"EPSG:27700" → EPSG:27700; anything else is an AreaError."""
    found = _CRS_NAMES.get(crs.strip().lower())
    if found is None:
        raise AreaError(f"unknown coordinate system {crs!r}: use wgs84 (longitude/latitude) or bng (EPSG:27700)")
    return found


class AreaFilter:
    """A polygonal area in WGS84 or National Grid coordinates, tested point-wise on numpy arrays."""

    def __init__(self, geometry: shapely.Geometry, crs: str = WGS84, name: str = "") -> None:
        """Wrap a (Multi)Polygon given in `crs` ("wgs84" or "bng")."""
        if geometry.is_empty or shapely.get_type_id(geometry) not in (3, 6):  # Polygon, MultiPolygon
            raise AreaError("an area must be a non-empty Polygon or MultiPolygon")
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        self.geometry = geometry
        self.crs = normalise_crs(crs)
        self.name = name
        shapely.prepare(self.geometry)  # many point tests follow

    def __repr__(self) -> str:
        return f"AreaFilter({self.name or self.geometry.geom_type!r}, crs={self.crs!r}, bounds={self.geometry.bounds})"

    @classmethod
    def from_bbox(cls, min_x: float, min_y: float, max_x: float, max_y: float, *, crs: str = "wgs84") -> AreaFilter:
        """A bounding box: (west, south, east, north) in longitude/latitude, or in metres with crs="bng"."""
        if not (min_x < max_x and min_y < max_y):
            box_text = f"({min_x}, {min_y}, {max_x}, {max_y})"
            raise AreaError(f"bounding box {box_text} is empty: give west, south, east, north")
        return cls(box(min_x, min_y, max_x, max_y), crs, name="bounding box")

    @classmethod
    def from_geojson(cls, source: dict[str, Any] | str | Path, *, crs: str | None = None) -> AreaFilter:
        """A boundary from GeoJSON: a dict, JSON text, or a file path; Polygon, MultiPolygon, Feature(Collection).

        RFC 7946 GeoJSON is longitude/latitude. Older exports may declare EPSG:27700 in a "crs" member, which is
        honoured; failing both, coordinates beyond ±180/±90 can only be National Grid metres and are read as such.
        """
        data = _load_json(source)
        polygons = [g for g in _geometries(data) if not g.is_empty]
        if not polygons:
            raise AreaError("the GeoJSON holds no polygon")
        geometry = shapely.union_all(polygons)
        if crs is None:
            declared = json.dumps(data.get("crs", "")) if isinstance(data, dict) else ""
            min_x, min_y, max_x, max_y = geometry.bounds
            outside_degrees = min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90
            crs = BNG if "27700" in declared or outside_degrees else WGS84
        name = data.get("name", "") if isinstance(data, dict) and isinstance(data.get("name"), str) else ""
        return cls(geometry, crs, name=name or "boundary")

    @cached_property
    def geometry_bng(self) -> shapely.Geometry:
        """The area in National Grid metres (edges densified first so a degree-box keeps its shape)."""
        if self.crs == BNG:
            return self.geometry
        return geometry_to_bng(shapely.segmentize(self.geometry, 0.001))

    @property
    def area_m2(self) -> float:
        """The area in square metres, measured in the National Grid."""
        return float(self.geometry_bng.area)

    @property
    def bounds_bng(self) -> tuple[float, float, float, float]:
        """(min easting, min northing, max easting, max northing) in metres."""
        min_x, min_y, max_x, max_y = self.geometry_bng.bounds
        return float(min_x), float(min_y), float(max_x), float(max_y)

    def contains(self, longitude: ArrayLike, latitude: ArrayLike) -> NDArray[np.bool_]:
        """For each WGS84 point, whether it lies in the area (boundary included; NaN is outside)."""
        x, y = np.asarray(longitude, dtype=np.float64), np.asarray(latitude, dtype=np.float64)
        if self.crs == BNG:
            x, y = to_bng(x, y)
        return self._test(x, y)

    def contains_bng(self, easting: ArrayLike, northing: ArrayLike) -> NDArray[np.bool_]:
        """For each National Grid point, whether it lies in the area (boundary included; NaN is outside)."""
        x, y = np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)
        if self.crs == WGS84:
            x, y = to_wgs84(x, y)
        return self._test(x, y)

    def _test(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.bool_]:
        inside = shapely.intersects_xy(self.geometry, x, y)  # intersects = inside or on the edge
        return np.asarray(inside, dtype=bool) & ~(np.isnan(x) | np.isnan(y))


def _load_json(source: dict[str, Any] | str | Path) -> Any:
    if isinstance(source, dict):
        return source
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith(("{", "["))):
        try:
            return json.loads(Path(source).read_text(encoding="utf-8-sig"))
        except (OSError, json.JSONDecodeError) as exc:
            raise AreaError(f"cannot read GeoJSON from {source}: {exc}") from exc
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise AreaError(f"not GeoJSON: {exc}") from exc


def _geometries(data: Any) -> list[shapely.Geometry]:
    """Every polygonal geometry in a GeoJSON object, however it is wrapped."""
    if not isinstance(data, dict):
        raise AreaError("GeoJSON must be an object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        return [g for feature in data.get("features") or [] for g in _geometries(feature)]
    if kind == "Feature":
        return _geometries(data["geometry"]) if data.get("geometry") else []
    if kind == "GeometryCollection":
        return [g for member in data.get("geometries") or [] for g in _geometries(member)]
    if kind in ("Polygon", "MultiPolygon"):
        try:
            return [shape(data)]
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise AreaError(f"a {kind} with unreadable coordinates: {exc}") from exc
    raise AreaError(f"GeoJSON {kind!r} is not an area: give a Polygon, MultiPolygon, Feature or FeatureCollection")
