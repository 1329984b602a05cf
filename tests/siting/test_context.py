"""The map's context layers from the app's own data: a configured boundary and wards file outlined and labelled,
towns and wards labelled at the centre of their cameras, and police.uk streets labelled by how many crimes were
snapped to them."""

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session

from siting.context import context_layers, outline_layer, place_labels, street_labels
from siting.store.tables import Crime, CrimeImport


def _square(name: str, lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_towns_and_wards_are_labelled_at_the_centre_of_their_cameras() -> None:
    labels = place_labels([("High Wycombe", "Abbey", -0.75, 51.62), ("High Wycombe", "Abbey", -0.73, 51.64),
                           ("Aylesbury", "", -0.81, 51.81), ("Nowhere", "", None, None)])
    found = {(f["properties"]["layer"], f["properties"]["label"]): f for f in labels}
    assert set(found) == {("town", "High Wycombe"), ("ward", "Abbey"), ("town", "Aylesbury")}
    lon, lat = found[("town", "High Wycombe")]["geometry"]["coordinates"]
    assert (round(lon, 6), round(lat, 6)) == (-0.74, 51.63)
    assert found[("town", "High Wycombe")]["properties"]["weight"] == 2


def test_streets_are_labelled_most_crimes_first_without_police_uk_wording(session: Session) -> None:
    batch = CrimeImport()
    session.add(batch)
    session.flush()
    spots = [("On or near Frogmoor", -0.750, 51.630)] * 3 + [("On or near Oxford Road", -0.760, 51.628)] \
        + [("", -0.7, 51.6), ("On or near Nowhere", None, None)]
    for i, (where, lon, lat) in enumerate(spots):
        session.add(Crime(dedup_key=f"k{i}", month=date(2025, 3, 1), category="burglary", longitude=lon,
                          latitude=lat, location=where, import_id=batch.id))
    session.commit()
    streets = street_labels(session)
    assert [(f["properties"]["label"], f["properties"]["weight"]) for f in streets] == [("Frogmoor", 3),
                                                                                       ("Oxford Road", 1)]
    assert [f["properties"]["label"] for f in street_labels(session, limit=1)] == ["Frogmoor"]


def test_a_boundary_and_wards_file_are_outlined_and_a_missing_file_is_no_layer(session: Session,
                                                                             tmp_path: Path) -> None:
    boundary = tmp_path / "council.geojson"
    boundary.write_text(json.dumps({"type": "FeatureCollection",
                                    "features": [_square("Buckinghamshire", -1.0, 51.5, 0.5)]}))
    wards = tmp_path / "wards.geojson"
    wards.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _square("Abbey", -0.8, 51.6, 0.05), _square("Totteridge", -0.75, 51.6, 0.05)]}))
    layers = context_layers(session, [], boundary_file=str(boundary), wards_file=str(wards))
    outlines = [(f["properties"]["layer"], f["properties"]["label"]) for f in layers["features"]]
    assert outlines == [("boundary", "Buckinghamshire"), ("ward", "Abbey"), ("ward", "Totteridge")]
    lon, lat = layers["features"][1]["properties"]["label_at"]
    assert -0.8 < lon < -0.75 and 51.6 < lat < 51.65  # Abbey's label inside Abbey
    assert outline_layer(str(tmp_path / "missing.geojson"), "boundary") == []
    (tmp_path / "broken.geojson").write_text("{not json")
    assert outline_layer(str(tmp_path / "broken.geojson"), "boundary") == []


def test_without_a_boundary_file_the_councils_siting_area_is_the_boundary(session: Session, tmp_path: Path) -> None:
    from siting.store.council_area import set_council_area

    assert [f for f in context_layers(session, [])["features"] if f["properties"]["layer"] == "boundary"] == []
    ring = [[-0.80, 51.60], [-0.70, 51.60], [-0.70, 51.65], [-0.80, 51.65], [-0.80, 51.60]]
    set_council_area(session, json.dumps({"type": "Polygon", "coordinates": [ring]}), name="Wycombe", actor="t")
    (outline,) = [f for f in context_layers(session, [])["features"] if f["properties"]["layer"] == "boundary"]
    assert outline["properties"]["label"] == "Wycombe" and outline["geometry"]["type"] == "Polygon"
    west, _, east, _ = shape_bounds(outline["geometry"])
    assert (round(west, 4), round(east, 4)) == (-0.8, -0.7)  # longitude/latitude, as drawn
    boundary = tmp_path / "file.geojson"  # a configured file wins
    boundary.write_text(json.dumps({"type": "Feature", "properties": {"name": "From file"},
                                    "geometry": {"type": "Polygon", "coordinates": [ring]}}))
    (outline,) = [f for f in context_layers(session, [], boundary_file=str(boundary))["features"]
                  if f["properties"]["layer"] == "boundary"]
    assert outline["properties"]["label"] == "From file"


def shape_bounds(geometry: dict) -> tuple[float, float, float, float]:
    from shapely.geometry import shape

    return shape(geometry).bounds
