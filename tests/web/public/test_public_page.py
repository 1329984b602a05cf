"""The public page: no sign-in, only published public-space cameras (never covert, internal or unpublished ones, in
the page, its GeoJSON or its CSV), what the DPO chose to publish, every choice audited, and a per-address limit."""

import csv
import io

import pytest
from flask import Flask
from sqlmodel import select

from cctv.audit import AuditEntry
from inventory.models import Camera, CameraSystem
from inventory.types import CameraKind, CameraStatus, london_today
from tests.conftest import build_app, login

PUBLIC = {"CS-001", "PARK-001"}
NEVER = ("PARK-COV-1", "Fly-tipping hide", "CS-BLD-1", "CS-002", "CS-PLAN-1", "Lay-by, A413")


def _systems(app: Flask) -> dict[str, int]:
    """Town centre: the town camera, a building (internal) camera and a planned one. Car parks: the car-park camera
    and the covert camera. Hidden: the covert camera's own system is not possible here (it shares), so a covert-only
    system 'Fly watch' gets a second covert camera. Elsewhere: a public camera whose system is never published."""
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        systems = {name: CameraSystem(name=name, service_area_id=estate.community_safety)
                   for name in ("Town centre", "Car parks", "Fly watch", "Elsewhere")}
        s.add_all(systems.values())
        s.flush()
        ids = {name: system.id for name, system in systems.items()}
        for camera_id, system in ((estate.town_camera, "Town centre"), (estate.car_park_camera, "Car parks"),
                                  (estate.covert_camera, "Car parks")):
            camera = s.get(Camera, camera_id)
            camera.system_id = ids[system]
            s.add(camera)
        extra = [("CS-BLD-1", CameraKind.BUILDING, CameraStatus.OPERATIONAL, "Town centre"),
                 ("CS-PLAN-1", CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.PLANNED, "Town centre"),
                 ("CS-COV-2", CameraKind.COVERT, CameraStatus.OPERATIONAL, "Fly watch"),
                 ("CS-002", CameraKind.PUBLIC_SPACE_PTZ, CameraStatus.OPERATIONAL, "Elsewhere")]
        for asset_id, kind, status, system in extra:
            s.add(Camera(asset_id=asset_id, name=asset_id, service_area_id=estate.community_safety, kind=kind,
                         status=status, town="High Wycombe", latitude=51.63, longitude=-0.75,
                         system_id=ids[system]))
        s.commit()
    return ids


def _publish(app: Flask, ids: dict[str, int]) -> None:
    dpo = app.test_client()
    login(dpo, "dpo")
    for name in ("Town centre", "Car parks"):
        response = dpo.post(f"/publication/systems/{ids[name]}",
                            data={f"s{ids[name]}-purpose": f"Crime prevention ({name})",
                                  f"s{ids[name]}-dpia_summary": "Cameras watch public places only."})
        assert response.status_code == 302, response.get_data(as_text=True)
    response = dpo.post("/publication/notice", data={"operator": "Council CCTV team", "data_controller": "",
                                                      "contact_point": "cctv@example.gov.uk, 01234 567890",
                                                      "introduction": "Where our cameras are."})
    assert response.status_code == 302


def _refs_in_csv(text: str) -> set[str]:
    return {row["ref"] for row in csv.DictReader(io.StringIO(text))}


def test_signed_out_visitors_see_only_published_public_space_cameras(app: Flask) -> None:
    ids = _systems(app)
    anonymous = app.test_client()
    assert "No cameras have been published yet." in anonymous.get("/public").get_data(as_text=True)
    _publish(app, ids)
    page = anonymous.get("/public")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for ref in PUBLIC:
        assert f'data-ref="{ref}"' in html
    assert "cctv@example.gov.uk, 01234 567890" in html and "Council CCTV team" in html
    assert "Crime prevention (Town centre)" in html
    assert "Buckinghamshire Council" in html  # the data controller when neither camera nor notice names one
    assert "Set-Cookie" not in page.headers  # a member of the public is set no cookie
    geo = anonymous.get("/public/cameras.geojson").get_json()
    assert {f["properties"]["ref"] for f in geo["features"]} == PUBLIC
    download = anonymous.get("/public/cameras.csv").get_data(as_text=True)
    assert _refs_in_csv(download) == PUBLIC
    for text in (html, download, str(geo)):
        for secret in NEVER:
            assert secret not in text
    assert "Fly watch" not in html


def test_a_covert_system_cannot_be_published_and_only_the_dpo_and_admin_choose(app: Flask) -> None:
    ids = _systems(app)
    dpo = app.test_client()
    login(dpo, "dpo")
    choices = dpo.get("/publication").get_data(as_text=True)
    assert "Town centre" in choices and "Fly watch" not in choices
    assert dpo.post(f"/publication/systems/{ids['Fly watch']}",
                    data={f"s{ids['Fly watch']}-purpose": "x"}).status_code == 404
    assert app.test_client().get("/public/cameras.geojson").get_json()["features"] == []
    operator = app.test_client()
    login(operator, "operator")
    assert operator.post(f"/publication/systems/{ids['Town centre']}",
                         data={f"s{ids['Town centre']}-purpose": "x"}).status_code == 403


def test_every_publication_is_audited_and_withdrawing_takes_cameras_off(app: Flask) -> None:
    ids = _systems(app)
    _publish(app, ids)
    with app.extensions["cctv_db"].session("check") as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.table_name.in_(["published_system", "public_notice"]))
                         ).all()
    assert {(e.table_name, e.action, e.actor) for e in entries} == {
        ("published_system", "create", "dpo"), ("public_notice", "create", "dpo")}
    admin = app.test_client()
    login(admin, "admin")
    assert admin.post(f"/publication/systems/{ids['Car parks']}/withdraw").status_code == 302
    geo = app.test_client().get("/public/cameras.geojson").get_json()
    assert {f["properties"]["ref"] for f in geo["features"]} == {"CS-001"}
    with app.extensions["cctv_db"].session("check") as s:
        deleted = s.exec(select(AuditEntry).where(AuditEntry.table_name == "published_system",
                                                  AuditEntry.action == "delete")).all()
    assert [e.actor for e in deleted] == ["admin"]


def test_a_required_contact_point_is_kept_as_typed_beside_its_error(app: Flask) -> None:
    dpo = app.test_client()
    login(dpo, "dpo")
    response = dpo.post("/publication/notice", data={"operator": "Typed operator", "contact_point": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Typed operator"' in html and 'id="contact_point-error"' in html


def test_published_figures_are_a_snapshot_of_a_complete_year(app: Flask) -> None:
    dpo = app.test_client()
    login(dpo, "dpo")
    last_year = london_today().year - 1
    assert dpo.post("/publication/figures", data={"figures_year": str(last_year)}).status_code == 302
    html = app.test_client().get("/public").get_data(as_text=True)
    assert f"Figures for {last_year}" in html
    assert dpo.post("/publication/figures", data={"figures_year": str(last_year + 1)}).status_code == 400  # not over
    assert dpo.post("/publication/figures", data={"figures_year": ""}).status_code == 302
    assert "Figures for" not in app.test_client().get("/public").get_data(as_text=True)


def test_signs_name_only_cameras_the_reader_may_see(app: Flask) -> None:
    ids = _systems(app)
    _publish(app, ids)
    supervisor = app.test_client()  # covert access: may attach the covert camera
    login(supervisor, "supervisor")
    response = supervisor.post("/signs/new", data={"place": "Frogmoor entrance", "town": "High Wycombe",
                                                   "wording": "CCTV in operation. Images are recorded.",
                                                   "asset_ids": "cs-001, PARK-COV-1", "last_inspected": "2026-03-01"})
    assert response.status_code == 302
    assert "CS-001, PARK-COV-1" in supervisor.get("/signs").get_data(as_text=True)
    dpo = app.test_client()
    login(dpo, "dpo")
    listed = dpo.get("/signs").get_data(as_text=True)
    assert "Frogmoor entrance" in listed and "PARK-COV-1" not in listed
    unknown = dpo.post("/signs/new", data={"place": "x", "wording": "y", "asset_ids": "PARK-COV-1"})
    assert unknown.status_code == 400 and "No camera with the id PARK-COV-1" in unknown.get_data(as_text=True)
    public = app.test_client().get("/public").get_data(as_text=True)
    assert "CCTV in operation. Images are recorded." in public and "PARK-COV-1" not in public


@pytest.fixture
def limited_app(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/limited.sqlite3", PUBLIC_RATE_LIMIT=3)
    yield app
    app.extensions["cctv_db"].engine.dispose()


def test_one_address_is_limited_another_is_not(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [client.get("/public/cameras.geojson").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = limited_app.test_client()
    assert other.get("/public", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200


def test_only_a_completed_self_assessment_can_be_published(app: Flask) -> None:
    from datetime import date

    from dpia import selfassessment
    from dpia.types import PrincipleAnswer

    with app.extensions["cctv_db"].session("fixture") as s:
        draft = selfassessment.start_assessment(s, actor="dpo", today=date(2026, 1, 15))
        for number in range(1, 13):
            selfassessment.save_answer(s, draft.id, number, PrincipleAnswer.MET, "evidence")
        s.commit()
        draft_id = draft.id
    dpo = app.test_client()
    login(dpo, "dpo")
    assert dpo.post("/publication/assessment", data={"assessment_id": str(draft_id)}).status_code == 400
    with app.extensions["cctv_db"].session("fixture") as s:
        selfassessment.complete_assessment(s, draft_id, actor="dpo", today=date(2026, 1, 20))
        s.commit()
    assert dpo.post("/publication/assessment", data={"assessment_id": str(draft_id)}).status_code == 302
    html = app.test_client().get("/public").get_data(as_text=True)
    assert "completed 20 Jan 2026" in html and "3. Transparency and contact point" in html


def test_wards_reach_the_public_map_from_the_cameras_and_from_wards_imported_once(app: Flask) -> None:
    """No MAP_WARDS_FILE: a public camera's ward field is labelled (and shown in the list and CSV), and the wards
    imported once are outlined; a covert camera's ward is never a label."""
    from siting.store.wards import set_wards

    ids = _systems(app)
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        for camera_id, ward in ((estate.town_camera, "Abbey"), (estate.covert_camera, "Secret Ward")):
            camera = s.get(Camera, camera_id)
            camera.ward = ward
            s.add(camera)
        ring = [[-0.8, 51.6], [-0.7, 51.6], [-0.7, 51.7], [-0.8, 51.7], [-0.8, 51.6]]
        set_wards(s, '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"WD23NM": '
                     '"Booker and Cressex"}, "geometry": {"type": "Polygon", "coordinates": [' + str(ring) + ']}}]}',
                  actor="fixture")
        s.commit()
    _publish(app, ids)
    anonymous = app.test_client()
    layers = anonymous.get("/public/context.geojson").get_json()["features"]
    wards = {(f["properties"]["label"], f["geometry"]["type"]) for f in layers if f["properties"]["layer"] == "ward"}
    assert wards == {("Booker and Cressex", "Polygon"), ("Abbey", "Point")}
    assert "(Abbey ward)" in anonymous.get("/public").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(anonymous.get("/public/cameras.csv").get_data(as_text=True))))
    assert {(r["ref"], r["ward"]) for r in rows} == {("CS-001", "Abbey"), ("PARK-001", "")}
    assert "Secret Ward" not in str(layers)
