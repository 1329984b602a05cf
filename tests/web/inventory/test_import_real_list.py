"""A real council's list through the import pages: Trafford's published cameras (a cut of 12, see
tests/cli/test_first_import.py), its headers matched, sample values beside each, the list's words mapped to ours."""

import html
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import Camera, InventoryChange
from inventory.types import CameraStatus, ChangeKind
from tests.web.inventory.test_import_pages import count, review_url, submit, upload

pytestmark = pytest.mark.usefixtures("quick_app")

FIXTURES = Path(__file__).parents[2] / "fixtures"


@pytest.fixture
def supervisor(as_role, app: Flask, tmp_path: Path) -> FlaskClient:
    app.instance_path = str(tmp_path / "instance")
    Path(app.instance_path).mkdir()
    return as_role("supervisor")


def test_the_trafford_list_maps_itself_and_imports(app: Flask, supervisor: FlaskClient, form_view,
                                                   app_session: Session) -> None:
    content = (FIXTURES / "trafford_cctv_cameras_cut.geojson").read_bytes()
    url = review_url(upload(supervisor, content, "trafford_cctv_cameras.geojson"))
    page = supervisor.get(url)
    view = form_view(page)
    assert (view.choice("map_asset_id"), view.choice("map_location_text"), view.choice("map_ward")) == (
        "camera_id", "location", "area_name")
    assert (view.choice("map_longitude"), view.choice("map_latitude")) == ("longitude", "latitude")
    text = html.unescape(page.get_data(as_text=True))
    # The first different values of each mapped column, beside it.
    assert "<td class=\"samples\">1001 · 1002 · 1003</td>" in text
    assert "Trafford Wharf Road · Trafford Wharf Road/Wharfside tram stop · Wharfside Way/Sir Matt Busby Way" in text
    assert "Gorse Hill & Cornbrook · Longford" in text
    area = str(app.config["TEST_ESTATE"].community_safety)
    before = count(app_session)
    preview = submit(supervisor, url, form_view, "preview", default_service_area=area,
                     default_kind="public_space_fixed", data_controller="Trafford Council")
    assert "Ready: 12 cameras" in preview.get_data(as_text=True)
    response = submit(supervisor, url, form_view, "commit", default_service_area=area,
                      default_kind="public_space_fixed", data_controller="Trafford Council")
    assert response.status_code == 302
    assert count(app_session) == before + 12
    quadrant = app_session.exec(select(Camera).where(Camera.asset_id == "1009")).one()
    assert (quadrant.ward, quadrant.longitude, quadrant.latitude, quadrant.data_controller) == (
        "Longford", -2.286269, 53.452648, "Trafford Council")
    added = app_session.exec(select(InventoryChange).where(InventoryChange.camera_id == quadrant.id)).all()
    assert [c.kind for c in added] == [ChangeKind.CAMERA_ADDED]


STATUS_CSV = "Camera No,Site,Lat,Lng,Status\nLD-1,Bridge Street,51.63,-0.75,Live\nLD-2,Mill Lane,51.64,-0.76,Dead\n"


def test_the_lists_words_are_mapped_on_the_page(app: Flask, supervisor: FlaskClient, form_view,
                                                app_session: Session) -> None:
    url = review_url(upload(supervisor, STATUS_CSV, "status.csv"))
    page = supervisor.get(url).get_data(as_text=True)
    assert "Values in the status column: Live, Dead" in page
    area = str(app.config["TEST_ESTATE"].community_safety)
    refused = submit(supervisor, url, form_view, "preview", default_service_area=area, default_kind="car_park")
    assert "status:Live=faulty" in html.unescape(refused.get_data(as_text=True))  # the hint names the syntax
    bad = submit(supervisor, url, form_view, "preview", default_service_area=area, default_kind="car_park",
                 values="Live means working")
    view = form_view(bad)
    assert "use FIELD:VALUE=OURS" in html.unescape(bad.get_data(as_text=True))
    assert view.value("values") == "Live means working"  # re-shown as typed
    words = "status:Live=operational\nstatus:Dead=faulty"
    response = submit(supervisor, url, form_view, "commit", default_service_area=area, default_kind="car_park",
                      values=words)
    assert response.status_code == 302
    found = {c.asset_id: c.status for c in app_session.exec(select(Camera).where(Camera.asset_id.startswith("LD-")))}
    assert found == {"LD-1": CameraStatus.OPERATIONAL, "LD-2": CameraStatus.FAULTY}
