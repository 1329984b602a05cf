"""The council's wards, imported once from a boundaries file (e.g. the ONS electoral wards of the council), so the
map and the public page outline and label them with no file configured (`MAP_WARDS_FILE` still wins when set).

Each polygon feature is one ward, named from its properties (`name`, ONS `WDyyNM`, `area_name`, ...; or the property
the importer names). Importing again replaces the wards (ward boundaries change at reviews). Geometry is kept in
WGS84, simplified to about a metre: a district's wards are then a few hundred kilobytes, not megabytes.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import shapely
from shapely.geometry import shape
from sqlmodel import Field, Session, SQLModel, col, select

from inventory.types import utcnow
from siting.geometry import geometry_to_wgs84
from siting.sources.area import AreaError

NAME_LENGTH = 120
SIMPLIFY_DEGREES = 0.00001  # about a metre
MAX_WARDS = 2_000  # a unitary council has under 150; more is a file of something else (e.g. output areas)
# Property names that hold a ward's name, most specific first; then any ONS name column (WD23NM, LSOA11NM, ...).
NAME_KEYS = ("ward", "ward_name", "WARD_NAME", "area_name", "name", "NAME", "Name")
_ONS_NAME = re.compile(r"^[A-Za-z]{2,5}\d{2}NM$")


class WardBoundary(SQLModel, table=True):
    """One ward of the council: its name and outline (GeoJSON geometry, WGS84)."""

    __tablename__ = "ward_boundary"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, index=True)
    geometry_json: str
    imported_by: str = Field(default="", max_length=80)
    imported_at: datetime = Field(default_factory=utcnow)


def ward_name(properties: dict[str, Any], name_field: str = "") -> str:
    """The ward's name from a feature's properties ("" when none is found)."""
    if name_field:
        return str(properties.get(name_field) or "").strip()
    for key in NAME_KEYS:
        if str(properties.get(key) or "").strip():
            return str(properties[key]).strip()
    return next((str(v).strip() for k, v in properties.items() if _ONS_NAME.match(k) and str(v or "").strip()), "")


def _features(text: str) -> tuple[list[dict[str, Any]], bool]:
    """The file's features and whether its coordinates are National Grid metres (declared, or beyond degrees)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AreaError(f"not GeoJSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise AreaError("give a GeoJSON FeatureCollection of ward polygons, each with its name")
    features = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list):
        raise AreaError("the FeatureCollection has no list of features")
    return features, "27700" in json.dumps(data.get("crs", ""))


def read_wards(source: str | bytes, name_field: str = "") -> list[tuple[str, shapely.Geometry]]:
    """(name, WGS84 geometry) of every ward polygon in a GeoJSON file; AreaError naming the feature at fault."""
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    features, declared_bng = _features(text)
    wards: list[tuple[str, shapely.Geometry]] = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # points and lines are not wards: skipped, as the count printed shows
        name = ward_name(feature.get("properties") or {}, name_field)
        if not name:
            raise AreaError(f"feature {number} has no ward name"
                            + (f" in its {name_field!r} property" if name_field else ": name its property"))
        try:
            polygon = shapely.make_valid(shape(geometry))
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise AreaError(f"feature {number} ({name}) has unreadable coordinates: {exc}") from exc
        wards.append((name[:NAME_LENGTH], polygon))
    if not wards:
        raise AreaError("the file holds no ward polygon")
    if len(wards) > MAX_WARDS:
        raise AreaError(f"{len(wards):,} polygons is more than a council's wards (at most {MAX_WARDS:,})")
    min_x, min_y, max_x, max_y = shapely.union_all([g for _, g in wards]).bounds
    if declared_bng or min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        wards = [(name, geometry_to_wgs84(g)) for name, g in wards]
    return wards


def set_wards(session: Session, source: str | bytes, *, actor: str, name_field: str = "") -> list[WardBoundary]:
    """Make the GeoJSON `source` the council's wards, replacing any imported before (audited as ORM changes)."""
    wards = read_wards(source, name_field)
    clear_wards(session)
    rows = [WardBoundary(name=name, imported_by=actor,
                         geometry_json=shapely.to_geojson(g.simplify(SIMPLIFY_DEGREES, preserve_topology=True)))
            for name, g in wards]
    session.add_all(rows)
    session.flush()
    return rows


def clear_wards(session: Session) -> int:
    """Remove the imported wards; how many there were."""
    rows = list(session.exec(select(WardBoundary)))
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def stored_wards(session: Session) -> list[WardBoundary]:
    """The imported wards, by name."""
    return list(session.exec(select(WardBoundary).order_by(col(WardBoundary.name))))
