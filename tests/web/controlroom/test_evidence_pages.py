"""Evidence pages: a request recorded from an incident, exported files hashed by the app (SHA-256 as hashlib gives
it) or typed, production and handover by supervisors and admins only, later use, and the 31-day retention flag."""

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.controlroom import evidence, incidents, rooms
from cctv.controlroom.models import EvidenceMedia, EvidenceRequest, EvidenceRequestBase, IncidentCreate
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("quick_app")
LONDON = ZoneInfo("Europe/London")
FOOTAGE = b"\x00\x00\x00\x18ftypmp42 exported footage " * 4096  # about 120 kB: hashed in one chunk or several


def _incident(app: Flask, session: Session, occurred: datetime) -> int:
    estate = app.config["TEST_ESTATE"]
    room = rooms.ensure_defaults(session)
    incident = incidents.log_incident(
        session, IncidentCreate(occurred_at=occurred, category="violence", police_reference="URN 43/1234/25",
                                camera_ids=[estate.town_camera, estate.car_park_camera]),
        room=room, operator="operator", now=datetime.now(UTC))
    session.commit()
    return incident.id


def _request(app: Flask, session: Session, window_start: datetime) -> int:
    request = evidence.record_request(
        session, EvidenceRequestBase(requesting_officer="PC 1234 Jones", window_start=window_start,
                                     window_end=window_start + timedelta(minutes=30)),
        [app.config["TEST_ESTATE"].town_camera], actor="operator", now=datetime.now(UTC))
    session.commit()
    return request.id


def _requests(session: Session) -> list[EvidenceRequest]:
    session.expire_all()
    return list(session.exec(select(EvidenceRequest)))


def test_operator_records_a_request_from_an_incident(app: Flask, as_role, form_view, app_session: Session) -> None:
    occurred = datetime(2026, 11, 20, 23, 10, tzinfo=UTC)
    incident_id = _incident(app, app_session, occurred)
    client = as_role("operator")
    page = form_view(client.get(f"/evidence/new?incident={incident_id}"))
    reference = page.value("incident")
    assert re.fullmatch(r"WY-\d{4}-000001", reference)
    assert page.value("police_reference") == "URN 43/1234/25"
    assert page.value("cameras") == "CS-001, PARK-001"
    assert (page.value("window_start"), page.value("window_end")) == ("2026-11-20 22:55", "2026-11-20 23:25")
    response = client.post("/evidence/new", data=page.submission(requesting_officer="PC 1234 Jones",
                                                                 cameras="PARK-001"))
    assert response.status_code == 302
    [request] = _requests(app_session)
    assert response.headers["Location"] == f"/evidence/{request.id}"
    assert (request.incident_id, request.recorded_by, request.requesting_officer) == (incident_id, "operator",
                                                                                     "PC 1234 Jones")
    assert request.window_start == datetime(2026, 11, 20, 22, 55, tzinfo=UTC)
    html = client.get(f"/evidence/{request.id}").get_data(as_text=True)
    assert f"Evidence request #{request.id} recorded." in html and reference in html
    assert '<dd id="evidence-cameras">PARK-001</dd>' in html
    assert 'id="media-form"' not in html and 'id="produce-form"' not in html  # not an operator's to do
    assert f'href="/evidence/{request.id}"' in client.get(f"/incidents/{incident_id}").get_data(as_text=True)


def test_a_bad_request_reshows_what_was_typed(as_role, form_view, app_session: Session) -> None:
    client = as_role("operator")
    response = client.post("/evidence/new", data={
        "requesting_officer": "", "force": "Thames Valley Police", "incident": "WY-2026-999999", "cameras": "CS-001",
        "window_start": "2026-11-20 23:00", "window_end": "2026-11-20 22:00", "notes": "Urgent"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("incident") == "No incident WY-2026-999999."
    assert page.value("cameras") == "CS-001" and page.value("notes") == "Urgent"
    response = client.post("/evidence/new", data=page.submission(incident=""))
    page = form_view(response)
    assert page.error("window_end") == "the window must end after it starts"
    assert page.error("requesting_officer") == "say which officer asked"
    assert _requests(app_session) == []


def test_operators_cannot_add_files_produce_or_hand_over(app: Flask, as_role, app_session: Session) -> None:
    request_id = _request(app, app_session, datetime.now(UTC) - timedelta(days=1))
    client = as_role("operator")
    assert client.post(f"/evidence/{request_id}/media", data={"media_id": "DVD-1", "sha256": "a" * 64}).status_code \
        == 403
    assert client.post(f"/evidence/{request_id}/produce").status_code == 403
    assert client.post(f"/evidence/{request_id}/movements", data={"move-kind": "handed_over",
                                                                  "move-to_whom": "PC 1"}).status_code == 403
    assert app_session.exec(select(EvidenceMedia)).all() == []


def test_supervisor_uploads_produces_and_hands_over_then_the_use_is_noted(
    app: Flask, client: FlaskClient, form_view, app_session: Session
) -> None:
    request_id = _request(app, app_session, datetime.now(UTC) - timedelta(days=2))
    login(client, "supervisor")
    response = client.post(f"/evidence/{request_id}/produce")
    assert response.status_code == 400
    assert "record at least one exported file before production" in response.get_data(as_text=True)

    response = client.post(f"/evidence/{request_id}/media", content_type="multipart/form-data", data={
        "media_id": "WY-EXP-0001", "file": (io.BytesIO(FOOTAGE), "cam1 2026-11-21.mp4")})
    assert response.status_code == 302
    [media] = app_session.exec(select(EvidenceMedia)).all()
    assert media.sha256 == hashlib.sha256(FOOTAGE).hexdigest()
    assert (media.hash_computed, media.size_bytes, media.file_name) == (True, len(FOOTAGE), "cam1 2026-11-21.mp4")
    html = client.get(f"/evidence/{request_id}").get_data(as_text=True)
    assert f"SHA-256 {hashlib.sha256(FOOTAGE).hexdigest()}" in html and "computed by the app" in html

    typed = hashlib.sha256(b"second disc").hexdigest()
    assert client.post(f"/evidence/{request_id}/media", data={"media_id": "DVD-2",
                                                              "sha256": f"  {typed.upper()} "}).status_code == 302
    response = client.post(f"/evidence/{request_id}/media", content_type="multipart/form-data", data={
        "media_id": "DVD-3", "sha256": typed, "file": (io.BytesIO(b"other bytes"), "x.mp4")})
    page = form_view(response)
    assert response.status_code == 400
    assert page.error("sha256").startswith("the typed SHA-256 differs from the file's")
    assert page.value("media_id") == "DVD-3"
    app_session.expire_all()
    assert [(m.media_id, m.sha256, m.hash_computed) for m in app_session.exec(select(EvidenceMedia)
                                                                               .order_by(EvidenceMedia.id))] == [
        ("WY-EXP-0001", hashlib.sha256(FOOTAGE).hexdigest(), True), ("DVD-2", typed, False)]

    assert client.post(f"/evidence/{request_id}/produce").status_code == 302
    move = {"move-file_id": str(media.id), "move-kind": "handed_over", "move-how": "in person"}
    page = form_view(client.post(f"/evidence/{request_id}/movements", data={**move, "move-to_whom": " ",
                                                                            "move-sha256": media.sha256}))
    assert page.error("move-to_whom") == "say to whom (name and collar number)"
    assert client.post(f"/evidence/{request_id}/movements", content_type="multipart/form-data", data={
        **move, "move-to_whom": "DC 889 Patel", "move-file": (io.BytesIO(FOOTAGE), "cam1.mp4")}).status_code == 302
    [request] = _requests(app_session)
    assert (request.produced_by, request.handed_over_to, request.released_by) == ("supervisor", "DC 889 Patel",
                                                                                 "supervisor")
    client.post("/logout")

    login(client, "operator")
    assert client.post(f"/evidence/{request_id}/later-use", data={"later_use": "charged"}).status_code == 302
    [request] = _requests(app_session)
    assert request.later_use.value == "charged"
    assert 'id="later-use">Charged' in client.get(f"/evidence/{request_id}").get_data(as_text=True)


def test_the_list_flags_requests_whose_footage_may_be_overwritten(app: Flask, as_role,
                                                                  app_session: Session) -> None:
    now = datetime.now(UTC)
    recent = _request(app, app_session, now - timedelta(days=30))
    old = _request(app, app_session, now - timedelta(days=31, hours=1))
    html = as_role("operator").get("/evidence").get_data(as_text=True)
    rows = dict(re.findall(r'<tr(?: class="overdue")? data-evidence="(\d+)">.*?<td class="retention">(.*?)</td>',
                           html, re.S))
    assert rows == {str(recent): "ok", str(old): '<strong class="error">at risk</strong>'}
    assert 'id="retention-risk"' in as_role("operator").get(f"/evidence/{old}").get_data(as_text=True)
