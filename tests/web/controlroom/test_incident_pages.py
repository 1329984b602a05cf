"""The control-room log's pages: the keyboard-first entry form, the day's log with its monitored-hours flag, one
incident, edits after closing in the audit trail, covert cameras kept from those without covert access, and the
aggregates advisory may see."""

import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.auth.models import User
from cctv.auth.service import issue_token
from cctv.controlroom.models import ControlRoom, Incident, IncidentCamera, IncidentCategory
from tests.conftest import BACKENDS, PASSWORD, build_app, database_url, login

pytestmark = pytest.mark.usefixtures("quick_app")
LONDON = ZoneInfo("Europe/London")

# Saturday 15 November 2025, 02:30 GMT: inside Friday's 08:00-04:00 session. Tuesday 18 November, 02:30: after
# Monday's session ended at 23:00, so outside, and counted to Monday's date by the 04:00 rollover.
SATURDAY_SMALL_HOURS = "2025-11-15 02:30"
TUESDAY_SMALL_HOURS = "2025-11-18 02:30"


def _year() -> int:
    return datetime.now(LONDON).year  # references take the London year in which they were logged


def _incident(session: Session, reference: str) -> Incident:
    session.expire_all()
    return session.exec(select(Incident).where(Incident.reference == reference)).one()


def _log(client: FlaskClient, **fields: str):
    data = {"category": "robbery", "occurred": SATURDAY_SMALL_HOURS, "source": "police_radio",
            "location_text": "Frogmoor, by the fountain"} | fields
    return client.post("/incidents/new", data=data)


def _row(html: str, reference: str) -> list[str]:
    """The cells of the day's log row for a reference, as text."""
    row = re.search(rf'<tr [^>]*data-reference="{reference}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"{reference} is not in the log"
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1),
                                                                                   re.S)]


def test_operator_logs_an_incident_with_two_cameras_a_police_reference_and_an_arrest(
    app: Flask, as_role, app_session: Session
) -> None:
    client = as_role("operator")
    response = _log(client, cameras="CS-001, park-001", police_reference="CAD 4471 15/11", arrests="1",
                    arrest_offences="Robbery (s.8 Theft Act)", outcome="Suspect detained by PCs", narrative="Two men…")
    assert response.status_code == 302
    reference = f"WY-{_year()}-000001"
    # Its monitored session (02:30 on Saturday is Friday's 08:00-04:00), not today; the row is the URL's target.
    assert response.headers["Location"] == f"/incidents?session=2025-11-14#{reference}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Incident {reference} logged." in html
    cells = _row(html, reference)
    assert cells == [reference, "02:30", "Robbery", "Frogmoor, by the fountain", "CS-001, PARK-001", "CAD 4471 15/11",
                     "1 Robbery (s.8 Theft Act)", "inside", "Open"]
    assert f'<tr id="{reference}"' in html
    assert 'data-monitored="yes"' in html
    assert "1 incident, 1 in monitored hours, 1 arrest." in html

    incident = _incident(app_session, reference)
    assert incident.occurred_at == datetime(2025, 11, 15, 2, 30, tzinfo=UTC)  # GMT: London = UTC in November
    assert (incident.operator, incident.police_informed, incident.arrests) == ("operator", True, 1)
    assert incident.in_monitored_hours and incident.monitored_session.isoformat() == "2025-11-14"
    estate = app.config["TEST_ESTATE"]
    linked = set(app_session.exec(select(IncidentCamera.camera_id).where(IncidentCamera.incident_id == incident.id)))
    assert linked == {estate.town_camera, estate.car_park_camera}


def test_outside_monitored_hours_is_flagged_so(as_role) -> None:
    client = as_role("operator")
    assert _log(client, occurred=TUESDAY_SMALL_HOURS, category="asb").status_code == 302
    html = client.get("/incidents?day=2025-11-18").get_data(as_text=True)
    cells = _row(html, f"WY-{_year()}-000001")
    assert cells[1:3] == ["02:30", "Anti-social behaviour"]
    assert cells[7] == "outside (Mon 17 Nov 2025 session)"
    assert 'data-monitored="no"' in html and "0 in monitored hours" in html
    assert 'href="/incidents?day=2025-11-17"' in html and 'href="/incidents?day=2025-11-19"' in html  # prev, next


def test_the_entry_form_starts_on_the_category_with_now_and_the_operator_filled_in(
    client: FlaskClient, form_view
) -> None:
    login(client, "operator")
    before = datetime.now(LONDON).strftime("%H:%M")
    response = client.get("/incidents/new")
    after = datetime.now(LONDON).strftime("%H:%M")
    page = form_view(response)
    html = response.get_data(as_text=True)
    assert page.value("occurred") in {before, after}
    assert re.search(r'<select autofocus id="category" name="category"', html) or \
        re.search(r'<select[^>]*id="category"[^>]*autofocus', html)
    assert page.options["category"][:3] == ["", "violence", "sexual_offence"] and len(page.options["category"]) == 18
    assert page.choice("source") == "proactive" and page.choice("follow_up") == "open"
    assert page.value("arrests") == "0"
    assert "Operator operator" in html and "Wycombe" in html
    assert 'list="camera-options"' in html and 'data-options-url="/incidents/cameras"' in html


def test_a_fresh_database_gets_the_default_room_and_categories(app: Flask, as_role, app_session: Session) -> None:
    assert app_session.exec(select(ControlRoom)).all() == []
    as_role("operator").get("/incidents/new")
    as_role("operator").get("/incidents")
    [room] = app_session.exec(select(ControlRoom)).all()
    assert (room.code, room.name) == ("WY", "Wycombe")
    assert len(app_session.exec(select(IncidentCategory)).all()) == 17


def test_an_edit_after_closing_is_in_the_audit_trail(as_role, client: FlaskClient, form_view,
                                                     app_session: Session) -> None:
    operator = as_role("operator")
    _log(operator, cameras="CS-001", narrative="First account")
    incident = _incident(app_session, f"WY-{_year()}-000001")
    assert operator.post(f"/incidents/{incident.id}/close").status_code == 302
    assert "closed" in operator.get(f"/incidents/{incident.id}").get_data(as_text=True)

    page = form_view(operator.get(f"/incidents/{incident.id}/edit"))
    assert page.value("occurred") == SATURDAY_SMALL_HOURS and page.value("cameras") == "CS-001"
    assert page.choice("follow_up") == "closed"
    response = operator.post(f"/incidents/{incident.id}/edit",
                             data=page.submission(narrative="Corrected account", cameras="CS-001, PARK-001"))
    assert response.status_code == 302 and response.headers["Location"] == f"/incidents/{incident.id}"

    edited = _incident(app_session, incident.reference)
    assert edited.narrative == "Corrected account" and edited.closed_by == "operator"
    updates = app_session.exec(
        select(AuditEntry).where(AuditEntry.table_name == "incident", AuditEntry.record_id == str(incident.id),
                                 AuditEntry.action == "update").order_by(col(AuditEntry.id))).all()
    assert [sorted(u.changed()) for u in updates] == [
        ["closed_at", "closed_by", "follow_up", "updated_at"], ["narrative", "updated_at"]]
    assert updates[-1].actor == "operator"
    assert updates[-1].changed()["narrative"] == {"before": "First account", "after": "Corrected account"}

    operator_view = operator.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert 'id="history"' not in operator_view  # the history is for supervisors, admins and the DPO
    client.post("/logout")
    login(client, "supervisor")
    history = client.get(f"/incidents/{incident.id}").get_data(as_text=True).split('id="history"', 1)[1]
    assert "First account → Corrected account" in history
    assert "camera added PARK-001" in history


def test_reopen_with_a_follow_up(as_role, app_session: Session) -> None:
    client = as_role("supervisor")
    _log(client)
    incident = _incident(app_session, f"WY-{_year()}-000001")
    client.post(f"/incidents/{incident.id}/close")
    assert client.post(f"/incidents/{incident.id}/reopen", data={"follow_up": "awaiting_police"}).status_code == 302
    reopened = _incident(app_session, incident.reference)
    assert (reopened.follow_up.value, reopened.closed_at) == ("awaiting_police", None)


def test_covert_cameras_stay_hidden_from_operators(app: Flask, client: FlaskClient, form_view,
                                                   app_session: Session) -> None:
    login(client, "operator")  # no covert access
    assert [c["asset_id"] for c in client.get("/incidents/cameras?q=park").get_json()["items"]] == ["PARK-001"]
    page = form_view(_log(client, cameras="PARK-COV-1"))
    assert page.error("cameras") == "No camera PARK-COV-1: give asset ids, comma-separated."
    client.post("/logout")

    login(client, "supervisor")  # covert access
    assert [c["asset_id"] for c in client.get("/incidents/cameras?q=park").get_json()["items"]] == [
        "PARK-001", "PARK-COV-1"]
    assert _log(client, cameras="CS-001, PARK-COV-1").status_code == 302
    reference = f"WY-{_year()}-000001"
    assert _row(client.get("/incidents?day=2025-11-15").get_data(as_text=True), reference)[4] == "CS-001, PARK-COV-1"
    client.post("/logout")

    login(client, "operator")
    incident = _incident(app_session, reference)
    assert _row(client.get("/incidents?day=2025-11-15").get_data(as_text=True), reference)[4] == "CS-001"
    assert "PARK-COV-1" not in client.get(f"/incidents/{incident.id}").get_data(as_text=True)
    page = form_view(client.get(f"/incidents/{incident.id}/edit"))
    assert page.value("cameras") == "CS-001"
    assert client.post(f"/incidents/{incident.id}/edit", data=page.submission(outcome="Reviewed")).status_code == 302
    linked = set(app_session.exec(select(IncidentCamera.camera_id).where(IncidentCamera.incident_id == incident.id)))
    assert app.config["TEST_ESTATE"].covert_camera in linked  # the operator's edit did not drop what they cannot see


def test_the_camera_picker_finds_by_name_and_the_form_takes_an_exact_name(as_role) -> None:
    client = as_role("operator")
    assert [c["asset_id"] for c in client.get("/incidents/cameras?q=frogmoor").get_json()["items"]] == ["CS-001"]
    assert client.get("/incidents/cameras?q=").get_json() == {"items": []}
    assert _log(client, cameras="frogmoor north").status_code == 302
    html = client.get("/incidents?day=2025-11-15").get_data(as_text=True)
    assert _row(html, f"WY-{_year()}-000001")[4] == "CS-001"


def test_advisory_sees_only_the_aggregates(as_role, client: FlaskClient) -> None:
    operator = as_role("operator")
    _log(operator, arrests="1", arrest_offences="Robbery")
    _log(operator, occurred=TUESDAY_SMALL_HOURS, category="asb")
    _log(operator, occurred="2025-12-01 02:30", narrative="Private detail")  # Sunday 30 Nov's session: November
    client.post("/logout")

    login(client, "advisory")
    for url in ("/incidents", "/incidents/new", "/incidents/1", "/incidents/1/edit", "/incidents/cameras?q=cs",
                "/evidence", "/shifts"):
        assert client.get(url).status_code == 403, url
    response = client.get("/incidents/summary?year=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "WY-" not in html and "Private detail" not in html and "Frogmoor" not in html
    table = html.split('id="summary"', 1)[1]
    robbery = re.search(r"<th scope=\"row\">Robbery</th>((?:<td>\d+</td>)+)", table).group(1)
    assert re.findall(r"\d+", robbery) == ["0"] * 10 + ["2", "0", "2"]
    assert re.findall(r"\d+", re.search(r'id="total-row">(.*?)</tr>', table).group(1)) == ["0"] * 10 + ["3", "0", "3"]
    assert re.findall(r"\d+", re.search(r'id="arrests-row">(.*?)</tr>', table).group(1))[-1] == "1"
    assert re.findall(r"\d+", re.search(r'id="inside-row">(.*?)</tr>', table).group(1))[-1] == "1"
    assert 'href="/incidents/summary"' in client.get("/cameras").get_data(as_text=True)  # its nav link


@pytest.fixture(params=BACKENDS)
def backend_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app on each backend under test (PostgreSQL too when CCTV_TEST_DATABASE_URL is set)."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def test_the_control_room_journey_on_each_backend(backend_app: Flask, form_view) -> None:
    """With CSRF on: log by name and asset id, edit after closing (audited), the summary's sums, the API by day and
    since, a hashed upload, a disclosure and a fault from a shift — every query of these pages on each backend."""
    backend_app.config["WTF_CSRF_ENABLED"] = True
    client = backend_app.test_client()
    token = form_view(client.get("/login")).value("csrf_token")
    assert client.post("/login", data={"username": "supervisor", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    page = form_view(client.get("/incidents/new"))
    assert client.post("/incidents/new", data={"category": "robbery", "occurred": SATURDAY_SMALL_HOURS}
                       ).status_code == 400  # no CSRF token
    response = client.post("/incidents/new", data=page.submission(
        category="robbery", occurred=SATURDAY_SMALL_HOURS, cameras="frogmoor north, park-cov-1",
        police_reference="CAD 1", arrests="1", arrest_offences="Robbery"))
    assert response.status_code == 302
    html = client.get("/incidents?day=2025-11-15").get_data(as_text=True)
    reference = f"WY-{_year()}-000001"
    assert _row(html, reference)[4] == "CS-001, PARK-COV-1" and _row(html, reference)[7].startswith("inside")
    incident_id = int(re.search(r'href="/incidents/(\d+)"', html).group(1))
    show = form_view(client.get(f"/incidents/{incident_id}"))
    assert client.post(f"/incidents/{incident_id}/close", data={"csrf_token": show.value("csrf_token")}
                       ).status_code == 302
    edit = form_view(client.get(f"/incidents/{incident_id}/edit"))
    assert client.post(f"/incidents/{incident_id}/edit", data=edit.submission(outcome="Charged")).status_code == 302
    history = client.get(f"/incidents/{incident_id}").get_data(as_text=True).split('id="history"', 1)[1]
    assert "<strong>outcome</strong>:" in history and "Charged" in history and "camera added PARK-COV-1" in history

    summary = client.get("/incidents/summary?year=2025").get_data(as_text=True)
    assert re.findall(r"\d+", re.search(r'id="arrests-row">(.*?)</tr>', summary).group(1))[-2:] == ["0", "1"]

    with backend_app.extensions["cctv_db"].session("fixture") as s:
        _, plain = issue_token(s, s.exec(select(User).where(User.username == "operator")).one(), "journey")
        s.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    created = client.post("/api/v1/incidents", json={"category": "theft", "occurred_at": "2025-11-15T09:00:00Z",
                                                     "cameras": ["CS-001"]}, headers=headers)
    assert created.status_code == 201 and created.get_json()["in_monitored_hours"] is True
    listed = client.get("/api/v1/incidents?day=2025-11-15", headers=headers).get_json()
    assert [i["cameras"] for i in listed["items"]] == [["CS-001"], ["CS-001"]]  # the covert camera hidden
    assert client.get("/api/v1/incidents?since=2000-01-01T00:00:00Z", headers=headers).get_json()["total"] == 2

    new_request = form_view(client.get(f"/evidence/new?incident={incident_id}"))
    response = client.post("/evidence/new", data=new_request.submission(requesting_officer="PC 1 Smith"))
    evidence_id = int(response.headers["Location"].rsplit("/", 1)[1])
    media = form_view(client.get(f"/evidence/{evidence_id}"))
    response = client.post(f"/evidence/{evidence_id}/media", content_type="multipart/form-data", data={
        "csrf_token": media.value("csrf_token"), "media_id": "EXP-1", "file": (io.BytesIO(b"footage"), "a.mp4")})
    assert response.status_code == 302
    html = client.get("/evidence?show=all").get_data(as_text=True)
    assert "CS-001, PARK-COV-1" in html and reference in html
    assert hashlib.sha256(b"footage").hexdigest() in client.get(f"/evidence/{evidence_id}").get_data(as_text=True)

    disclosure = form_view(client.get("/disclosures/new"))
    assert client.post("/disclosures/new", data=disclosure.submission(
        kind="subject_access", requester="A. Person", received_on="2026-01-31")).status_code == 302
    assert "2 Mar 2026" in client.get("/disclosures?show=all").get_data(as_text=True)

    shifts = form_view(client.get("/shifts"))
    assert client.post("/shifts/start", data={"csrf_token": shifts.value("csrf_token"),
                                              "operators": "supervisor"}).status_code == 302
    html = client.get("/shifts").get_data(as_text=True)
    shift_id = int(re.search(r'action="/shifts/(\d+)/faults"', html).group(1))
    assert client.post(f"/shifts/{shift_id}/faults", data={
        "csrf_token": shifts.value("csrf_token"), "camera": "PARK-COV-1", "description": "No picture",
        "priority": "critical"}).status_code == 302
    assert "PARK-COV-1</a>" in client.get("/shifts").get_data(as_text=True)
