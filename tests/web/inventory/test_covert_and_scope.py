"""Covert cameras exist only for those with covert access; a service manager sees and changes only their areas."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Camera, CameraSystem, Fault, Funding
from inventory.types import CameraKind, FundingSource

pytestmark = pytest.mark.usefixtures("quick_app")

NO_COVERT = ["operator", "planner", "advisory", "dpo", "service_manager"]
WITH_COVERT = ["supervisor", "admin"]
COVERT_MARKS = ("PARK-COV-1", "Fly-tipping hide", "Lay-by, A413", "Wendover")


@pytest.fixture
def arranged(app: Flask, app_session: Session) -> dict[str, int]:
    """A fault on the covert camera, a system that includes it and funding that paid for it."""
    estate = app.config["TEST_ESTATE"]
    system = CameraSystem(name="Parking enforcement", service_area_id=estate.parking)
    app_session.add(system)
    app_session.flush()
    for camera_id in (estate.covert_camera, estate.car_park_camera):
        camera = app_session.get(Camera, camera_id)
        camera.system_id = system.id
        app_session.add(camera)
    now = datetime.now(UTC)
    fault = Fault(camera_id=estate.covert_camera, description="Battery flat in the hide", opened_at=now,
                  target_fix_by=now + timedelta(hours=24))
    award = Funding(reference="NCIL-2024-07", source=FundingSource.NCIL, amount=Decimal("18500.00"),
                    awarded_on=date(2024, 7, 1), description="Enforcement cameras")
    award.cameras = [app_session.get(Camera, estate.covert_camera), app_session.get(Camera, estate.car_park_camera)]
    app_session.add_all([fault, award])
    app_session.commit()
    return {"system": system.id, "fault": fault.id}


def _leaks(app: Flask, client: FlaskClient, token: str, arranged: dict[str, int]) -> list[str]:
    """Every place the covert camera shows itself to this client (empty when it stays hidden)."""
    covert = app.config["TEST_ESTATE"].covert_camera
    bearer = {"Authorization": f"Bearer {token}"}
    leaks = []

    def text_of(url: str, **kwargs) -> str:
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    for url in ("/cameras", "/cameras?kind=covert", "/map", "/cameras.csv",
                "/cameras.geojson", "/faults?show=all", "/systems"):
        if any(mark in text_of(url) for mark in COVERT_MARKS):
            leaks.append(url)
    if "covert" in text_of("/cameras").split('name="kind"', 1)[1].split("</select>", 1)[0]:
        leaks.append("kind choices on the list")
    if "covert" in text_of("/map").split('name="kind"', 1)[1].split("</select>", 1)[0]:
        leaks.append("kind choices on the map")
    if "0 found" not in text_of("/cameras?kind=covert"):
        leaks.append("count of covert cameras")
    if "0 found" not in text_of("/cameras?town=Wendover"):
        leaks.append("count of cameras in the covert camera's town")
    features = client.get("/cameras.geojson").get_json()["features"]
    if any(f["properties"]["kind"] == "covert" for f in features):
        leaks.append("geojson features")
    rows = list(csv.DictReader(io.StringIO(text_of("/cameras.csv"))))
    if any(r["kind"] == "covert" for r in rows):
        leaks.append("csv rows")
    for url in (f"/cameras/{covert}", f"/cameras/{covert}/edit", f"/cameras/{covert}/move"):
        if client.get(url).status_code not in (403, 404):
            leaks.append(url)
    if client.post(f"/cameras/{covert}/faults", data={"description": "x", "priority": "low"}).status_code not in (
            403, 404):
        leaks.append("raising a fault on it")
    if client.post(f"/faults/{arranged['fault']}/fix", data={"resolution": "x"}).status_code not in (403, 404):
        leaks.append("fixing its fault")
    api = client.get("/api/v1/cameras", headers=bearer).get_json()
    if any(c["kind"] == "covert" for c in api["items"]):
        leaks.append("api list")
    if client.get("/api/v1/cameras?kind=covert", headers=bearer).get_json()["total"] != 0:
        leaks.append("api count")
    if client.get(f"/api/v1/cameras/{covert}", headers=bearer).status_code != 404:
        leaks.append("api camera")
    faults = client.get("/api/v1/faults", headers=bearer).get_json()["items"]
    if any(f["camera_id"] == covert for f in faults):
        leaks.append("api faults")
    return leaks


@pytest.mark.parametrize("role", NO_COVERT)
def test_covert_cameras_are_invisible_without_covert_access(
    app: Flask, as_role, api_token, arranged: dict[str, int], role: str
) -> None:
    token = api_token(role)
    assert _leaks(app, as_role(role), token, arranged) == []


@pytest.mark.parametrize("role", WITH_COVERT)
def test_covert_cameras_are_visible_with_covert_access(
    app: Flask, as_role, api_token, arranged: dict[str, int], role: str
) -> None:
    client = as_role(role)
    covert = app.config["TEST_ESTATE"].covert_camera
    bearer = {"Authorization": f"Bearer {api_token(role)}"}
    assert "PARK-COV-1" in client.get("/cameras").get_data(as_text=True)
    assert "1 found" in client.get("/cameras?kind=covert").get_data(as_text=True)
    assert client.get(f"/cameras/{covert}").status_code == 200
    assert "PARK-COV-1" in client.get("/cameras.csv").get_data(as_text=True)
    assert any(f["properties"]["asset_id"] == "PARK-COV-1"
               for f in client.get("/cameras.geojson").get_json()["features"])
    assert client.get("/api/v1/cameras?kind=covert", headers=bearer).get_json()["total"] == 1
    assert client.get(f"/api/v1/cameras/{covert}", headers=bearer).status_code == 200
    kinds = client.get("/cameras").get_data(as_text=True).split('name="kind"', 1)[1].split("</select>", 1)[0]
    assert 'value="covert"' in kinds
    assert "Battery flat in the hide" in client.get("/faults").get_data(as_text=True)


def test_a_supervisor_without_the_covert_flag_sees_no_covert_camera(
    app: Flask, as_role, api_token, app_session: Session, arranged: dict[str, int]
) -> None:
    """Covert access is a grant to a person, not to the supervisor role."""
    from cctv.auth.models import User

    user = app_session.exec(select(User).where(User.username == "supervisor")).one()
    user.covert_access = False
    app_session.add(user)
    app_session.commit()
    assert _leaks(app, as_role("supervisor"), api_token("supervisor"), arranged) == []


@pytest.mark.parametrize("role", ["planner", "advisory", "dpo"])
def test_funding_register_does_not_name_covert_cameras(as_role, arranged: dict[str, int], role: str) -> None:
    html = as_role(role).get("/funding").get_data(as_text=True)
    assert "NCIL-2024-07" in html and "PARK-001" in html  # the award and the camera they may see
    assert "PARK-COV-1" not in html


def test_funding_register_names_covert_cameras_for_those_with_access(as_role, arranged: dict[str, int]) -> None:
    assert "PARK-COV-1" in as_role("supervisor").get("/funding").get_data(as_text=True)


def test_audit_trail_does_not_show_covert_cameras_to_the_dpo(as_role, arranged: dict[str, int]) -> None:
    client = as_role("dpo")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Frogmoor north" in html  # the DPO does read the trail
    assert not [mark for mark in (*COVERT_MARKS, "Battery flat in the hide") if mark in html]
    html = client.get("/admin/audit?table=camera").get_data(as_text=True)
    assert "PARK-COV-1" not in html


def test_audit_trail_shows_covert_cameras_to_admin(as_role, arranged: dict[str, int]) -> None:
    html = as_role("admin").get("/admin/audit").get_data(as_text=True)
    assert "PARK-COV-1" in html and "Battery flat in the hide" in html


def test_systems_count_only_cameras_the_user_may_see(as_role, arranged: dict[str, int]) -> None:
    row = as_role("operator").get("/systems").get_data(as_text=True).split("Parking enforcement", 1)[1]
    assert row.split("</tr>", 1)[0].count("<td>1</td>") == 1
    row = as_role("admin").get("/systems").get_data(as_text=True).split("Parking enforcement", 1)[1]
    assert "<td>2</td>" in row.split("</tr>", 1)[0]


def test_add_form_offers_covert_only_to_those_with_access(as_role, form_view) -> None:
    assert "covert" not in form_view(as_role("service_manager").get("/cameras/new")).options["kind"]


def test_a_user_without_covert_access_cannot_add_a_covert_camera(
    app: Flask, as_role, form_view, app_session: Session, api_token
) -> None:
    client = as_role("service_manager")
    data = form_view(client.get("/cameras/new")).submission(asset_id="PARK-COV-2", name="Hide 2", kind="covert")
    response = client.post("/cameras/new", data=data)
    assert response.status_code == 400
    assert form_view(response).error("kind") == "Not a valid choice."
    body = {"asset_id": "PARK-COV-3", "name": "Hide 3", "kind": "covert",
            "service_area_id": app.config["TEST_ESTATE"].parking}
    bearer = {"Authorization": f"Bearer {api_token('service_manager')}"}
    assert client.post("/api/v1/cameras", json=body, headers=bearer).status_code == 403
    response = client.patch(f"/api/v1/cameras/{app.config['TEST_ESTATE'].car_park_camera}", json={"kind": "covert"},
                            headers=bearer)
    assert response.status_code == 403 and "covert" in response.get_json()["error"]
    assert app_session.exec(select(func.count()).select_from(Camera).where(
        Camera.kind == CameraKind.COVERT)).one() == 1


# --- service managers ------------------------------------------------------------------------------------------


@pytest.fixture
def manager(as_role) -> FlaskClient:
    return as_role("service_manager")


def test_service_manager_sees_only_parking_cameras(manager: FlaskClient, api_token, form_view) -> None:
    html = manager.get("/cameras").get_data(as_text=True)
    assert "PARK-001" in html and "CS-001" not in html
    assert "1 found" in html
    assert [r["asset_id"] for r in csv.DictReader(io.StringIO(manager.get("/cameras.csv").get_data(as_text=True)))] \
        == ["PARK-001"]
    features = manager.get("/cameras.geojson").get_json()["features"]
    assert [f["properties"]["asset_id"] for f in features] == ["PARK-001"]
    api = manager.get("/api/v1/cameras", headers={"Authorization": f"Bearer {api_token('service_manager')}"})
    assert [c["asset_id"] for c in api.get_json()["items"]] == ["PARK-001"]
    assert form_view(manager.get("/cameras")).options["town"] == ["", "Aylesbury"]


def test_service_manager_gets_404_for_another_areas_camera(app: Flask, manager: FlaskClient, api_token) -> None:
    """404, not 403: a camera outside their areas does not exist for them, as on the list (it is never linked)."""
    town = app.config["TEST_ESTATE"].town_camera
    bearer = {"Authorization": f"Bearer {api_token('service_manager')}"}
    assert manager.get(f"/cameras/{town}").status_code == 404
    assert manager.get(f"/cameras/{town}/edit").status_code == 404
    assert manager.post(f"/cameras/{town}/edit", data={"name": "Mine now"}).status_code == 404
    assert manager.get(f"/cameras/{town}/move").status_code == 404
    assert manager.post(f"/cameras/{town}/move", data={"to_location_text": "x", "reason": "y"}).status_code == 404
    assert manager.post(f"/cameras/{town}/faults", data={"description": "x"}).status_code == 404
    assert manager.get(f"/api/v1/cameras/{town}", headers=bearer).status_code == 404
    assert manager.patch(f"/api/v1/cameras/{town}", json={"name": "Mine"}, headers=bearer).status_code == 404


def test_service_manager_nothing_changes_on_another_areas_camera(
    app: Flask, manager: FlaskClient, app_session: Session
) -> None:
    town = app.config["TEST_ESTATE"].town_camera
    manager.post(f"/cameras/{town}/edit", data={"name": "Mine now"})
    manager.post(f"/cameras/{town}/move", data={"to_location_text": "Elsewhere", "reason": "y"})
    camera = app_session.get(Camera, town)
    assert (camera.name, camera.location_text) == ("Frogmoor north", "Frogmoor")


def test_service_manager_cannot_create_a_camera_in_another_area(
    app: Flask, manager: FlaskClient, form_view, app_session: Session
) -> None:
    cs = app.config["TEST_ESTATE"].community_safety
    page = form_view(manager.get("/cameras/new"))
    assert page.options["service_area_id"] == [str(app.config["TEST_ESTATE"].parking)]
    data = page.submission(asset_id="CS-900", name="Sneaky", kind="public_space_fixed", service_area_id=str(cs))
    response = manager.post("/cameras/new", data=data)
    assert response.status_code == 400
    shown = form_view(response)
    assert shown.error("service_area_id") == "Not a valid choice."
    assert shown.value("asset_id") == "CS-900"
    assert app_session.exec(select(Camera).where(Camera.asset_id == "CS-900")).first() is None


def test_service_manager_cannot_move_their_camera_into_another_area(
    app: Flask, manager: FlaskClient, form_view, app_session: Session, api_token
) -> None:
    estate = app.config["TEST_ESTATE"]
    url = f"/cameras/{estate.car_park_camera}/edit"
    response = manager.post(url, data=form_view(manager.get(url)).submission(
        service_area_id=str(estate.community_safety)))
    assert response.status_code == 400
    assert form_view(response).error("service_area_id") == "Not a valid choice."
    bearer = {"Authorization": f"Bearer {api_token('service_manager')}"}
    response = manager.patch(f"/api/v1/cameras/{estate.car_park_camera}",
                             json={"service_area_id": estate.community_safety}, headers=bearer)
    assert response.status_code == 403
    app_session.expire_all()
    assert app_session.get(Camera, estate.car_park_camera).service_area_id == estate.parking


def test_service_manager_edits_their_own_camera(
    app: Flask, manager: FlaskClient, form_view, app_session: Session
) -> None:
    url = f"/cameras/{app.config['TEST_ESTATE'].car_park_camera}/edit"
    response = manager.post(url, data=form_view(manager.get(url)).submission(name="Exchange Street level 1"))
    assert response.status_code == 302
    app_session.expire_all()
    assert app_session.get(Camera, app.config["TEST_ESTATE"].car_park_camera).name == "Exchange Street level 1"
