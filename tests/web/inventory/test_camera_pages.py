"""The camera register's pages: the add and edit forms, moves and the camera page (the list: test_camera_list.py)."""

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyproj import Transformer
from sqlmodel import Session, func, select

from inventory.models import Camera, CameraMove, InventoryChange
from inventory.types import CameraKind, CameraStatus, ChangeKind

pytestmark = pytest.mark.usefixtures("quick_app")

LIST_ROW = re.compile(r'<td><a href="/cameras/\d+">([^<]+)</a></td>')


def listed(response) -> list[str]:
    """The asset ids on a camera list page, in order."""
    assert response.status_code == 200
    return LIST_ROW.findall(response.get_data(as_text=True))


def camera_count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Camera)).one()


def camera_by_asset(session: Session, asset_id: str) -> Camera | None:
    session.expire_all()
    return session.exec(select(Camera).where(Camera.asset_id == asset_id)).first()


@pytest.fixture
def supervisor(as_role) -> FlaskClient:
    return as_role("supervisor")


def new_camera_form(client: FlaskClient, form_view, **typed: str) -> dict[str, str]:
    """The add-camera form as a browser sends it after the user typed these fields."""
    return form_view(client.get("/cameras/new")).submission(**typed)


TYPED = {
    "asset_id": "CS-001", "name": "Paul's Row east", "kind": "public_space_ptz", "status": "planned",
    "location_text": "Paul's Row / Queen Square", "town": "High Wycombe", "ward": "Abbey",
    "longitude": "-0.7512", "latitude": "51.6289", "control_room": "Wycombe", "proactively_monitored": "y",
    "retention_days": "90", "manufacturer": "Axis", "model": "Q6075-E", "install_date": "2015-06-30",
    "owner": "Community Safety", "data_controller": "Buckinghamshire Council", "funding_source": "ncil",
    "notes": "Covers the taxi rank <and> the market",
}


# --- the add form ---------------------------------------------------------------------------------------------


def test_duplicate_asset_id_reshows_everything_typed_with_the_error_beside_it(
    supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    before = camera_count(app_session)
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **TYPED))
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("asset_id") == "asset id CS-001 is not available: choose another"
    for name in ("asset_id", "name", "location_text", "town", "ward", "longitude", "latitude", "control_room",
                 "retention_days", "manufacturer", "model", "install_date", "owner", "data_controller", "notes"):
        assert page.value(name) == TYPED[name], name
    assert page.choice("kind") == "public_space_ptz"
    assert page.choice("status") == "planned"
    assert page.choice("funding_source") == "ncil"
    assert page.value("proactively_monitored") == "y"  # still ticked
    assert page.error("name") == ""  # the error stands beside its own field only
    assert camera_count(app_session) == before


def test_longitude_without_latitude_is_refused_beside_latitude(
    supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    typed = TYPED | {"asset_id": "CS-100", "latitude": ""}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("latitude") == "Give both longitude and latitude."
    assert page.value("longitude") == "-0.7512"
    assert page.value("asset_id") == "CS-100"
    assert camera_by_asset(app_session, "CS-100") is None


def test_easting_outside_the_grid_is_refused_beside_easting(
    supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    typed = TYPED | {"asset_id": "CS-101", "longitude": "", "latitude": "", "easting": "800000", "northing": "192900"}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 400
    page = form_view(response)
    assert "outside the National Grid" in page.error("easting")
    assert page.value("easting") == "800000"
    assert page.value("northing") == "192900"
    assert camera_by_asset(app_session, "CS-101") is None


def test_text_in_a_number_field_is_kept_as_typed(supervisor: FlaskClient, form_view) -> None:
    typed = TYPED | {"asset_id": "CS-102", "longitude": "west of the church"}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 400
    page = form_view(response)
    assert page.value("longitude") == "west of the church"
    assert page.error("longitude")


def test_missing_name_is_refused_beside_name(supervisor: FlaskClient, form_view) -> None:
    typed = TYPED | {"asset_id": "CS-103", "name": ""}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 400
    assert form_view(response).error("name") == "This field is required."
    assert form_view(response).value("town") == "High Wycombe"


def test_good_camera_is_created_and_its_page_shows_it_with_its_history(
    supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    typed = TYPED | {"asset_id": "CS-200"}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 302
    camera = camera_by_asset(app_session, "CS-200")
    assert camera is not None
    assert response.headers["Location"] == f"/cameras/{camera.id}"
    assert (camera.name, camera.kind, camera.status) == ("Paul's Row east", CameraKind.PUBLIC_SPACE_PTZ,
                                                         CameraStatus.PLANNED)
    assert (camera.longitude, camera.latitude) == (-0.7512, 51.6289)
    assert camera.install_date == date(2015, 6, 30)
    assert camera.retention_days == 90 and camera.proactively_monitored
    assert camera.notes == TYPED["notes"]
    page = supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Camera CS-200 added." in page
    assert "Paul&#39;s Row east" in page
    history = page.split('id="history"', 1)[1]
    assert "<td>supervisor</td><td>create</td>" in history
    added = app_session.exec(select(InventoryChange).where(InventoryChange.camera_id == camera.id)).all()
    assert [c.kind for c in added] == [ChangeKind.CAMERA_ADDED]


def test_easting_and_northing_typed_are_stored_as_longitude_and_latitude(
    supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    typed = TYPED | {"asset_id": "CS-201", "longitude": "", "latitude": "", "easting": "486520",
                     "northing": "192880"}
    response = supervisor.post("/cameras/new", data=new_camera_form(supervisor, form_view, **typed))
    assert response.status_code == 302
    camera = camera_by_asset(app_session, "CS-201")
    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(486520, 192880)
    assert camera.longitude == pytest.approx(lon, abs=1e-6)
    assert camera.latitude == pytest.approx(lat, abs=1e-6)
    assert -0.77 < camera.longitude < -0.73 and 51.61 < camera.latitude < 51.64  # High Wycombe, not the sea
    page = supervisor.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert "E 486520 N 192880" in page


# --- the edit form --------------------------------------------------------------------------------------------


def _edit(client: FlaskClient, form_view, camera_id: int, **typed: str):
    data = form_view(client.get(f"/cameras/{camera_id}/edit")).submission(**typed)
    return client.post(f"/cameras/{camera_id}/edit", data=data)


def _changes(session: Session, camera_id: int) -> list[ChangeKind]:
    session.expire_all()
    stmt = select(InventoryChange.kind).where(InventoryChange.camera_id == camera_id)
    return list(session.exec(stmt))


def test_edit_form_shows_the_camera_as_stored(app: Flask, supervisor: FlaskClient, form_view) -> None:
    page = form_view(supervisor.get(f"/cameras/{app.config['TEST_ESTATE'].town_camera}/edit"))
    assert page.value("name") == "Frogmoor north"
    assert page.value("location_text") == "Frogmoor"
    assert float(page.value("longitude")) == -0.7493
    assert page.choice("kind") == "public_space_fixed"
    assert 486000 < float(page.value("easting")) < 487000  # the grid reference is shown too


def test_changing_location_records_a_camera_moved_change(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = _edit(supervisor, form_view, camera_id, location_text="Frogmoor fountain", longitude="-0.7489")
    assert response.status_code == 302
    assert ChangeKind.CAMERA_MOVED in _changes(app_session, camera_id)
    page = supervisor.get(f"/cameras/{camera_id}").get_data(as_text=True)
    assert "Saved: location_text, longitude." in page
    assert "<code>location_text</code>: Frogmoor → Frogmoor fountain" in page


def test_editing_only_the_name_records_no_move(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    assert _edit(supervisor, form_view, camera_id, name="Frogmoor north (dome)").status_code == 302
    assert _changes(app_session, camera_id) == []
    camera = app_session.get(Camera, camera_id)
    assert camera.name == "Frogmoor north (dome)"
    assert (camera.longitude, camera.latitude) == (-0.7493, 51.6295)


def test_saving_an_unchanged_form_changes_nothing(app: Flask, supervisor: FlaskClient, form_view) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = _edit(supervisor, form_view, camera_id)
    assert response.status_code == 302
    assert "Nothing changed." in supervisor.get(response.headers["Location"]).get_data(as_text=True)


def test_asset_id_cannot_be_changed_by_posting_another(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = _edit(supervisor, form_view, camera_id, asset_id="HACKED-1", name="Renamed")
    assert response.status_code == 302
    camera = app_session.get(Camera, camera_id)
    app_session.refresh(camera)
    assert camera.asset_id == "CS-001"
    assert camera.name == "Renamed"
    assert camera_by_asset(app_session, "HACKED-1") is None


def test_editing_the_grid_reference_moves_the_camera(
    app: Flask, supervisor: FlaskClient, form_view, app_session: Session
) -> None:
    """The edit form shows both pairs; a user who corrects the easting/northing expects the camera to move."""
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = _edit(supervisor, form_view, camera_id, easting="486900", northing="193100")
    assert response.status_code == 302
    camera = app_session.get(Camera, camera_id)
    app_session.refresh(camera)
    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(486900, 193100)
    assert camera.longitude == pytest.approx(lon, abs=1e-6)
    assert camera.latitude == pytest.approx(lat, abs=1e-6)
    assert ChangeKind.CAMERA_MOVED in _changes(app_session, camera_id)


def test_edit_error_keeps_what_was_typed(app: Flask, supervisor: FlaskClient, form_view) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = _edit(supervisor, form_view, camera_id, name="", town="Marlow", retention_days="5000")
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("name") == "This field is required."
    assert page.error("retention_days")
    assert page.value("town") == "Marlow"
    assert page.value("retention_days") == "5000"


# --- moves ----------------------------------------------------------------------------------------------------


@pytest.fixture
def deployable(app: Flask, app_session: Session) -> int:
    area = app.config["TEST_ESTATE"].community_safety
    camera = Camera(asset_id="CS-DEP-1", name="Redeployable 1", service_area_id=area,
                    kind=CameraKind.DEPLOYABLE, location_text="Desborough Road", town="High Wycombe",
                    longitude=-0.7620, latitude=51.6310)
    app_session.add(camera)
    app_session.commit()
    return camera.id


def test_moving_a_deployable_shows_on_its_page_and_in_the_list(
    supervisor: FlaskClient, form_view, deployable: int, app_session: Session
) -> None:
    form = form_view(supervisor.get(f"/cameras/{deployable}/move"))
    assert form.value("to_town") == "High Wycombe"  # starts from where it is
    data = form.submission(to_location_text="Kingsbury Square", to_town="Aylesbury", longitude="-0.8135",
                           latitude="51.8168", reason="Night-time economy hotspot")
    response = supervisor.post(f"/cameras/{deployable}/move", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/cameras/{deployable}"
    page = supervisor.get(f"/cameras/{deployable}").get_data(as_text=True)
    moves = page.split('id="moves"', 1)[1].split("</table>", 1)[0]
    assert "<td>Desborough Road</td><td>Kingsbury Square (Aylesbury)</td>" in moves
    assert "Night-time economy hotspot" in moves and "<td>supervisor</td>" in moves
    assert "CS-DEP-1" in listed(supervisor.get("/cameras", query_string={"town": "Aylesbury"}))
    assert "CS-DEP-1" not in listed(supervisor.get("/cameras", query_string={"town": "High Wycombe"}))
    camera = app_session.get(Camera, deployable)
    app_session.refresh(camera)
    assert (camera.location_text, camera.longitude, camera.latitude) == ("Kingsbury Square", -0.8135, 51.8168)
    assert app_session.exec(select(func.count()).select_from(CameraMove)).one() == 1
    assert ChangeKind.CAMERA_MOVED in _changes(app_session, deployable)


def test_move_without_a_reason_is_refused_and_keeps_what_was_typed(
    supervisor: FlaskClient, form_view, deployable: int, app_session: Session
) -> None:
    data = form_view(supervisor.get(f"/cameras/{deployable}/move")).submission(
        to_location_text="Kingsbury Square", easting="482000", northing="213800", reason="")
    response = supervisor.post(f"/cameras/{deployable}/move", data=data)
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("reason") == "This field is required."
    assert page.value("to_location_text") == "Kingsbury Square"
    assert page.value("easting") == "482000"
    assert app_session.exec(select(func.count()).select_from(CameraMove)).one() == 0


# --- the list -------------------------------------------------------------------------------------------------


def test_camera_page_shows_the_camera(app: Flask, as_role) -> None:
    html = as_role("operator").get(f"/cameras/{app.config['TEST_ESTATE'].town_camera}").get_data(as_text=True)
    assert "CS-001" in html and "Frogmoor north" in html and "Community Safety" in html
    assert "Past end of life" in html  # installed 2012
    assert "51.629500, -0.749300" in html


def test_history_is_shown_to_supervisors_but_not_operators(
    app: Flask, as_role, form_view, client: FlaskClient
) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    supervisor = as_role("supervisor")
    _edit(supervisor, form_view, camera_id, model="P3245-LVE")
    assert 'id="history"' in supervisor.get(f"/cameras/{camera_id}").get_data(as_text=True)
    supervisor.post("/logout")
    operator = as_role("operator")
    html = operator.get(f"/cameras/{camera_id}").get_data(as_text=True)
    assert 'id="history"' not in html
    assert "P3245-LVE" in html  # the camera itself is shown
