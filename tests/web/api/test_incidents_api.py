"""/api/v1/incidents: create, list and read with a bearer token; never with the browser's session cookie; 422
with the fields at fault; covert cameras only for tokens whose user has covert access."""

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom.models import Incident
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("quick_app")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _body(**fields) -> dict:
    return {"occurred_at": "2025-11-15T02:30:00Z", "category": "violence", "source": "police_request",
            "location_text": "Desborough Road", "cameras": ["CS-001"], "police_reference": "CAD 881",
            "arrests": 1, "arrest_offences": "Section 39 assault"} | fields


def test_create_then_read_with_a_token(app: Flask, client: FlaskClient, api_token, app_session: Session) -> None:
    headers = _bearer(api_token("operator"))
    response = client.post("/api/v1/incidents", json=_body(camera_ids=[app.config["TEST_ESTATE"].car_park_camera]),
                           headers=headers)
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/api/v1/incidents/{created['id']}"
    assert re.fullmatch(r"WY-\d{4}-000001", created["reference"])
    assert created["operator"] == "operator" and created["police_informed"] is True
    assert created["in_monitored_hours"] is True and created["monitored_session"] == "2025-11-14"
    assert created["cameras"] == ["CS-001", "PARK-001"] and created["occurred_at"].startswith("2025-11-15T02:30:00")

    read = client.get(response.headers["Location"], headers=headers)
    assert read.status_code == 200 and read.get_json() == created
    stored = app_session.exec(select(Incident)).one()
    assert stored.occurred_at == datetime(2025, 11, 15, 2, 30, tzinfo=UTC)
    assert client.get("/api/v1/incidents/999", headers=headers).status_code == 404


def test_list_by_day_since_and_pages(client: FlaskClient, api_token) -> None:
    headers = _bearer(api_token("supervisor"))
    for time in ("2025-11-15T01:00:00Z", "2025-11-15T02:00:00Z", "2025-11-15T03:00:00Z", "2025-11-16T12:00:00Z"):
        assert client.post("/api/v1/incidents", json=_body(occurred_at=time), headers=headers).status_code == 201
    day = client.get("/api/v1/incidents?day=2025-11-15&per_page=2", headers=headers).get_json()
    assert (day["total"], day["pages"], day["page"], day["per_page"]) == (3, 2, 1, 2)
    assert [i["occurred_at"][11:16] for i in day["items"]] == ["03:00", "02:00"]  # newest first
    second = client.get("/api/v1/incidents?day=2025-11-15&per_page=2&page=2", headers=headers).get_json()
    assert [i["occurred_at"][11:16] for i in second["items"]] == ["01:00"]
    assert client.get("/api/v1/incidents", headers=headers).get_json()["total"] == 4
    everything = client.get("/api/v1/incidents?since=2025-01-01T00:00:00%2B00:00", headers=headers).get_json()
    assert [i["reference"][-1] for i in everything["items"]] == ["1", "2", "3", "4"]  # oldest change first
    future = client.get("/api/v1/incidents?since=2099-01-01T00:00:00Z", headers=headers).get_json()
    assert future["items"] == [] and future["total"] == 0
    bad = client.get("/api/v1/incidents?since=yesterday", headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"][0]["field"] == "since"


def test_the_session_cookie_is_refused(client: FlaskClient) -> None:
    login(client, "operator")
    assert client.get("/incidents").status_code == 200  # signed in for the pages...
    assert client.get("/api/v1/incidents").status_code == 401  # ...but the API wants a token
    assert client.post("/api/v1/incidents", json=_body()).status_code == 401


def test_problems_are_422_with_the_fields_at_fault(client: FlaskClient, api_token, app_session: Session) -> None:
    headers = _bearer(api_token("operator"))
    response = client.post("/api/v1/incidents", json=_body(category="", arrests=2, arrest_offences="",
                                                           occurred_at="2099-01-01T10:00:00Z"), headers=headers)
    assert response.status_code == 422
    assert {e["field"]: e["error"] for e in response.get_json()["error"]} == {
        "occurred_at": "That time is in the future.", "category": "Choose a category from the list.",
        "arrest_offences": "Say what the arrest was for."}
    naive = client.post("/api/v1/incidents", json=_body(occurred_at="2025-11-15T02:30:00"), headers=headers)
    assert naive.status_code == 422 and naive.get_json()["error"] == [
        {"field": "occurred_at", "error": "Give the time with its time zone."}]
    unknown = client.post("/api/v1/incidents", json=_body(cameras=["CS-001", "PARK-COV-1"]), headers=headers)
    assert unknown.status_code == 422 and unknown.get_json()["error"] == [
        {"field": "cameras", "error": "No camera PARK-COV-1."}]  # covert: the operator has no covert access
    typed = client.post("/api/v1/incidents", json=_body(arrests="many"), headers=headers)
    assert typed.status_code == 422 and typed.get_json()["error"][0]["field"] == "arrests"
    assert client.post("/api/v1/incidents", data="not json", headers=headers).status_code == 400
    assert app_session.exec(select(Incident)).all() == []


def test_roles_and_covert_cameras(app: Flask, client: FlaskClient, api_token) -> None:
    advisory = _bearer(api_token("advisory"))
    assert client.get("/api/v1/incidents", headers=advisory).status_code == 403
    assert client.post("/api/v1/incidents", json=_body(), headers=advisory).status_code == 403
    dpo = _bearer(api_token("dpo"))  # reads the log for subject access requests, does not log
    assert client.post("/api/v1/incidents", json=_body(), headers=dpo).status_code == 403

    supervisor = _bearer(api_token("supervisor"))  # covert access
    created = client.post("/api/v1/incidents", json=_body(cameras=["PARK-COV-1", "CS-001"]), headers=supervisor)
    assert created.get_json()["cameras"] == ["CS-001", "PARK-COV-1"]
    seen_by_operator = client.get(created.headers["Location"], headers=_bearer(api_token("operator"))).get_json()
    assert seen_by_operator["cameras"] == ["CS-001"]
    assert app.config["TEST_ESTATE"].covert_camera not in seen_by_operator["camera_ids"]
    assert client.get(created.headers["Location"], headers=dpo).status_code == 200


def _reads(session: Session) -> list[tuple[str, str, str, str]]:
    session.expire_all()
    return [(e.actor, e.table_name, e.record_id, e.changed()["what"]["after"]) for e in session.exec(
        select(AuditEntry).where(AuditEntry.action == "read").order_by(col(AuditEntry.id)))]


def test_reads_are_audited_as_the_tokens_user(client: FlaskClient, api_token, app_session: Session) -> None:
    supervisor, dpo = _bearer(api_token("supervisor")), _bearer(api_token("dpo"))
    ids = [client.post("/api/v1/incidents", json=_body(occurred_at=at), headers=supervisor).get_json()["id"]
           for at in ("2025-11-15T01:00:00Z", "2025-11-15T02:00:00Z", "2025-11-15T03:00:00Z")]
    assert _reads(app_session) == []  # logging an incident is audited as its creation, not as a read

    assert client.get(f"/api/v1/incidents/{ids[0]}", headers=dpo).status_code == 200
    assert _reads(app_session) == [("dpo", "incident", str(ids[0]), "API incident")]
    page = client.get("/api/v1/incidents?day=2025-11-15&per_page=2", headers=dpo).get_json()
    assert [i["id"] for i in page["items"]] == [ids[2], ids[1]]
    assert _reads(app_session)[1:] == [("dpo", "incident", str(ids[2]), "API incident list"),
                                      ("dpo", "incident", str(ids[1]), "API incident list")]
    # Nothing shown, nothing read: an unknown id, an empty page, a refused role.
    assert client.get(f"/api/v1/incidents/{ids[2] + 100}", headers=dpo).status_code == 404
    assert client.get("/api/v1/incidents?day=2025-11-20", headers=dpo).get_json()["items"] == []
    assert client.get(f"/api/v1/incidents/{ids[0]}", headers=_bearer(api_token("advisory"))).status_code == 403
    assert len(_reads(app_session)) == 3


def test_the_openapi_document_describes_incidents(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert set(doc["paths"]["/incidents"]) == {"get", "post"} and set(doc["paths"]["/incidents/{incident_id}"]) == {
        "get"}
    schemas = doc["components"]["schemas"]
    assert {"category", "occurred_at", "cameras", "camera_ids"} <= set(schemas["IncidentIn"]["properties"])
    assert schemas["IncidentIn"]["required"] == ["category"]
    assert {"reference", "in_monitored_hours", "cameras"} <= set(schemas["IncidentRead"]["properties"])
