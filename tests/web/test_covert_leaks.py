"""Covert cameras appear in no output for a user without covert access (issue 17): every page, CSV, PDF and API answer
a role may GET is read back (PDFs as text) and searched for the distinctive names of covert data; the covert-access
supervisor and the admin find them, so the search can fail."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from cctv.auth.models import Role, User
from cctv.auth.service import issue_token
from cctv.controlroom import arrests, evidence, incidents, rooms
from cctv.controlroom.models import EvidenceRequestBase, IncidentCreate
from dpia import register
from dpia.models import DpiaBase, DpiaRiskBase
from inventory import cameras as camera_service
from inventory import faults as fault_service
from inventory.models import Camera, CameraSystem, FaultCreate
from inventory.scope import CameraScope
from inventory.types import CameraKind, FaultPriority
from tests.conftest import BACKENDS, build_app, database_url, login
from tests.pdf import pdf_text

# What a covert camera and a covert system are called: none of these may reach a user without covert access.
SECRETS = ("QXCOV-777", "Quokka hide", "Xylophone Barn", "Zanzibar Watch", "51.654321", "Yonder Zebra Copse")
WITHOUT_COVERT = [Role.OPERATOR, Role.PLANNER, Role.DPO, Role.ADVISORY, Role.SERVICE_MANAGER]
SKIP = {"static", "auth.logout"}
EVERYTHING = CameraScope.everything()
AUDITED_TABLES = ("camera", "camera_system", "camera_move", "fault", "inventory_change", "incident_camera",
                  "evidence_camera", "dpia", "dpia_review", "shift_fault")


def _sign_off(s, system_id: int) -> int:
    dpia = register.start_dpia(s, system_id, actor="fixture")
    register.update_draft(s, dpia.id, DpiaBase(
        need="n", processing="p", evidence="e", consultation="c", necessity="x", measures_approved_by="A",
        residual_risk_approved_by="B", dpo_name="D", dpo_advice="ok", dpo_advice_accepted=True, reviewer="R"),
        actor="fixture")
    register.add_risk(s, dpia.id, DpiaRiskBase(description="Collateral intrusion"))
    register.sign_off(s, dpia.id, actor="fixture", today=date(2026, 1, 15))
    return dpia.id


def _covert_estate(app: Flask) -> dict[str, dict[str, object]]:
    """Covert data beside visible data: a covert camera in a visible (mixed) system and in Parking's area, a covert
    system of its own, both signed off (the annex freezes the covert camera), an incident and evidence naming it, a
    fault and a move. Returns the URL arguments pointing at visible records and at covert ones."""
    estate = app.config["TEST_ESTATE"]
    now = datetime.now(UTC)
    with app.extensions["cctv_db"].session("fixture") as s:
        town = CameraSystem(name="Town centre", service_area_id=estate.parking)
        secret = CameraSystem(name="Zanzibar Watch", service_area_id=estate.parking)
        s.add_all([town, secret])
        s.flush()
        covert = Camera(asset_id="QXCOV-777", name="Quokka hide", service_area_id=estate.parking,
                        kind=CameraKind.COVERT, location_text="Xylophone Barn", town="Wendover",
                        longitude=-0.712345, latitude=51.654321, system_id=town.id)
        s.add(covert)
        for camera_id in (estate.car_park_camera, estate.covert_camera):
            camera = s.get(Camera, camera_id)
            camera.system_id = town.id if camera_id == estate.car_park_camera else secret.id
            s.add(camera)
        s.flush()
        town_dpia = _sign_off(s, town.id)
        secret_dpia = _sign_off(s, secret.id)
        camera_service.move_camera(s, EVERYTHING, covert, to_location_text="Yonder Zebra Copse", to_town="Wendover",
                                   to_longitude=-0.712345, to_latitude=51.654321, reason="fly-tipping",
                                   actor="fixture")
        fault = fault_service.open_fault(s, EVERYTHING, covert, FaultCreate(camera_id=covert.id, description="dark"),
                                         actor="fixture", sla_hours={p: 4 for p in FaultPriority})
        review = register.start_dpia(s, town.id, actor="fixture", reason="covert camera moved")  # compares with v1
        room = rooms.ensure_defaults(s)
        incident = incidents.log_incident(
            s, IncidentCreate(occurred_at=now - timedelta(hours=1), category="theft", arrests=1,
                              arrest_offences="Theft", camera_ids=[estate.car_park_camera, covert.id]),
            room=room, operator="operator", now=now)
        arrest_id = arrests.incident_arrests(s, incident.id)[0].id
        request = evidence.record_request(
            s, EvidenceRequestBase(requesting_officer="PC 1 Smith", incident_id=incident.id,
                                   window_start=now - timedelta(hours=2), window_end=now - timedelta(hours=1)),
            [estate.car_park_camera, covert.id], actor="operator", now=now)
        s.commit()
        common = {"incident_id": incident.id, "evidence_id": request.id, "fault_id": fault.id, "arrest_id": arrest_id,
                  "table": "totals", "review_id": review.id}
        visible = {**common, "camera_id": estate.car_park_camera, "system_id": town.id, "dpia_id": town_dpia}
        hidden = {**common, "camera_id": covert.id, "system_id": secret.id, "dpia_id": secret_dpia}
        return {"visible": visible, "hidden": hidden}


def _urls(app: Flask, args: dict[str, dict[str, object]]) -> list[str]:
    """Every GET URL, once with visible records and once with covert ones; the outcomes for this year, each CSV,
    and the audit trail table by table."""
    from cctv.outcomes import csvs

    year = date.today().year
    urls: set[str] = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIP or "GET" not in rule.methods or "token" in rule.arguments:
                continue
            for chosen in args.values():
                if not rule.arguments <= chosen.keys():
                    continue  # siting runs, self-assessments and disclosures name no camera
                urls.add(rule.build({k: chosen[k] for k in rule.arguments}, append_unknown=False)[1])
    urls |= {f"/outcomes?period={year}", f"/outcomes/pack.pdf?period={year}"}
    urls |= {f"/outcomes/{table}.csv?period={year}" for table in csvs.TABLES}
    urls |= {f"/admin/audit?table={table}" for table in AUDITED_TABLES}
    urls |= {f"/dpia/{args['visible']['review_id']}", f"/dpia/{args['visible']['review_id']}/compare",
             f"/dpia/{args['visible']['review_id']}.pdf", "/cameras?q=QXCOV", "/incidents/cameras?q=QXCOV"}
    # The search box and the incident search: a part of the covert names is typed (the page repeats what was typed).
    urls |= {"/search?q=QXCOV", "/search?q=Quokka", "/search?q=Xylophone", "/search?q=Wendover", "/search?q=theft",
             "/incidents/search?camera=QXCOV", "/incidents/search?category=theft"}
    return sorted(urls)


def _read(client: FlaskClient, url: str, tmp_path, headers: dict[str, str] | None = None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code < 500, (url, response.status_code)
    if response.mimetype == "application/pdf":
        return pdf_text(response.data, tmp_path)
    return response.get_data(as_text=True)


def _everything_seen(app: Flask, client: FlaskClient, urls: list[str], tmp_path, role: Role) -> dict[str, str]:
    """Each URL's text as the role sees it: pages by the signed-in client, the API by the role's token."""
    with app.extensions["cctv_db"].session("fixture") as s:
        user = s.exec(select(User).where(User.username == role.value)).one()
        _, token = issue_token(s, user, "leak sweep")
        s.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    return {url: _read(client, url, tmp_path, bearer if url.startswith("/api/") else None) for url in urls}


def _leaks(seen: dict[str, str]) -> list[tuple[str, str]]:
    return [(url, secret) for url, text in seen.items() for secret in SECRETS if secret in text]


def _audit_links(app: Flask, args: dict[str, dict[str, object]]) -> None:
    """Link entries name a camera by id only: the DPO's trail has none naming the covert camera, the admin's has
    them; and the DPO still reads the DPIA sign-off, its annex without the covert line."""
    covert, incident, request = (args["hidden"]["camera_id"], args["hidden"]["incident_id"],
                                 args["hidden"]["evidence_id"])
    visible = args["visible"]["camera_id"]
    trails = {}
    for role in (Role.DPO, Role.ADMIN):
        client = app.test_client()
        login(client, role.value)
        trails[role] = {table: client.get(f"/admin/audit?table={table}").get_data(as_text=True)
                        for table in ("incident_camera", "evidence_camera", "dpia")}
    for role, found in ((Role.DPO, False), (Role.ADMIN, True)):
        assert (f"incident_camera {incident}/{covert}" in trails[role]["incident_camera"]) is found, role
        assert (f"evidence_camera {request}/{covert}" in trails[role]["evidence_camera"]) is found, role
        assert f"incident_camera {incident}/{visible}" in trails[role]["incident_camera"], role
        assert "PARK-001" in trails[role]["dpia"], role  # the sign-off entry with its visible annex line


def _sweep(app: Flask, tmp_path) -> None:
    args = _covert_estate(app)
    urls = _urls(app, args)
    leaks = []
    for role in WITHOUT_COVERT:
        client = app.test_client()
        login(client, role.value)
        leaks += [(role.value, *leak) for leak in _leaks(_everything_seen(app, client, urls, tmp_path, role))]
    assert leaks == [], "\n".join(map(str, leaks))
    for role in (Role.ADMIN, Role.SUPERVISOR):  # the same sweep finds the covert data where it belongs
        client = app.test_client()
        login(client, role.value)
        seen = _everything_seen(app, client, urls, tmp_path, role)
        found = {secret for _, secret in _leaks(seen)}
        assert found == set(SECRETS), (role, set(SECRETS) - found)
    _audit_links(app, args)
    dpo = app.test_client()
    login(dpo, Role.DPO.value)
    visible, hidden = args["visible"], args["hidden"]
    for url in (f"/dpia/{visible['dpia_id']}", f"/dpia/{visible['review_id']}/compare",
                f"/dpia/{visible['dpia_id']}.pdf", f"/dpia/systems/{visible['system_id']}", "/systems",
                f"/outcomes?period={date.today().year}"):
        assert dpo.get(url).status_code == 200, url  # the sweep read these pages, not their 404s
    for url in (f"/dpia/{hidden['dpia_id']}", f"/dpia/systems/{hidden['system_id']}",
                f"/cameras/{hidden['camera_id']}"):
        assert dpo.get(url).status_code == 404, url  # the covert system and camera do not exist for the DPO
    admin = app.test_client()
    login(admin, Role.ADMIN.value)
    assert "QXCOV-777" in admin.get("/admin/audit?table=dpia").get_data(as_text=True)
    assert "Zanzibar Watch" in admin.get("/systems").get_data(as_text=True)
    assert "QXCOV-777" in admin.get(f"/dpia/{args['visible']['dpia_id']}").get_data(as_text=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_output_reveals_a_covert_camera_to_a_user_without_covert_access(backend: str, tmp_path) -> None:
    app = build_app(database_url(backend, tmp_path))
    try:
        _sweep(app, tmp_path)
    finally:
        app.extensions["cctv_db"].engine.dispose()
