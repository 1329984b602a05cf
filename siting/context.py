"""Context layers for a map that must help without internet: drawn from data the app holds, never from a tile server.

- the council boundary and its wards, from GeoJSON files the council configures (the same kind of file the crime
  import takes as its area), outlined and labelled; without a boundary file, the council's area uploaded for
  siting (`cctv area set`) is the boundary, and without a wards file, the wards imported once (`cctv area wards`);
- town and ward labels where the cameras are (the centre of each town's and ward's cameras), so a map with no
  background still says where it is;
- street labels from the police.uk crimes imported ("On or near High Street" is police.uk's anonymous snap point on
  a street): the streets with the most crimes, at the middle of their points.

Every layer is a GeoJSON Feature with a `layer` property ("boundary", "ward", "town", "street") and a `label`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from sqlmodel import Session, col, func, select

from siting.store.tables import Crime

STREET_LABELS = 400  # enough to read a town centre at street zoom, few enough for a quick map
SIMPLIFY_DEGREES = 0.0002  # about 15 m: outlines stay true at street zoom and small to send
_NEAR = "On or near "


@lru_cache(maxsize=8)
def _outlines(path: str, modified: float, layer: str) -> tuple[dict, ...]:
    """The polygons of a GeoJSON file, simplified, each labelled by its name (cached per file version)."""
    del modified  # part of the cache key only: a replaced file is read again
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    features = data.get("features", [data] if data.get("type") == "Feature" else [])
    outlines = []
    for feature in features:
        if not feature.get("geometry"):
            continue
        geometry = shape(feature["geometry"]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        props = feature.get("properties") or {}
        label = next((str(props[k]) for k in ("name", "NAME", "ward", "WD23NM", "LAD23NM", "lsoa11nm")
                      if props.get(k)), "")
        point = geometry.representative_point()
        outlines.append({"type": "Feature", "geometry": mapping(geometry),
                         "properties": {"layer": layer, "label": label,
                                        "label_at": [round(point.x, 6), round(point.y, 6)]}})
    return tuple(outlines)


def outline_layer(path: str, layer: str) -> list[dict]:
    """A configured boundary or wards file as outlines; [] when none is configured or it cannot be read (the map
    must still open: the other layers and the cameras are drawn)."""
    if not path:
        return []
    try:
        file = Path(path)
        return list(_outlines(str(file), file.stat().st_mtime, layer))
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def _label(layer: str, label: str, lon: float, lat: float, weight: int) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {"layer": layer, "label": label, "weight": weight}}


def place_labels(points: Iterable[tuple[str, str, float | None, float | None]]) -> list[dict]:
    """Town and ward labels at the centre of their cameras, from (town, ward, longitude, latitude)."""
    sums: dict[tuple[str, str], list[float]] = {}
    for town, ward, lon, lat in points:
        if lon is None or lat is None:
            continue
        for layer, name in (("town", town), ("ward", ward)):
            if name:
                total = sums.setdefault((layer, name), [0.0, 0.0, 0])
                total[0] += lon
                total[1] += lat
                total[2] += 1
    return [_label(layer, name, lon / n, lat / n, int(n)) for (layer, name), (lon, lat, n) in sorted(sums.items())]


def street_labels(session: Session, limit: int = STREET_LABELS) -> list[dict]:
    """The streets police.uk snapped most crimes to, labelled at the middle of their points."""
    count = func.count().label("n")
    stmt = (select(Crime.location, func.avg(Crime.longitude), func.avg(Crime.latitude), count)
            .where(col(Crime.longitude).is_not(None), col(Crime.location) != "")
            .group_by(Crime.location).order_by(count.desc(), col(Crime.location)).limit(limit))
    return [_label("street", location.removeprefix(_NEAR), lon, lat, n)
            for location, lon, lat, n in session.exec(stmt) if lon is not None and lat is not None]


def council_outline(session: Session) -> list[dict]:
    """The council's area as uploaded for siting (`siting.store.council_area`), as the boundary outline; [] when
    none is set."""
    from siting.geometry import geometry_to_wgs84
    from siting.sources.area import WGS84
    from siting.store.council_area import current_area

    area = current_area(session)
    if area is None:
        return []
    geometry = area.to_filter().geometry
    if area.crs != WGS84:
        geometry = geometry_to_wgs84(geometry)
    geometry = geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    point = geometry.representative_point()
    return [{"type": "Feature", "geometry": mapping(geometry),
             "properties": {"layer": "boundary", "label": area.name,
                            "label_at": [round(point.x, 6), round(point.y, 6)]}}]


def stored_ward_outlines(session: Session) -> list[dict]:
    """The wards imported once (`siting.store.wards`), outlined and labelled; [] when none were."""
    from siting.store.wards import stored_wards

    outlines = []
    for ward in stored_wards(session):
        geometry = shapely.from_geojson(ward.geometry_json).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        point = geometry.representative_point()
        outlines.append({"type": "Feature", "geometry": mapping(geometry),
                         "properties": {"layer": "ward", "label": ward.name,
                                        "label_at": [round(point.x, 6), round(point.y, 6)]}})
    return outlines


def context_layers(session: Session, places: Iterable[tuple[str, str, float | None, float | None]], *,
                   boundary_file: str = "", wards_file: str = "") -> dict:
    """Every context layer as one GeoJSON FeatureCollection (see the module's notes). The boundary is the configured
    file's, else the council's area uploaded for siting; the wards are the configured file's, else those imported."""
    boundary = outline_layer(boundary_file, "boundary") or council_outline(session)
    wards = outline_layer(wards_file, "ward") or stored_ward_outlines(session)
    features = boundary + wards + place_labels(places) + street_labels(session)
    return {"type": "FeatureCollection", "features": features}
