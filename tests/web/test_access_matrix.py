"""Every route declares who may use it, and every role gets exactly that: allowed, 403, or the login page."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlmodel import select

from cctv.auth.models import ApiToken, Role, User
from cctv.controlroom import arrests, disclosure, evidence, incidents, rooms, shifts
from cctv.controlroom.models import DisclosureBase, EvidenceRequestBase, IncidentCreate
from cctv.controlroom.types import DisclosureKind
from cctv.notifications.models import InboxMessage
from cctv.transparency.models import Sign
from cctv.web.navigation import NAV_LINKS
from dpia import register, selfassessment
from dpia.models import ActionBase, DpiaBase, DpiaRiskBase
from inventory.models import Camera, CameraSystem, Fault, Funding
from inventory.types import CameraKind, FundingSource
from inventory.upkeep_models import BodyWornIssue, MaintenanceContract, PpmSchedule
from siting.model.inputs import CrimeSet, Site
from siting.model.scoring import score_sites
from siting.store.jobs import ImportJob
from siting.store.saved import SiteSource, add_site, save_run
from tests.conftest import PASSWORD_HASH, login

SKIP_ENDPOINTS = {"static"}


def _prepare(app: Flask) -> dict[str, object]:
    """Records the URLs point at: a fault, a spare account and a token (so allowed POSTs harm nobody)."""
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        now = datetime.now(UTC)
        fault = Fault(camera_id=estate.car_park_camera, description="No picture", opened_at=now,
                      target_fix_by=now + timedelta(hours=4))
        spare = User(username="spare", role=Role.OPERATOR, password_hash=PASSWORD_HASH)
        s.add_all([fault, spare])
        s.flush()
        token = ApiToken(user_id=spare.id, name="spare", token_hash="0" * 64, prefix="cctv_spare")
        s.add(token)
        site = add_site(s, Site.at("x", 486_500, 192_900, "Frogmoor"), source=SiteSource.TYPED, actor="fixture")
        one_crime = CrimeSet.from_columns([486_500], [192_900], ["2025-12"], ["Burglary"])
        run = save_run(s, score_sites(one_crime, [site.to_model()]), actor="fixture")
        dpia = _prepare_dpia(s, estate.community_safety, estate.town_camera)
        control = _prepare_control_room(s, estate.town_camera)
        upkeep = _prepare_upkeep(s, estate.parking, now)
        sign = Sign(place="Frogmoor entrance", wording="CCTV in operation")
        job = ImportJob(created_by="fixture")  # a crime import run in the background
        s.add_all([sign, job])
        s.flush()
        s.commit()
        return {"camera_id": estate.car_park_camera, "fault_id": fault.id, "user_id": spare.id,
                "token_id": token.id, "token": "nosuchupload", "site_id": site.id, "run_id": run.id, **dpia,
                "area_id": estate.parking, "sign_id": sign.id, "job_id": job.id,
                "import_id": 1,  # a crime import (none: refused)
                **control, **upkeep, "table": "totals"}  # an Advisory Group dashboard table, as CSV


def _prepare_upkeep(s, parking: int, now: datetime) -> dict[str, int]:
    """A funding award, a contract with a PPM schedule, and a body-worn device out (for its return)."""
    award = Funding(reference="S106-M", source=FundingSource.S106, amount=Decimal("100"), awarded_on=date(2025, 1, 1))
    contract = MaintenanceContract(reference="MC-M", contractor="Acme", starts_on=date(2025, 1, 1),
                                   ends_on=date(2030, 1, 1))
    device = Camera(asset_id="BWV-M", name="Body-worn", service_area_id=parking, kind=CameraKind.BODY_WORN)
    s.add_all([award, contract, device])
    s.flush()
    schedule = PpmSchedule(contract_id=contract.id, title="Clean", next_due_on=date(2026, 1, 1))
    issue = BodyWornIssue(camera_id=device.id, officer_name="CEO 1", due_back_at=now + timedelta(hours=8))
    s.add_all([schedule, issue])
    s.flush()
    return {"funding_id": award.id, "contract_id": contract.id, "schedule_id": schedule.id, "issue_id": issue.id}


def _prepare_control_room(s, camera_id: int) -> dict[str, int]:
    """The control room with an incident (and its arrest), an evidence request for it, a subject access request, an
    open shift and a category code."""
    now = datetime.now(UTC)
    room = rooms.ensure_defaults(s)
    incident = incidents.log_incident(
        s, IncidentCreate(occurred_at=now - timedelta(hours=1), category="theft", camera_ids=[camera_id], arrests=1,
                          arrest_offences="Theft"),
        room=room, operator="operator", now=now)
    arrest = arrests.incident_arrests(s, incident.id)[0]
    request = evidence.record_request(
        s, EvidenceRequestBase(requesting_officer="PC 123 Smith", incident_id=incident.id,
                               window_start=now - timedelta(hours=2), window_end=now - timedelta(hours=1)),
        [camera_id], actor="operator", now=now)
    sar = disclosure.open_disclosure(
        s, DisclosureBase(kind=DisclosureKind.SUBJECT_ACCESS, requester="A. Person", received_on=now.date()),
        actor="dpo")
    shift = shifts.start_shift(s, room, operators=["operator"], actor="operator", now=now)
    return {"incident_id": incident.id, "evidence_id": request.id, "disclosure_id": sar.id, "shift_id": shift.id,
            "room_id": room.id, "arrest_id": arrest.id, "code": "theft",  # an incident category
            "kind": "shift", "record_id": shift.id}  # a record under the retention rule


def _prepare_dpia(s, area_id: int, camera_id: int) -> dict[str, int]:
    """A system with a signed-off v1 (so an open yearly review) and a draft v2 with a risk; a self-assessment in
    progress with an action; a message in the DPO's inbox. The URLs point at the draft, so allowed POSTs change
    only a draft."""
    system = CameraSystem(name="Town centre", service_area_id=area_id)
    s.add(system)
    s.flush()
    camera = s.get(Camera, camera_id)
    camera.system_id = system.id
    s.add(camera)
    v1 = register.start_dpia(s, system.id, actor="fixture")
    register.update_draft(s, v1.id, DpiaBase(
        need="n", processing="p", evidence="e", consultation="c", necessity="x", measures_approved_by="A",
        residual_risk_approved_by="B", dpo_name="D", dpo_advice="ok", dpo_advice_accepted=True, reviewer="R"),
        actor="fixture")
    register.add_risk(s, v1.id, DpiaRiskBase(description="Collateral intrusion"))
    register.sign_off(s, v1.id, actor="fixture", today=date(2026, 1, 15))
    v2 = register.start_dpia(s, system.id, actor="fixture", reason="yearly review")
    risk = register.risks(s, v2.id)[0]
    assessment = selfassessment.start_assessment(s, actor="fixture", today=date(2026, 1, 15))
    action = selfassessment.add_action(s, assessment.id, ActionBase(principle=3, action="Publish the contact point",
                                                                      owner="DPO", due_on=date(2026, 6, 1)))
    dpo = s.exec(select(User).where(User.username == Role.DPO.value)).one()
    message = InboxMessage(user_id=dpo.id, reminder_key="review:1:due", subject="DPIA review due today",
                           link=f"/dpia/systems/{system.id}")
    s.add(message)
    s.flush()
    return {"system_id": system.id, "dpia_id": v2.id, "risk_id": risk.id, "assessment_id": assessment.id,
            "action_id": action.id, "message_id": message.id}


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    args = _prepare(app)
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIP_ENDPOINTS:
                continue
            url = rule.build({k: args[k] for k in rule.arguments}, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, url))
    # Signing out ends the session: do it last.
    return sorted(routes, key=lambda r: r[0] == "auth.logout")


def test_every_route_declares_its_roles(app: Flask) -> None:
    undeclared = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint not in SKIP_ENDPOINTS and not hasattr(view, "allowed_roles")
    ]
    assert undeclared == []


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_anonymous_users_are_sent_to_login_or_refused(app: Flask) -> None:
    client = app.test_client()
    for endpoint, method, url in _routes(app):
        response = client.open(url, method=method)
        view = app.view_functions[endpoint]
        if getattr(view, "is_public", False):
            assert not _is_login_redirect(response), (endpoint, method)
        elif url.startswith("/api/"):
            assert response.status_code == 401, (endpoint, method, response.status_code)
        else:
            assert _is_login_redirect(response), (endpoint, method, response.status_code)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_its_routes_declare(app: Flask, role: Role) -> None:
    client = app.test_client()
    login(client, role.value)
    checked = 0
    for endpoint, method, url in _routes(app):
        if url.startswith("/api/") and not getattr(app.view_functions[endpoint], "is_public", False):
            continue  # the API takes tokens, not the browser session: see test_api_tokens_follow_roles
        roles = app.view_functions[endpoint].allowed_roles
        response = client.open(url, method=method)
        if roles is None or role in roles:
            assert response.status_code not in (401, 403), (role, endpoint, method, response.status_code)
            if endpoint != "auth.logout":  # signing out rightly ends at the login page
                assert not _is_login_redirect(response), (role, endpoint, method)
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("role", list(Role))
def test_api_tokens_follow_roles(app: Flask, role: Role) -> None:
    from cctv.auth.service import issue_token

    with app.extensions["cctv_db"].session("fixture") as s:
        user = s.exec(select(User).where(User.username == role.value)).one()
        _, plain = issue_token(s, user, "matrix")
        s.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    for endpoint, method, url in _routes(app):
        if not url.startswith("/api/"):
            continue
        roles = app.view_functions[endpoint].allowed_roles
        response = client.open(url, method=method, headers=headers, json={})
        if roles is None or role in roles:
            assert response.status_code not in (401, 403), (role, endpoint, method, response.status_code)
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)


EXPECTED_NAV = {  # what each role's navigation offers, from the roles' description in DESIGN.md §1
    Role.OPERATOR: ["Cameras", "Map", "Faults", "Systems", "Incidents", "Evidence", "Shifts"],
    Role.ADVISORY: ["Cameras", "Map", "Faults", "Systems", "Incident figures", "Outcomes", "DPIA", "Siting",
                    "Funding"],
    Role.ADMIN: ["Cameras", "Map", "Faults", "Systems", "Incidents", "Evidence", "Disclosures", "Shifts",
                 "Outcomes", "DPIA", "Siting", "Funding", "Public page", "Import", "Audit", "Users", "API tokens",
                 "Service areas"],
}


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_offers_exactly_the_pages_the_role_may_open(app: Flask, role: Role) -> None:
    """A link must never leak from one role's navigation to another's: every role signs in on the same app in
    turn."""
    for earlier in Role:  # draw every role's navigation first, in one process
        client = app.test_client()
        login(client, earlier.value)
        assert client.get("/cameras").status_code == 200
    client = app.test_client()
    login(client, role.value)
    nav = client.get("/cameras").get_data(as_text=True).split("<nav>")[1].split("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)', nav)
    assert links[-1] == ("/inbox", "Inbox")
    for href, label in links:
        assert client.get(href).status_code == 200, (role, label, href)
    shown = [label for _, label in links[:-1]]
    if role in EXPECTED_NAV:
        assert shown == EXPECTED_NAV[role]
    # Each slot shows the first of its choices the role may open (the log before its figures, the public page's
    # choices before the signage register they link to).
    may_open = {next(label for endpoint, label in choices if role in app.view_functions[endpoint].allowed_roles)
                for choices in NAV_LINKS
                if any(role in app.view_functions[endpoint].allowed_roles for endpoint, _ in choices)}
    assert set(shown) == may_open


def test_links_follow_the_mount_point(app: Flask) -> None:
    """Every link (stylesheet, home, inbox, sign-out, the log's day links, the navigation) follows where the app is
    mounted: the same app served under a prefix (as behind a proxy) gets its own, not the first request's."""
    client = app.test_client()
    login(client, "operator")
    for prefix in ("", "/cctv", ""):
        html = client.get("/incidents?day=2026-06-06", base_url=f"http://localhost{prefix}/").get_data(as_text=True)
        hrefs = set(re.findall(r'(?:href|action|src)="(/[^"]*)"', html))
        assert {f"{prefix}/static/app.css", f"{prefix}/cameras", f"{prefix}/inbox", f"{prefix}/incidents",
                f"{prefix}/incidents?day=2026-06-05", f"{prefix}/incidents?day=2026-06-07",
                f"{prefix}/incidents/new", f"{prefix}/logout", f"{prefix}/static/controlroom.js"} <= hrefs
        assert all(href.startswith(prefix + "/") for href in hrefs), (prefix, hrefs)
