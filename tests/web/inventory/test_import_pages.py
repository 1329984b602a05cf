"""Importing a council's camera list through the pages: upload, map the columns, preview every problem, commit."""

import io
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyproj import Transformer
from sqlmodel import Session, func, select

from inventory.models import Camera
from inventory.types import CameraKind

pytestmark = pytest.mark.usefixtures("quick_app")

HEADER = "Camera ID,Location,Ward,Easting,Northing,Notes"

BAD_CSV = "\n".join([
    HEADER,
    "WY-101,High Street,Abbey,486500,192900,town centre",  # line 2: good
    ",Oxford Road,Abbey,486600,192950,town centre",  # 3: no asset id
    "WY-103,Castle Street,Abbey,abc,192950,town centre",  # 4: easting not a number
    "WY-104,Frogmoor,Abbey,486500,,town centre",  # 5: easting without northing
    "WY-105,Queen Victoria Road,Abbey,486500,192900,town centre,extra",  # 6: a cell too many
    'WY-106,"Paul\'s Row,',  # 7-8: a quoted location over two lines (good)
    'by the Guildhall",Abbey,486550,192850,town centre',
    "WY-101,Duplicate,Abbey,486500,192900,town centre",  # 9: repeats line 2
    "CS-001,Frogmoor again,Abbey,486500,192900,town centre",  # 10: already in the register
    "WY-111,Out at sea,Abbey,900000,192900,town centre",  # 11: outside the National Grid
    "WY-112,Somewhere,Abbey,486500,192900,a mystery",  # 12: no kind and no default
    "",
])
BAD_LINES = {3: "no asset id", 4: "easting 'abc' is not a number", 5: "easting and northing must both be given",
             6: "7 cells but the header names 6 columns", 9: "asset id WY-101 repeats line 2",
             10: "asset id CS-001 is not available: choose another", 11: "outside the National Grid", 12: "no kind"}

GOOD_CSV = "\r\n".join([
    HEADER,
    "WY-201,High Street / Church Square,Abbey,486520,192880,Town centre camera",
    "WY-202,Marlow Hill,Abbey,486400,192300,Traffic camera (Highways)",
    "WY-203,Oxford Road,Oakridge,485800,192700,",
    "",
])


@pytest.fixture
def uploads(app: Flask, tmp_path: Path) -> Path:
    """Uploads go under the instance folder: use a temporary one."""
    app.instance_path = str(tmp_path / "instance")
    Path(app.instance_path).mkdir()
    return Path(app.instance_path) / "imports"


@pytest.fixture
def supervisor(as_role, uploads: Path) -> FlaskClient:
    return as_role("supervisor")


def upload(client: FlaskClient, content: bytes | str, filename: str):
    data = content.encode("utf-8-sig") if isinstance(content, str) else content
    return client.post("/cameras/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def review_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    assert re.fullmatch(r"/cameras/import/[0-9a-f]+", response.headers["Location"])
    return response.headers["Location"]


def count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Camera)).one()


def submit(client: FlaskClient, url: str, form_view, action: str, **choices: str):
    data = form_view(client.get(url)).submission(action=action, **choices)
    return client.post(url, data=data)


def test_malformed_file_lists_every_bad_row_and_commits_nothing(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    url = review_url(upload(supervisor, BAD_CSV, "council-cameras.csv"))
    page = form_view(supervisor.get(url))
    assert page.choice("map_asset_id") == "Camera ID"  # the council's headers are recognised
    assert page.choice("map_easting") == "Easting" and page.choice("map_location_text") == "Location"
    area = str(app.config["TEST_ESTATE"].community_safety)
    before = count(app_session)
    response = submit(supervisor, url, form_view, "preview", default_service_area=area)
    html = response.get_data(as_text=True)
    assert "nothing will be imported" in html
    errors = html.split('id="import-errors">', 1)[1].split("</pre>", 1)[0].replace("&#39;", "'").splitlines()
    assert len(errors) == len(BAD_LINES)
    for line, reason in BAD_LINES.items():
        assert any(e.startswith(f"council-cameras.csv, line {line}: ") and reason in e for e in errors), (line, errors)
    assert not any(", line 2:" in e or ", line 7:" in e for e in errors)
    assert "Import " not in html.split('id="import-errors"', 1)[1]  # no commit button
    response = submit(supervisor, url, form_view, "commit", default_service_area=area)  # forced anyway
    assert response.status_code == 200
    assert count(app_session) == before
    assert app_session.exec(select(Camera).where(Camera.asset_id == "WY-101")).first() is None


def test_good_council_list_previews_then_commits(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session, uploads: Path
) -> None:
    url = review_url(upload(supervisor, GOOD_CSV, "wycombe.csv"))
    assert "3 rows" in supervisor.get(url).get_data(as_text=True)
    area = str(app.config["TEST_ESTATE"].community_safety)
    before = count(app_session)
    preview = submit(supervisor, url, form_view, "preview", default_service_area=area,
                     default_kind="public_space_fixed")
    html = preview.get_data(as_text=True)
    assert "Ready: 3 cameras" in html and 'value="commit"' in html
    assert "<td>line 3</td><td>WY-202</td><td>Marlow Hill</td><td>Traffic management</td>" in html
    assert count(app_session) == before  # a preview saves nothing
    response = submit(supervisor, url, form_view, "commit", default_service_area=area,
                      default_kind="public_space_fixed")
    assert response.status_code == 302 and response.headers["Location"] == "/cameras"
    assert "Imported 3 cameras from wycombe.csv." in supervisor.get("/cameras").get_data(as_text=True)
    assert count(app_session) == before + 3
    cameras = {c.asset_id: c for c in app_session.exec(select(Camera).where(Camera.asset_id.startswith("WY-")))}
    assert cameras["WY-202"].kind == CameraKind.TRAFFIC  # from the notes
    assert cameras["WY-203"].kind == CameraKind.PUBLIC_SPACE_FIXED  # the default
    assert (cameras["WY-201"].location_text, cameras["WY-201"].ward) == ("High Street / Church Square", "Abbey")
    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(486520, 192880)
    assert cameras["WY-201"].longitude == pytest.approx(lon, abs=1e-6)
    assert cameras["WY-201"].latitude == pytest.approx(lat, abs=1e-6)
    assert all(c.service_area_id == int(area) for c in cameras.values())
    assert supervisor.get(url).status_code == 404  # the upload is gone once imported
    assert list(uploads.iterdir()) == []


def test_geojson_list_imports_with_its_points(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.8125, 51.8165]},
         "properties": {"camera_id": "AY-1", "site": "Market Square", "type": "PTZ"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.8101, 51.8170]},
         "properties": {"camera_id": "AY-2", "site": "Kingsbury", "type": "ANPR"}},
    ]}
    url = review_url(upload(supervisor, json.dumps(doc), "aylesbury.geojson"))
    area = str(app.config["TEST_ESTATE"].community_safety)
    assert submit(supervisor, url, form_view, "commit", default_service_area=area).status_code == 302
    camera = app_session.exec(select(Camera).where(Camera.asset_id == "AY-1")).one()
    assert (camera.longitude, camera.latitude, camera.kind) == (-0.8125, 51.8165, CameraKind.PUBLIC_SPACE_PTZ)


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("cameras.xlsx", b"PK\x03\x04 not really a spreadsheet", "A .csv, .geojson or .json file, please."),
    ("cameras.csv", b"\x89PNG\r\n\x1a\n\x00\x81\x8d\x8f\x90\x9d", "not a text file"),
    ("cameras.csv", b"", "the first line must name the columns"),
    ("cameras.geojson", b'{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
])
def test_a_file_that_is_not_a_camera_list_is_refused_beside_the_field(
    supervisor: FlaskClient, form_view, uploads: Path, filename: str, content: bytes, message: str
) -> None:
    response = upload(supervisor, content, filename)
    assert response.status_code == 400
    assert message in form_view(response).error("file")
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_upload_without_a_file_is_refused(supervisor: FlaskClient, form_view) -> None:
    response = supervisor.post("/cameras/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert form_view(response).error("file") == "This field is required."


def test_another_user_cannot_open_someone_elses_upload(
    app: Flask, client: FlaskClient, form_view, uploads: Path, app_session: Session
) -> None:
    from tests.conftest import login

    login(client, "supervisor")
    url = review_url(upload(client, GOOD_CSV, "wycombe.csv"))
    data = form_view(client.get(url)).submission(
        action="commit", default_service_area=str(app.config["TEST_ESTATE"].community_safety),
        default_kind="public_space_fixed")
    client.post("/logout")
    login(client, "admin")
    before = count(app_session)
    assert client.get(url).status_code == 404
    data["csrf_token"] = form_view(client.get("/cameras/import")).value("csrf_token")
    assert client.post(url, data=data).status_code == 404
    assert count(app_session) == before
    assert client.get("/cameras/import/../../etc").status_code == 404
    assert client.get("/cameras/import/nosuchupload").status_code == 404
