"""Wards imported once: named from the file's properties, National Grid files turned into longitude/latitude, a
feature without a name refused by its number, and the map's context drawing them when no wards file is configured
(a configured file still wins)."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from siting.context import context_layers
from siting.sources.area import AreaError
from siting.store.wards import read_wards, set_wards, stored_wards

TRAFFORD_WARDS = Path(__file__).parents[2] / "../shared/data/trafford-cctv-cameras/trafford_wards_2023.geojson"


def _ward(props: dict, ring: list[list[float]]) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _square(lon: float, lat: float, size: float = 0.01) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def _collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_names_come_from_the_usual_properties_or_the_one_named() -> None:
    text = _collection(_ward({"WD23CD": "E05000001", "WD23NM": "Abbey"}, _square(-0.75, 51.62)),
                       _ward({"area_name": "Booker", "area_code": "E05000002"}, _square(-0.78, 51.61)),
                       {"type": "Feature", "properties": {"name": "a point"},
                        "geometry": {"type": "Point", "coordinates": [-0.7, 51.6]}})
    assert [name for name, _ in read_wards(text)] == ["Abbey", "Booker"]  # the point is no ward
    with pytest.raises(AreaError, match="feature 1 has no ward name in its 'area_code' property"):
        read_wards(text, "area_code")


def test_a_ward_without_a_name_is_refused_by_its_number() -> None:
    text = _collection(_ward({"name": "Abbey"}, _square(-0.75, 51.62)), _ward({"code": "X"}, _square(-0.7, 51.6)))
    with pytest.raises(AreaError, match="feature 2 has no ward name"):
        read_wards(text)
    with pytest.raises(AreaError, match="no ward polygon"):
        read_wards(_collection())
    with pytest.raises(AreaError, match="not GeoJSON"):
        read_wards("{not json")


def test_national_grid_wards_are_stored_in_longitude_and_latitude() -> None:
    # The grid's true origin, 400000 E -100000 N, is 49°N 2°W by definition (OSGB36; WGS84 is within ~120 m)
    ring = [[399500, -100500], [400500, -100500], [400500, -99500], [399500, -99500], [399500, -100500]]
    [(name, geometry)] = read_wards(_collection(_ward({"name": "Abbey"}, ring)))
    point = geometry.centroid
    assert name == "Abbey"
    assert point.x == pytest.approx(-2.0, abs=0.003) and point.y == pytest.approx(49.0, abs=0.003)


def test_stored_wards_are_the_maps_wards_unless_a_file_is_configured(session: Session, tmp_path: Path) -> None:
    set_wards(session, _collection(_ward({"name": "Old"}, _square(-0.7, 51.6))), actor="t")
    set_wards(session, _collection(_ward({"name": "Abbey"}, _square(-0.75, 51.62)),
                                   _ward({"name": "Booker"}, _square(-0.78, 51.61))), actor="t")
    session.commit()
    assert [w.name for w in stored_wards(session)] == ["Abbey", "Booker"]  # importing again replaced the old
    wards = [f for f in context_layers(session, [])["features"] if f["properties"]["layer"] == "ward"]
    assert [f["properties"]["label"] for f in wards] == ["Abbey", "Booker"]
    assert wards[0]["geometry"]["type"] == "Polygon"
    configured = tmp_path / "wards.geojson"
    configured.write_text(_collection(_ward({"name": "From the file"}, _square(-0.75, 51.62))))
    wards = [f for f in context_layers(session, [], wards_file=str(configured))["features"]
             if f["properties"]["layer"] == "ward"]
    assert [f["properties"]["label"] for f in wards] == ["From the file"]


@pytest.mark.skipif(not TRAFFORD_WARDS.exists(), reason="the shared real data is not mounted")
def test_trafford_wards_as_published(session: Session) -> None:
    rows = set_wards(session, TRAFFORD_WARDS.read_bytes(), actor="t")
    assert len(rows) == 21 and "Gorse Hill & Cornbrook" in {r.name for r in rows}
