"""The map page and the CSV/GeoJSON exports: filtered like the list, Leaflet shipped with the app."""

import csv
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyproj import Transformer
from sqlmodel import Session

from inventory.exporting import EXPORT_COLUMNS
from inventory.models import Camera
from inventory.types import CameraKind

pytestmark = pytest.mark.usefixtures("quick_app")


@pytest.fixture
def operator(as_role) -> FlaskClient:
    return as_role("operator")


@pytest.fixture
def pointless(app: Flask, app_session: Session) -> None:
    """A camera with no recorded point: listed and exported as CSV, but it cannot be drawn."""
    app_session.add(Camera(asset_id="CS-NOPT", name="Somewhere in Marlow", town="Marlow",
                           service_area_id=app.config["TEST_ESTATE"].community_safety, kind=CameraKind.BUILDING))
    app_session.commit()


def test_map_page_uses_the_shipped_leaflet_and_the_configured_tiles(app: Flask, operator: FlaskClient) -> None:
    html = operator.get("/map").get_data(as_text=True)
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/leaflet/leaflet.js" in scripts and "/static/leaflet/leaflet.css" in scripts
    assert all(s.startswith("/") for s in scripts), scripts  # nothing from a CDN
    assert 'data-tiles=""' in html  # the test config has no tile server: cameras are still drawn
    assert operator.get("/static/leaflet/leaflet.js").status_code == 200
    assert operator.get("/static/map.js").status_code == 200
    app.config["MAP_TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in operator.get("/map").get_data(as_text=True)


def test_map_asks_for_the_cameras_matching_its_filters(operator: FlaskClient) -> None:
    html = operator.get("/map?kind=car_park&town=Aylesbury").get_data(as_text=True)
    source = re.search(r'data-geojson="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert source.startswith("/cameras.geojson?")
    assert "kind=car_park" in source and "town=Aylesbury" in source
    features = operator.get(source).get_json()["features"]
    assert [f["properties"]["asset_id"] for f in features] == ["PARK-001"]


def test_geojson_has_a_point_and_properties_per_camera(app: Flask, operator: FlaskClient, pointless: None) -> None:
    response = operator.get("/cameras.geojson")
    assert response.mimetype == "application/geo+json"
    doc = response.get_json()
    assert doc["type"] == "FeatureCollection"
    by_asset = {f["properties"]["asset_id"]: f for f in doc["features"]}
    assert set(by_asset) == {"CS-001", "PARK-001"}  # no point, nothing to draw; no covert for an operator
    town = by_asset["CS-001"]
    assert town["geometry"] == {"type": "Point", "coordinates": [-0.7493, 51.6295]}
    props = town["properties"]
    assert props["id"] == app.config["TEST_ESTATE"].town_camera
    assert (props["service_area"], props["kind"], props["status"]) == ("Community Safety", "public_space_fixed",
                                                                        "operational")
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(-0.7493, 51.6295)
    assert props["easting"] == pytest.approx(easting, abs=0.1)
    assert props["northing"] == pytest.approx(northing, abs=0.1)


def test_csv_export_has_every_column_and_follows_the_filters(operator: FlaskClient, pointless: None) -> None:
    response = operator.get("/cameras.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    rows = list(reader)
    assert tuple(reader.fieldnames) == EXPORT_COLUMNS
    assert [r["asset_id"] for r in rows] == ["CS-001", "CS-NOPT", "PARK-001"]
    first = rows[0]
    assert (first["service_area"], first["install_date"], first["longitude"]) == ("Community Safety", "2012-05-01",
                                                                                   "-0.7493")
    assert rows[1]["easting"] == "" and rows[1]["longitude"] == ""
    filtered = operator.get("/cameras.csv?town=Marlow").get_data(as_text=True)
    assert [r["asset_id"] for r in csv.DictReader(io.StringIO(filtered))] == ["CS-NOPT"]
    eol = operator.get("/cameras.csv?eol=yes").get_data(as_text=True)
    assert [r["asset_id"] for r in csv.DictReader(io.StringIO(eol))] == ["CS-001"]


def test_list_links_to_map_and_exports_with_the_same_filters(operator: FlaskClient) -> None:
    html = operator.get("/cameras?kind=car_park&q=exchange").get_data(as_text=True).replace("&amp;", "&")
    for target in ("/map?", "/cameras.csv?", "/cameras.geojson?"):
        link = re.search(rf'href="({re.escape(target)}[^"]*)"', html).group(1)
        assert "kind=car_park" in link and "q=exchange" in link, link
