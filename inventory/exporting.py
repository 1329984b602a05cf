"""Exports of the cameras a user may see: CSV and GeoJSON, with National Grid coordinates alongside."""

import io
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from common.csv_cells import SafeWriter
from inventory.geo import to_bng
from inventory.models import Camera

# Every field of the register: `cctv cameras import` and the import page read each of these headers back, so an
# export imports into another register losing nothing (the system by its name, which must exist there).
EXPORT_COLUMNS = (
    "asset_id", "name", "service_area", "system", "kind", "status", "location_text", "town", "ward", "longitude",
    "latitude",
    "easting", "northing", "control_room", "proactively_monitored", "retention_days", "manufacturer", "model",
    "install_date", "owner", "data_controller", "funding_source", "notes",
    "source_ref",
)


def camera_row(camera: Camera) -> dict[str, Any]:
    """A camera as a flat row of plain values."""
    easting = northing = None
    if camera.longitude is not None and camera.latitude is not None:
        easting, northing = to_bng(camera.longitude, camera.latitude)
    row = {name: getattr(camera, name, None) for name in EXPORT_COLUMNS}
    row.update(
        service_area=camera.service_area.name if camera.service_area else "",
        system=camera.system.name if camera.system else "",
        easting=easting, northing=northing,
        kind=str(camera.kind), status=str(camera.status),
        funding_source=str(camera.funding_source) if camera.funding_source else "",
        install_date=camera.install_date.isoformat() if isinstance(camera.install_date, date) else "",
    )
    return row


def to_csv(cameras: Iterable[Camera]) -> str:
    """CSV text with a header row; no cell can run as a spreadsheet formula (`common.csv_cells`)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for camera in cameras:
        row = camera_row(camera)
        writer.writerow(row[name] for name in EXPORT_COLUMNS)
    return buffer.getvalue()


def to_geojson(cameras: Iterable[Camera], *, extra: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A FeatureCollection of the cameras that have a point (others cannot be drawn)."""
    features = []
    for camera in cameras:
        if camera.longitude is None or camera.latitude is None:
            continue
        properties = camera_row(camera) | {"id": camera.id} | (extra or {}).get(camera.id, {})
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [camera.longitude, camera.latitude]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(cameras: Iterable[Camera]) -> str:
    """GeoJSON as text."""
    return json.dumps(to_geojson(cameras))
