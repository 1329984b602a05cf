"""Service areas, control rooms and systems kept on the pages and by the API: audited, errors beside their fields,
covert systems hidden from those without covert access."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from cctv.controlroom.models import ControlRoom
from inventory.models import Camera, CameraSystem, ServiceArea

pytestmark = pytest.mark.usefixtures("quick_app")


def _covert_system(app: Flask, session: Session) -> int:
    """A system whose only camera is covert: a covert system."""
    estate = app.config["TEST_ESTATE"]
    system = CameraSystem(name="Fly-tipping watch", service_area_id=estate.parking)
    session.add(system)
    session.flush()
    camera = session.get(Camera, estate.covert_camera)
    camera.system_id = system.id
    session.add(camera)
    session.commit()
    return system.id


def test_the_admin_adds_and_renames_a_service_area(as_role, form_view, app_session: Session) -> None:
    admin = as_role("admin")
    page = form_view(admin.get("/admin/service-areas"))
    response = admin.post("/admin/service-areas", data=page.submission(code=" hw ", name="Highways",
                                                                       description="Traffic cameras"))
    assert response.status_code == 302
    area = app_session.exec(select(ServiceArea).where(ServiceArea.name == "Highways")).one()
    assert (area.code, area.description) == ("HW", "Traffic cameras")  # codes as typed in commands: upper case
    html = admin.get("/admin/service-areas").get_data(as_text=True)
    assert "<td>HW</td><td>Highways</td>" in html
    edit = form_view(admin.get(f"/admin/service-areas/{area.id}"))
    assert edit.value("name") == "Highways"
    assert admin.post(f"/admin/service-areas/{area.id}",
                      data=edit.submission(name="Highways and Transport")).status_code == 302
    app_session.expire_all()
    assert app_session.get(ServiceArea, area.id).name == "Highways and Transport"
    entries = app_session.exec(select(AuditEntry).where(AuditEntry.table_name == "service_area",
                                                        AuditEntry.record_id == str(area.id))).all()
    assert [(e.action, e.actor) for e in entries] == [("create", "admin"), ("update", "admin")]


def test_a_taken_code_is_refused_beside_the_field_with_what_was_typed(as_role, form_view,
                                                                     app_session: Session) -> None:
    admin = as_role("admin")
    page = form_view(admin.get("/admin/service-areas"))
    response = admin.post("/admin/service-areas", data=page.submission(code="cs", name="Community Safety 2"))
    assert response.status_code == 400
    view = form_view(response)
    assert "already has the code CS" in view.error("code")
    assert view.value("name") == "Community Safety 2"
    assert len(app_session.exec(select(ServiceArea)).all()) == 2


def test_only_the_admin_keeps_service_areas_and_control_rooms(as_role) -> None:
    for role in ("supervisor", "dpo", "service_manager", "operator"):
        client = as_role(role)
        assert client.get("/admin/service-areas").status_code == 403
        assert client.get("/admin/control-rooms").status_code == 403


def test_the_admin_adds_a_control_room_and_its_code_stays(as_role, form_view, app_session: Session) -> None:
    admin = as_role("admin")
    page = form_view(admin.get("/admin/control-rooms"))
    bad = admin.post("/admin/control-rooms", data=page.submission(code="A1", name="Aylesbury"))
    assert bad.status_code == 400 and "1 to 8 letters" in form_view(bad).error("code")
    assert admin.post("/admin/control-rooms", data=page.submission(code="ay", name="Aylesbury")).status_code == 302
    room = app_session.exec(select(ControlRoom).where(ControlRoom.code == "AY")).one()
    edit = form_view(admin.get(f"/admin/control-rooms/{room.id}"))
    response = admin.post(f"/admin/control-rooms/{room.id}", data=edit.submission(code="ZZ", name="Aylesbury hub"))
    assert response.status_code == 302
    app_session.expire_all()
    room = app_session.get(ControlRoom, room.id)
    assert (room.code, room.name) == ("AY", "Aylesbury hub")


def test_a_system_is_renamed_and_a_covert_one_is_hidden(app: Flask, as_role, form_view, client: FlaskClient,
                                                        app_session: Session) -> None:
    covert_id = _covert_system(app, app_session)
    estate = app.config["TEST_ESTATE"]
    overt = CameraSystem(name="Car parks", service_area_id=estate.parking)
    app_session.add(overt)
    app_session.commit()
    manager = as_role("service_manager")  # Parking, as the covert system, but no covert access
    assert manager.get(f"/systems/{covert_id}/edit").status_code == 404
    page = form_view(manager.get(f"/systems/{overt.id}/edit"))
    assert page.value("name") == "Car parks"
    assert manager.post(f"/systems/{overt.id}/edit", data=page.submission(name="Council car parks")
                        ).status_code == 302
    app_session.expire_all()
    assert app_session.get(CameraSystem, overt.id).name == "Council car parks"
    outside = manager.post(f"/systems/{overt.id}/edit",
                           data=page.submission(service_area_id=str(estate.community_safety)))
    assert outside.status_code == 400  # not one of the manager's areas: not even offered
    taken = manager.post(f"/systems/{overt.id}/edit", data=page.submission(name="fly-tipping WATCH"))
    # The same words as for any taken name: it does not confirm that a covert system is called that.
    assert taken.status_code == 400 and "already taken" in form_view(taken).error("name")
    client.post("/logout")
    supervisor = as_role("supervisor")  # covert access
    assert supervisor.get(f"/systems/{covert_id}/edit").status_code == 200


def test_the_api_keeps_service_areas_systems_and_rooms(app: Flask, client: FlaskClient, api_token,
                                                      app_session: Session) -> None:
    covert_id = _covert_system(app, app_session)
    admin = {"Authorization": f"Bearer {api_token('admin')}"}
    dpo = {"Authorization": f"Bearer {api_token('dpo')}"}  # may keep systems, has no covert access
    supervisor = {"Authorization": f"Bearer {api_token('supervisor')}"}
    created = client.post("/api/v1/service-areas", json={"code": "hw", "name": "Highways"}, headers=admin)
    assert created.status_code == 201 and created.get_json()["code"] == "HW"
    area_id = created.get_json()["id"]
    assert client.post("/api/v1/service-areas", json={"code": "HW", "name": "Other"}, headers=admin
                       ).status_code == 409
    assert client.post("/api/v1/service-areas", json={"code": "X", "name": "X"}, headers=supervisor
                       ).status_code == 403
    renamed = client.patch(f"/api/v1/service-areas/{area_id}", json={"code": "HW", "name": "Highways & Transport"},
                           headers=admin)
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Highways & Transport"
    system = client.post("/api/v1/systems", json={"name": "A40 cameras", "service_area_id": area_id}, headers=admin)
    assert system.status_code == 201
    names = {s["name"] for s in client.get("/api/v1/systems", headers=dpo).get_json()["items"]}
    assert names == {"A40 cameras"}  # the covert system is not there for a token without covert access
    assert client.patch(f"/api/v1/systems/{covert_id}", json={"name": "x", "service_area_id": area_id},
                        headers=dpo).status_code == 404
    seen = {s["name"] for s in client.get("/api/v1/systems", headers=supervisor).get_json()["items"]}
    assert seen == {"A40 cameras", "Fly-tipping watch"}
    room = client.post("/api/v1/control-rooms", json={"code": "AY", "name": "Aylesbury"}, headers=admin)
    assert room.status_code == 201
    assert client.patch(f"/api/v1/control-rooms/{room.get_json()['id']}", json={"name": "Aylesbury hub"},
                        headers=admin).get_json() == {"id": room.get_json()["id"], "code": "AY",
                                                      "name": "Aylesbury hub"}
    assert [r["code"] for r in client.get("/api/v1/control-rooms", headers=admin).get_json()["items"]] == ["AY"]
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/service-areas"] and "patch" in paths["/service-areas/{area_id}"]
    assert {"get", "post"} <= set(paths["/systems"]) and "patch" in paths["/systems/{system_id}"]
    assert {"get", "post"} <= set(paths["/control-rooms"]) and "patch" in paths["/control-rooms/{room_id}"]
