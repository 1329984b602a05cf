"""The log by monitored session (calendar days still reachable), the rows it adds as other operators log
(GET /incidents/live), and voiding an incident: supervisors and admins only, with a reason, shown as void, kept in
the log and audited."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom.models import Incident
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("quick_app")

# Friday 14 November 2025 (GMT): the session runs 08:00 to Saturday 04:00.
FRIDAY_EVENING, SATURDAY_1_50, SATURDAY_MORNING = "2025-11-14 21:15", "2025-11-15 01:50", "2025-11-15 09:30"


def _log(client: FlaskClient, occurred: str, **fields: str) -> str:
    """Log an incident through the form; its reference."""
    data = {"category": "robbery", "occurred": occurred, "location_text": "Frogmoor"} | fields
    response = client.post("/incidents/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("#", 1)[1]


def _references(html: str) -> list[str]:
    return re.findall(r'<tr id="([^"]+)" data-reference=', html)


def test_fridays_session_runs_to_saturday_4am_and_calendar_days_stay_reachable(app: Flask, as_role) -> None:
    client = as_role("operator")
    evening, night, morning = (_log(client, t) for t in (FRIDAY_EVENING, SATURDAY_1_50, SATURDAY_MORNING))
    friday = client.get("/incidents?session=2025-11-14").get_data(as_text=True)
    assert _references(friday) == [night, evening]  # newest first; the 01:50 row belongs to Friday
    assert "Friday 14 Nov 2025 session (08:00–04:00)" in friday
    assert 'href="/incidents?session=2025-11-13"' in friday and 'href="/incidents?session=2025-11-15"' in friday
    assert 'href="/incidents?day=2025-11-14"' in friday  # the same date as a calendar day
    assert _references(client.get("/incidents?session=2025-11-15").get_data(as_text=True)) == [morning]
    saturday = client.get("/incidents?day=2025-11-15").get_data(as_text=True)
    assert _references(saturday) == [morning, night]  # midnight to midnight
    assert "(Fri 14 Nov 2025 session)" in saturday and "calendar day" in saturday


def test_logging_goes_to_the_new_row_in_its_session(app: Flask, as_role) -> None:
    client = as_role("operator")
    response = client.post("/incidents/new", data={"category": "robbery", "occurred": SATURDAY_1_50})
    reference = response.headers["Location"].rsplit("#", 1)[1]
    assert response.headers["Location"] == f"/incidents?session=2025-11-14#{reference}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<tr id="{reference}"' in html  # the URL's target: highlighted (CSS :target) and scrolled to


def test_live_rows_are_those_logged_since_with_text_values_and_no_covert_camera(app: Flask, as_role) -> None:
    supervisor = as_role("supervisor")
    first = _log(supervisor, FRIDAY_EVENING)
    page = supervisor.get("/incidents?session=2025-11-14").get_data(as_text=True)
    after = re.search(r'data-after="(\d+)"', page).group(1)
    assert re.search(r'data-live-url="/incidents/live\?session=2025-11-14"', page)
    second = _log(supervisor, SATURDAY_1_50, cameras="CS-001, PARK-COV-1", location_text="<b>Bar</b>",
                  police_reference="CAD 9")
    _log(supervisor, SATURDAY_MORNING)  # Saturday's session: not Friday's page's business
    for role, cameras in (("supervisor", "CS-001, PARK-COV-1"), ("operator", "CS-001")):
        reader = supervisor if role == "supervisor" else _signed_in(app, "operator")
        items = reader.get(f"/incidents/live?session=2025-11-14&after={after}").get_json()["items"]
        assert [i["reference"] for i in items] == [second], role
        item = items[0]
        assert item["cameras"] == cameras and item["location"] == "<b>Bar</b>"  # text: the page inserts it as text
        assert (item["time"], item["monitored"], item["police_reference"], item["void"]) == ("01:50", True, "CAD 9",
                                                                                             False)
    everything = supervisor.get("/incidents/live?session=2025-11-14&after=0").get_json()["items"]
    assert [i["reference"] for i in everything] == [first, second]  # oldest first, as the page adds them
    assert supervisor.get("/incidents/live?day=2025-11-15&after=0").status_code == 200
    assert supervisor.get("/incidents/live?after=-5&session=bad").status_code == 200  # the current session


def _signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    login(client, username)
    return client


def test_a_supervisor_voids_an_incident_with_a_reason(app: Flask, as_role, app_session: Session, api_token) -> None:
    operator = _signed_in(app, "operator")
    duplicate = _log(operator, FRIDAY_EVENING)
    kept = _log(operator, FRIDAY_EVENING)
    incident = app_session.exec(select(Incident).where(Incident.reference == duplicate)).one()
    # Operators, the DPO (who reads the log) and others may not void.
    for role in ("operator", "dpo", "planner", "advisory"):
        answer = _signed_in(app, role).post(f"/incidents/{incident.id}/void", data={"reason": "duplicate"})
        assert answer.status_code == 403, role
    assert "/void" not in operator.get(f"/incidents/{incident.id}").get_data(as_text=True)

    supervisor = as_role("supervisor")
    assert f'href="/incidents/{incident.id}/void"' in supervisor.get(f"/incidents/{incident.id}").get_data(as_text=True)
    refused = supervisor.post(f"/incidents/{incident.id}/void", data={"reason": "   "})
    assert refused.status_code == 400 and "Say why the incident is void" in refused.get_data(as_text=True)
    done = supervisor.post(f"/incidents/{incident.id}/void", data={"reason": f"Duplicate of {kept}"})
    assert done.status_code == 302 and done.headers["Location"] == f"/incidents/{incident.id}"

    page = supervisor.get(f"/incidents/{incident.id}").get_data(as_text=True)
    assert f"{duplicate} <span class=\"status void\">void</span>" in page
    assert f"(supervisor): Duplicate of {kept}" in page and f"/incidents/{incident.id}/edit" not in page
    log = supervisor.get("/incidents?session=2025-11-14").get_data(as_text=True)
    assert _references(log) == [kept, duplicate]  # it keeps its reference and its place
    assert f'data-reference="{duplicate}" data-id="{incident.id}"' in log and 'class="void"' in log
    assert "1 incident, 1 in monitored hours, 0 arrests (1 void, not counted)." in log
    # Voided once; an edit of a void incident is refused.
    again = supervisor.post(f"/incidents/{incident.id}/void", data={"reason": "again"})
    assert again.status_code == 200 and "Void since" in again.get_data(as_text=True)
    edit = supervisor.post(f"/incidents/{incident.id}/edit", data={"category": "robbery", "occurred": FRIDAY_EVENING})
    assert edit.status_code == 400 and "is void: it cannot be edited" in edit.get_data(as_text=True)

    app_session.expire_all()
    entry = app_session.exec(select(AuditEntry).where(
        AuditEntry.table_name == "incident", AuditEntry.record_id == str(incident.id), AuditEntry.action == "update",
    ).order_by(col(AuditEntry.id).desc())).first()
    assert entry is not None and entry.actor == "supervisor"
    changed = entry.changed()
    assert changed["void_reason"]["after"] == f"Duplicate of {kept}" and changed["voided_by"]["after"] == "supervisor"
    # The API says so too.
    read = app.test_client().get(f"/api/v1/incidents/{incident.id}",
                                 headers={"Authorization": f"Bearer {api_token('supervisor')}"}).get_json()
    assert (read["reference"], read["voided_by"], read["void_reason"]) == (duplicate, "supervisor",
                                                                           f"Duplicate of {kept}")
    assert read["voided_at"] is not None
