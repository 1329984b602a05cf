"""The JSON API under /api/v1: bearer tokens, cameras, faults, service areas, errors an integration can read,
and an OpenAPI document that describes the routes the app really has."""

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from cctv.audit import AuditEntry
from cctv.auth.models import ApiToken, User
from inventory.models import Camera, CameraSystem, Fault
from inventory.types import CameraStatus

pytestmark = pytest.mark.usefixtures("quick_app")


@pytest.fixture
def supervisor_api(app: Flask, api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token('supervisor')}"}


def _new_camera(app: Flask, **fields) -> dict:
    return {"asset_id": "CS-API-1", "name": "Oxford Road junction", "kind": "public_space_ptz",
            "service_area_id": app.config["TEST_ESTATE"].community_safety, "longitude": -0.7551,
            "latitude": 51.6280, "town": "High Wycombe"} | fields


# --- authentication ----------------------------------------------------------------------------------------------


def test_no_token_is_401_with_a_json_reason(client: FlaskClient) -> None:
    response = client.get("/api/v1/cameras")
    assert response.status_code == 401
    assert "Bearer" in response.get_json()["error"]


@pytest.mark.parametrize("header", ["Bearer cctv_not-a-real-token", "Basic c3VwZXJ2aXNvcjpwdw==", "Bearer "])
def test_bad_token_is_401(client: FlaskClient, header: str) -> None:
    assert client.get("/api/v1/cameras", headers={"Authorization": header}).status_code == 401


def test_revoked_token_stops_working(app: Flask, client: FlaskClient, api_token, app_session: Session) -> None:
    plain = api_token("supervisor")
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/cameras", headers=headers).status_code == 200
    token = app_session.exec(select(ApiToken).where(ApiToken.prefix == plain[:12])).one()
    token.revoked_at = datetime.now(UTC)
    app_session.add(token)
    app_session.commit()
    assert client.get("/api/v1/cameras", headers=headers).status_code == 401


def test_token_of_a_disabled_account_stops_working(client: FlaskClient, api_token, app_session: Session) -> None:
    headers = {"Authorization": f"Bearer {api_token('operator')}"}
    user = app_session.exec(select(User).where(User.username == "operator")).one()
    user.active = False
    app_session.add(user)
    app_session.commit()
    assert client.get("/api/v1/cameras", headers=headers).status_code == 401


def test_admin_page_revokes_a_token(app: Flask, as_role, api_token, app_session: Session) -> None:
    plain = api_token("operator", "asset system")
    headers = {"Authorization": f"Bearer {plain}"}
    token = app_session.exec(select(ApiToken).where(ApiToken.prefix == plain[:12])).one()
    admin = as_role("admin")
    assert admin.post(f"/admin/tokens/{token.id}/revoke").status_code == 302
    assert "revoked" in admin.get("/admin/tokens").get_data(as_text=True)
    assert app.test_client().get("/api/v1/cameras", headers=headers).status_code == 401


def test_admin_page_issues_a_token_shown_once(app: Flask, as_role, client: FlaskClient,
                                              app_session: Session) -> None:
    admin = as_role("admin")
    planner = app_session.exec(select(User).where(User.username == "planner")).one()
    html = admin.post("/admin/tokens", data={"user_id": planner.id, "name": "GIS team"}).get_data(as_text=True)
    plain = re.search(r'id="new-token">New token \(shown once\): <code>([^<]+)</code>', html).group(1)
    assert plain not in admin.get("/admin/tokens").get_data(as_text=True)
    response = app.test_client().get("/api/v1/cameras", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200


def test_the_api_does_not_take_the_browser_session(as_role) -> None:
    """The API is exempt from CSRF because it authenticates with tokens; a signed-in browser is not a token."""
    browser = as_role("supervisor")
    assert browser.get("/api/v1/cameras").status_code == 401
    assert browser.post("/api/v1/cameras", json={}).status_code == 401


# --- cameras -----------------------------------------------------------------------------------------------------


def test_list_cameras_is_paged_and_filtered(app: Flask, client: FlaskClient, supervisor_api: dict) -> None:
    body = client.get("/api/v1/cameras", headers=supervisor_api).get_json()
    assert body["total"] == 3 and body["page"] == 1 and body["pages"] == 1
    assert [c["asset_id"] for c in body["items"]] == ["CS-001", "PARK-001", "PARK-COV-1"]
    first = body["items"][0]
    assert first["id"] == app.config["TEST_ESTATE"].town_camera
    assert (first["longitude"], first["latitude"], first["kind"]) == (-0.7493, 51.6295, "public_space_fixed")
    paged = client.get("/api/v1/cameras?per_page=2&page=2", headers=supervisor_api).get_json()
    assert (paged["pages"], [c["asset_id"] for c in paged["items"]]) == (2, ["PARK-COV-1"])
    town = client.get("/api/v1/cameras?town=Aylesbury", headers=supervisor_api).get_json()
    assert [c["asset_id"] for c in town["items"]] == ["PARK-001"]


def test_get_one_camera_and_404_for_none(app: Flask, client: FlaskClient, supervisor_api: dict) -> None:
    camera_id = app.config["TEST_ESTATE"].car_park_camera
    assert client.get(f"/api/v1/cameras/{camera_id}", headers=supervisor_api).get_json()["asset_id"] == "PARK-001"
    response = client.get("/api/v1/cameras/99999", headers=supervisor_api)
    assert response.status_code == 404 and response.is_json
    assert "99999" in response.get_json()["error"]


def test_create_camera(app: Flask, client: FlaskClient, supervisor_api: dict, app_session: Session) -> None:
    response = client.post("/api/v1/cameras", json=_new_camera(app), headers=supervisor_api)
    assert response.status_code == 201
    body = response.get_json()
    camera = app_session.get(Camera, body["id"])
    assert (camera.asset_id, camera.kind, camera.longitude) == ("CS-API-1", "public_space_ptz", -0.7551)
    assert body["status"] == "operational" and body["retention_days"] == 31
    assert client.get(f"/api/v1/cameras/{body['id']}", headers=supervisor_api).get_json() == body


def test_invalid_camera_is_422_with_field_errors(app: Flask, client: FlaskClient, supervisor_api: dict,
                                                 app_session: Session) -> None:
    body = _new_camera(app, latitude=123, kind="flying", retention_days=-1)
    del body["name"]
    response = client.post("/api/v1/cameras", json=body, headers=supervisor_api)
    assert response.status_code == 422
    assert response.is_json
    fields = {e["field"] for e in response.get_json()["error"]}
    assert fields == {"name", "latitude", "kind", "retention_days"}
    assert app_session.exec(select(func.count()).select_from(Camera)).one() == 3


def test_not_json_is_400(client: FlaskClient, supervisor_api: dict) -> None:
    response = client.post("/api/v1/cameras", data="asset_id=X", headers=supervisor_api)
    assert response.status_code == 400 and response.is_json
    response = client.post("/api/v1/cameras", json=["not", "an", "object"], headers=supervisor_api)
    assert response.status_code == 400


def test_duplicate_asset_id_is_409(app: Flask, client: FlaskClient, supervisor_api: dict) -> None:
    response = client.post("/api/v1/cameras", json=_new_camera(app, asset_id="CS-001"), headers=supervisor_api)
    assert response.status_code == 409
    assert response.is_json
    assert "CS-001" in response.get_json()["error"]


def test_unknown_service_area_is_422(app: Flask, client: FlaskClient, supervisor_api: dict) -> None:
    response = client.post("/api/v1/cameras", json=_new_camera(app, service_area_id=999), headers=supervisor_api)
    assert response.status_code == 422 and response.is_json


def test_patch_changes_only_the_fields_sent(app: Flask, client: FlaskClient, supervisor_api: dict,
                                            app_session: Session) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = client.patch(f"/api/v1/cameras/{camera_id}", json={"status": "faulty", "model": "Q6135"},
                            headers=supervisor_api)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["model"], body["name"], body["longitude"]) == (
        "faulty", "Q6135", "Frogmoor north", -0.7493)
    camera = app_session.get(Camera, camera_id)
    assert camera.status == CameraStatus.FAULTY


def test_patch_cannot_change_the_asset_id_and_rejects_bad_values(app: Flask, client: FlaskClient,
                                                                  supervisor_api: dict) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = client.patch(f"/api/v1/cameras/{camera_id}", json={"asset_id": "NEW-1"}, headers=supervisor_api)
    assert response.get_json()["asset_id"] == "CS-001"
    response = client.patch(f"/api/v1/cameras/{camera_id}", json={"retention_days": "forever"},
                            headers=supervisor_api)
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["error"]] == ["retention_days"]
    assert client.patch("/api/v1/cameras/99999", json={}, headers=supervisor_api).status_code == 404


def test_read_only_roles_cannot_write(app: Flask, client: FlaskClient, api_token) -> None:
    headers = {"Authorization": f"Bearer {api_token('advisory')}"}
    assert client.get("/api/v1/cameras", headers=headers).status_code == 200
    response = client.post("/api/v1/cameras", json=_new_camera(app), headers=headers)
    assert response.status_code == 403 and response.is_json


def test_service_areas(client: FlaskClient, supervisor_api: dict) -> None:
    items = client.get("/api/v1/service-areas", headers=supervisor_api).get_json()["items"]
    assert [(a["code"], a["name"]) for a in items] == [("CS", "Community Safety"), ("PARK", "Parking Services")]


# --- faults ------------------------------------------------------------------------------------------------------


def test_open_and_list_faults(app: Flask, client: FlaskClient, api_token, app_session: Session) -> None:
    headers = {"Authorization": f"Bearer {api_token('operator')}"}
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = client.post("/api/v1/faults", json={"camera_id": camera_id, "priority": "critical",
                                                    "description": "Dome smashed"}, headers=headers)
    assert response.status_code == 201
    fault = response.get_json()
    assert fault["reported_by"] == "operator" and fault["fixed_at"] is None
    opened = datetime.fromisoformat(fault["opened_at"])
    target = datetime.fromisoformat(fault["target_fix_by"])
    assert (target - opened).total_seconds() == 4 * 3600  # the critical SLA
    listed = client.get("/api/v1/faults?open=1", headers=headers).get_json()["items"]
    assert [f["description"] for f in listed] == ["Dome smashed"]
    assert app_session.get(Camera, camera_id).status == CameraStatus.FAULTY


def test_listing_faults_audits_each_read_of_who_reported_it(app: Flask, client: FlaskClient, api_token,
                                                            app_session: Session) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    operator = {"Authorization": f"Bearer {api_token('operator')}"}
    ids = [client.post("/api/v1/faults", json={"camera_id": camera_id, "description": f"Fault {n}"},
                       headers=operator).get_json()["id"] for n in range(2)]
    supervisor = {"Authorization": f"Bearer {api_token('supervisor')}"}
    listed = client.get("/api/v1/faults", headers=supervisor).get_json()["items"]
    assert [(f["id"], f["reported_by"]) for f in listed] == [(ids[1], "operator"), (ids[0], "operator")]
    app_session.expire_all()
    reads = app_session.exec(select(AuditEntry).where(AuditEntry.action == "read", AuditEntry.table_name == "fault")
                             ).all()
    assert sorted((e.actor, e.record_id) for e in reads) == [("supervisor", str(ids[0])), ("supervisor", str(ids[1]))]
    # A manager who sees none of these cameras reads an empty list, and no entry is written
    manager = {"Authorization": f"Bearer {api_token('service_manager')}"}
    assert client.get("/api/v1/faults", headers=manager).get_json()["items"] == []
    app_session.expire_all()
    assert len(app_session.exec(select(AuditEntry).where(AuditEntry.table_name == "fault",
                                                         AuditEntry.action == "read")).all()) == 2


def test_fault_errors(app: Flask, client: FlaskClient, supervisor_api: dict, api_token,
                      app_session: Session) -> None:
    response = client.post("/api/v1/faults", json={"camera_id": app.config["TEST_ESTATE"].town_camera,
                                                    "priority": "whenever"}, headers=supervisor_api)
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["error"]} == {"priority", "description"}
    response = client.post("/api/v1/faults", json={"camera_id": 99999, "description": "x"}, headers=supervisor_api)
    assert response.status_code == 404
    manager = {"Authorization": f"Bearer {api_token('service_manager')}"}
    response = client.post("/api/v1/faults", json={"camera_id": app.config["TEST_ESTATE"].town_camera,
                                                    "description": "x"}, headers=manager)
    assert response.status_code == 404  # not one of their cameras
    assert app_session.exec(select(func.count()).select_from(Fault)).one() == 0


# --- the OpenAPI document ------------------------------------------------------------------------------------------


def test_openapi_document_is_public_and_looks_valid(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    schemas = doc["components"]["schemas"]
    refs = re.findall(r'"\$ref": "([^"]+)"', __import__("json").dumps(doc))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert method in {"get", "post", "patch", "put", "delete"}
            assert operation["responses"], (path, method)
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (path, method)
    assert set(schemas["CameraCreate"]["required"]) >= {"asset_id", "name", "service_area_id", "kind"}
    assert "covert" in str(schemas["CameraKind"])


def test_openapi_paths_match_the_apps_routes(app: Flask, client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    base = doc["servers"][0]["url"]
    assert base == "/api/v1"
    documented = {(base + path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":  # the document itself
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routes


# --- scope on writes by foreign key (issue 17) ---------------------------------------------------------------------


def test_a_service_manager_cannot_move_a_camera_into_another_areas_or_a_covert_system(
        app: Flask, client: FlaskClient, api_token, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    town = CameraSystem(name="Town CCTV", service_area_id=estate.community_safety)
    hides = CameraSystem(name="Hides", service_area_id=estate.parking)
    app_session.add_all([town, hides])
    app_session.flush()
    app_session.get(Camera, estate.covert_camera).system_id = hides.id
    app_session.commit()
    manager = {"Authorization": f"Bearer {api_token('service_manager')}"}
    for system_id in (town.id, hides.id, 9999):  # another area's, a covert one, none: the same answer
        response = client.patch(f"/api/v1/cameras/{estate.car_park_camera}", json={"system_id": system_id},
                                headers=manager)
        assert response.status_code == 422, system_id
        assert response.get_json()["error"] == [
            {"field": "system_id", "error": f"camera system {system_id} does not exist or is not one of yours"}]
    response = client.patch(f"/api/v1/cameras/{estate.car_park_camera}",
                            json={"service_area_id": estate.community_safety}, headers=manager)
    assert response.status_code == 403 and "service area" in response.get_json()["error"]
    app_session.expire_all()
    assert app_session.get(Camera, estate.car_park_camera).system_id is None
    response = client.post("/api/v1/cameras", headers=manager, json={
        "asset_id": "PARK-COV-1", "name": "x", "service_area_id": estate.parking, "kind": "car_park"})
    assert response.status_code == 409  # the covert camera's asset id: said of it no more than of any camera
    assert response.get_json() == {"error": "asset id PARK-COV-1 is not available: choose another"}
