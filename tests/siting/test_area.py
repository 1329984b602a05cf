"""The area filter: bounding boxes and boundary GeoJSON, tested on numpy arrays."""

import json
from pathlib import Path

import numpy as np
import pytest

from siting.geometry import to_wgs84
from siting.sources.area import AreaError, AreaFilter


def test_a_lonlat_bounding_box_is_inclusive_and_nan_is_outside() -> None:
    area = AreaFilter.from_bbox(-1.0, 51.5, -0.5, 51.8)
    lon = np.array([-0.75, -1.0, -0.5, -1.01, -0.2, np.nan])
    lat = np.array([51.6, 51.5, 51.8, 51.6, 51.6, 51.6])
    assert area.contains(lon, lat).tolist() == [True, True, True, False, False, False]


def test_a_national_grid_box_tests_lonlat_and_metres() -> None:
    area = AreaFilter.from_bbox(486_000, 192_000, 487_000, 193_000, crs="bng")
    assert area.area_m2 == pytest.approx(1_000_000)
    assert area.contains_bng([486_500, 487_000, 487_001], [192_500, 193_000, 192_500]).tolist() == [True, True, False]
    lon, lat = to_wgs84([486_500, 488_000], [192_500, 192_500])
    assert area.contains(lon, lat).tolist() == [True, False]


def test_a_lonlat_box_has_its_area_in_square_metres() -> None:
    area = AreaFilter.from_bbox(-0.8, 51.6, -0.7, 51.7)
    # 0.1° of longitude at 51.65° is about 6.9 km, 0.1° of latitude about 11.1 km.
    assert area.area_m2 == pytest.approx(6.92e3 * 11.13e3, rel=0.01)
    assert area.bounds_bng[0] < area.bounds_bng[2]


def test_a_boundary_feature_collection_with_a_multipolygon(tmp_path: Path) -> None:
    square = [[-0.8, 51.6], [-0.7, 51.6], [-0.7, 51.7], [-0.8, 51.7], [-0.8, 51.6]]
    island = [[[-0.5, 51.6], [-0.4, 51.6], [-0.4, 51.7], [-0.5, 51.6]]]
    data = {"type": "FeatureCollection", "name": "Wycombe", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [island]}},
        {"type": "Feature", "properties": {}, "geometry": None},
    ]}
    path = tmp_path / "boundary.geojson"
    path.write_text(json.dumps(data))
    for source in (data, json.dumps(data), path, str(path)):
        area = AreaFilter.from_geojson(source)
        assert area.name == "Wycombe"
        assert area.contains([-0.75, -0.41, -0.49, -0.6], [51.65, 51.61, 51.69, 51.65]).tolist() == [
            True, True, False, False]


def test_geojson_in_national_grid_is_recognised() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[486_000, 192_000], [487_000, 192_000], [487_000, 193_000],
                                                   [486_000, 192_000]]]}
    declared = {"type": "Feature", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                "geometry": polygon, "properties": {}}
    for source in (polygon, declared):
        area = AreaFilter.from_geojson(source)
        assert area.crs == "EPSG:27700"
        assert area.contains_bng([486_900, 486_100], [192_100, 192_900]).tolist() == [True, False]
        assert area.area_m2 == pytest.approx(500_000)


def test_what_is_not_an_area_is_refused() -> None:
    with pytest.raises(AreaError, match="not an area"):
        AreaFilter.from_geojson({"type": "Point", "coordinates": [0, 51]})
    with pytest.raises(AreaError, match="no polygon"):
        AreaFilter.from_geojson({"type": "FeatureCollection", "features": []})
    with pytest.raises(AreaError, match="empty"):
        AreaFilter.from_bbox(0, 0, 0, 1)
    with pytest.raises(AreaError, match="unknown coordinate system"):
        AreaFilter.from_bbox(0, 0, 1, 1, crs="utm")
    with pytest.raises(AreaError, match="not GeoJSON"):
        AreaFilter.from_geojson("{not json")
