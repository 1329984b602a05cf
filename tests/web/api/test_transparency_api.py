"""/api/v1 for the public face: publication choices for the DPO and admin only, the signage register for those who
keep it, each change audited under the token's user, covert cameras and systems never named or published to those
without access, bad bodies answered 422 by field; and all of it in the OpenAPI document."""

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from inventory.models import Camera, CameraSystem
from inventory.types import london_today

pytestmark = pytest.mark.usefixtures("quick_app")


def _systems(app: Flask, session: Session) -> dict[str, int]:
    """'Town centre' holds the town camera; 'Fly watch' only the covert camera."""
    estate = app.config["TEST_ESTATE"]
    ids = {}
    for name, camera_id in (("Town centre", estate.town_camera), ("Fly watch", estate.covert_camera)):
        system = CameraSystem(name=name, service_area_id=estate.community_safety)
        session.add(system)
        session.flush()
        camera = session.get(Camera, camera_id)
        camera.system_id = system.id
        session.add(camera)
        ids[name] = system.id
    session.commit()
    return ids


class Api:
    """A client speaking as one role's token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str):
        return lambda url, **kw: getattr(self.client, method)(url, headers=self.headers, **kw)


def test_the_dpo_publishes_by_api_and_the_public_page_follows(app: Flask, client: FlaskClient, api_token,
                                                             app_session: Session) -> None:
    ids = _systems(app, app_session)
    dpo = Api(client, api_token("dpo"))
    assert dpo.get("/api/v1/publication").get_json()["public_cameras"] == 0
    notice = dpo.put("/api/v1/publication/notice", json={"contact_point": "  cctv@example.gov.uk ", "operator": "CCTV"})
    assert notice.status_code == 200 and notice.get_json()["contact_point"] == "cctv@example.gov.uk"
    published = dpo.put(f"/api/v1/publication/systems/{ids['Town centre']}", json={"purpose": "Crime prevention"})
    assert published.status_code == 200 and published.get_json()["published_by"] == "dpo"
    assert dpo.put(f"/api/v1/publication/systems/{ids['Fly watch']}", json={"purpose": "x"}).status_code == 404
    state = dpo.get("/api/v1/publication").get_json()
    assert [s["system_id"] for s in state["systems"]] == [ids["Town centre"]] and state["public_cameras"] == 1
    assert [f["properties"]["ref"] for f in client.get("/public/cameras.geojson").get_json()["features"]] == [
        "CS-001"]
    last = london_today().year - 1
    assert dpo.put("/api/v1/publication/figures", json={"id": last}).get_json()["figures_year"] == last
    too_soon = dpo.put("/api/v1/publication/figures", json={"id": last + 1})
    assert too_soon.status_code == 422 and too_soon.get_json()["error"][0]["field"] == "id"
    assert dpo.put("/api/v1/publication/assessment", json={"id": 7}).status_code == 422  # none completed
    withdrawn = dpo.delete(f"/api/v1/publication/systems/{ids['Town centre']}")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["systems"] == []
    assert dpo.delete(f"/api/v1/publication/systems/{ids['Town centre']}").status_code == 404
    app_session.expire_all()
    entries = app_session.exec(select(AuditEntry).where(
        AuditEntry.table_name.in_(["published_system", "public_notice"]))).all()
    assert {(e.table_name, e.action, e.actor) for e in entries} == {
        ("public_notice", "create", "dpo"), ("public_notice", "update", "dpo"),
        ("published_system", "create", "dpo"), ("published_system", "delete", "dpo")}


def test_publication_is_for_the_dpo_and_admin_only(client: FlaskClient, api_token) -> None:
    for role, status in (("admin", 200), ("dpo", 200), ("supervisor", 403), ("operator", 403), ("advisory", 403)):
        assert Api(client, api_token(role)).get("/api/v1/publication").status_code == status, role
    supervisor = Api(client, api_token("supervisor"))
    assert supervisor.put("/api/v1/publication/notice", json={"contact_point": "x"}).status_code == 403
    assert client.get("/api/v1/publication").status_code == 401


def test_bad_bodies_are_refused_by_field(client: FlaskClient, api_token) -> None:
    dpo = Api(client, api_token("dpo"))
    blank = dpo.put("/api/v1/publication/notice", json={"contact_point": "   "})
    assert blank.status_code == 422 and blank.get_json()["error"][0]["field"] == "contact_point"
    sign = dpo.post("/api/v1/signs", json={"place": "x", "wording": "", "latitude": 91})
    assert sign.status_code == 422
    assert {e["field"] for e in sign.get_json()["error"]} == {"wording", "latitude"}
    assert dpo.post("/api/v1/signs", data="place=x").status_code == 400


def test_the_signage_register_by_api_names_only_cameras_the_user_may_see(app: Flask, client: FlaskClient, api_token,
                                                                        app_session: Session) -> None:
    supervisor = Api(client, api_token("supervisor"))  # covert access
    made = supervisor.post("/api/v1/signs", json={
        "place": "Frogmoor entrance", "wording": "CCTV in operation", "town": "High Wycombe",
        "cameras": ["cs-001", "PARK-COV-1"], "last_inspected": "2026-03-01"})
    assert made.status_code == 201, made.get_json()
    sign = made.get_json()
    assert sign["cameras"] == ["CS-001", "PARK-COV-1"] and sign["last_inspected"] == "2026-03-01"
    dpo = Api(client, api_token("dpo"))  # no covert access
    assert dpo.get(f"/api/v1/signs/{sign['id']}").get_json()["cameras"] == ["CS-001"]
    unknown = dpo.post("/api/v1/signs", json={"place": "x", "wording": "y", "cameras": ["PARK-COV-1"]})
    assert unknown.status_code == 422 and "PARK-COV-1" in unknown.get_json()["error"][0]["error"]
    changed = dpo.put(f"/api/v1/signs/{sign['id']}", json={"place": "Frogmoor entrance", "wording": "CCTV",
                                                           "last_inspected": "2026-09-30", "cameras": []})
    assert changed.status_code == 200 and changed.get_json()["cameras"] == []
    # the covert camera the DPO cannot see stays on the sign
    assert supervisor.get(f"/api/v1/signs/{sign['id']}").get_json()["cameras"] == ["PARK-COV-1"]
    listed = supervisor.get("/api/v1/signs").get_json()["items"]
    assert [(s["place"], s["wording"], s["last_inspected"]) for s in listed] == [
        ("Frogmoor entrance", "CCTV", "2026-09-30")]
    assert Api(client, api_token("operator")).get("/api/v1/signs").status_code == 403
    assert dpo.put("/api/v1/signs/999", json={"place": "x", "wording": "y"}).status_code == 404
    assert dpo.delete(f"/api/v1/signs/{sign['id']}").get_json() == {"items": []}
    assert dpo.delete(f"/api/v1/signs/{sign['id']}").status_code == 404
    app_session.expire_all()
    actions = [(e.action, e.actor) for e in app_session.exec(select(AuditEntry).where(
        AuditEntry.table_name == "sign").order_by(AuditEntry.id))]
    assert actions == [("create", "supervisor"), ("update", "dpo"), ("delete", "dpo")]
    assert date.fromisoformat(sign["last_inspected"]) == date(2026, 3, 1)


def test_the_openapi_document_describes_them(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/publication/systems/{system_id}"]) == {"put", "delete"}
    assert set(paths["/signs/{sign_id}"]) == {"get", "put", "delete"}
    assert "422" in paths["/signs"]["post"]["responses"] and "404" in paths["/signs/{sign_id}"]["put"]["responses"]
    for path in ("/publication", "/publication/notice", "/publication/assessment", "/publication/figures"):
        assert path in paths


def test_an_asset_id_no_camera_could_have_is_refused_on_its_field(client: FlaskClient, api_token) -> None:
    answer = Api(client, api_token("admin")).post("/api/v1/signs", json={"place": "x", "wording": "y",
                                                                       "cameras": ["CS-\u0007001"]})
    assert answer.status_code == 422 and answer.get_json()["error"][0]["field"] == "cameras"
