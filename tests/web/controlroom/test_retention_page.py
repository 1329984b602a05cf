"""The retention review list: incidents flagged under the retention rule and not yet anonymised, with the periods
and the date each will be anonymised; for supervisors, admins and the DPO."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cctv.controlroom import incidents, rooms
from cctv.controlroom.models import IncidentCreate
from cctv.controlroom.retention import RetentionRule, retention_run

pytestmark = pytest.mark.usefixtures("quick_app")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _history(app: Flask) -> dict[str, str]:
    """Three incidents: recent, old enough for review, and old enough to be anonymised; the rule run once."""
    with app.extensions["cctv_db"].session("fixture") as s:
        room = rooms.ensure_defaults(s)
        refs = {}
        for name, days, category in (("recent", 10, "theft"), ("flagged", 400, "robbery"),
                                     ("anonymised", 800, "violence")):
            incident = incidents.log_incident(
                s, IncidentCreate(occurred_at=NOW - timedelta(days=days), category=category, narrative="A. Person"),
                room=room, operator="operator", now=NOW - timedelta(days=days))
            refs[name] = incident.reference
        report = retention_run(s, now=NOW, rule=RetentionRule(review_after_days=365, anonymise_after_days=730))
        assert (report.flagged, report.anonymised) == ([refs["flagged"]], [refs["anonymised"]])
        s.commit()
    return refs


def test_the_list_shows_flagged_incidents_not_yet_anonymised(app: Flask, as_role) -> None:
    refs = _history(app)
    client = as_role("supervisor")
    response = client.get("/incidents/retention")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    table = html.split('id="retention-review"', 1)[1].split("</table>", 1)[0]
    assert f'data-reference="{refs["flagged"]}"' in table
    assert refs["anonymised"] not in table and refs["recent"] not in table
    occurred = NOW - timedelta(days=400)
    anonymise_on = occurred + timedelta(days=730)
    row = table.split(f'data-reference="{refs["flagged"]}"', 1)[1].split("</tr>", 1)[0]
    assert occurred.strftime("%d %b %Y") in row and "Robbery" in row
    assert NOW.strftime("%d %b %Y") in row  # when it was flagged
    assert anonymise_on.strftime("%d %b %Y") in row
    assert "365 days" in html and "730 days" in html
    assert "cctv incidents retention --dry-run" in html
    assert 'href="/incidents/retention"' in client.get("/incidents").get_data(as_text=True)


def test_the_periods_shown_are_the_configured_ones(app: Flask, as_role) -> None:
    app.config.update(INCIDENT_REVIEW_AFTER_DAYS=90, INCIDENT_ANONYMISE_AFTER_DAYS=180)
    html = as_role("dpo").get("/incidents/retention").get_data(as_text=True)
    assert "90 days" in html and "180 days" in html and "No records are waiting for review." in html


def test_the_list_is_for_supervisors_admins_and_the_dpo(as_role, client: FlaskClient) -> None:
    for role, status in (("operator", 403), ("advisory", 403), ("planner", 403), ("service_manager", 403),
                         ("supervisor", 200), ("admin", 200), ("dpo", 200)):
        as_role(role)
        assert client.get("/incidents/retention").status_code == status, role
        client.post("/logout")


def test_a_reviewer_keeps_anonymises_holds_and_releases(app: Flask, as_role, form_view, app_session) -> None:
    from sqlmodel import select

    from cctv.audit import AuditEntry
    from cctv.controlroom.models import EvidenceRequest, Incident, RetentionExemption

    refs = _history(app)
    flagged = app_session.exec(select(Incident).where(Incident.reference == refs["flagged"])).one()
    request = EvidenceRequest(requesting_officer="PC 9 Khan", window_start=NOW, window_end=NOW,
                              notes="Footage of John Doe")
    app_session.add(request)
    app_session.commit()
    client = as_role("supervisor")

    # A keep needs its reason; refused, the list says why beside the row.
    response = client.post(f"/incidents/retention/incident/{flagged.id}/keep", data={"reason": " ", "days": "30"})
    assert response.status_code == 400 and "Give the reason" in response.get_data(as_text=True)
    assert client.post(f"/incidents/retention/incident/{flagged.id}/keep",
                       data={"reason": "Appeal pending", "days": "30"}).status_code == 302
    html = client.get("/incidents/retention").get_data(as_text=True)
    assert f'data-reference="{refs["flagged"]}"' not in html  # kept: off the list for 30 days

    # A legal hold on the evidence request: set with a reason, shown, refused "anonymise now", then cleared.
    page = form_view(client.post("/incidents/retention/holds", data={"kind": "evidence", "record_id": "99999",
                                                                     "reason": "Trial"}))
    assert page.error("record_id") == "No evidence request 99999." and page.value("reason") == "Trial"
    assert client.post("/incidents/retention/holds", data={"kind": "evidence", "record_id": str(request.id),
                                                           "reason": "Crown Court trial"}).status_code == 302
    html = client.get("/incidents/retention").get_data(as_text=True)
    assert f'data-hold="evidence-{request.id}"' in html and "Crown Court trial" in html
    response = client.post(f"/incidents/retention/evidence/{request.id}/anonymise")
    assert response.status_code == 400 and "on legal hold" in response.get_data(as_text=True)
    assert client.post(f"/incidents/retention/evidence/{request.id}/release",
                       data={"reason": "Trial over"}).status_code == 302
    assert client.post(f"/incidents/retention/evidence/{request.id}/anonymise").status_code == 302
    app_session.expire_all()
    assert "John Doe" not in app_session.get(EvidenceRequest, request.id).notes
    trail = " ".join(e.changes for e in app_session.exec(select(AuditEntry).where(
        AuditEntry.table_name == "evidence_request", AuditEntry.record_id == str(request.id))))
    assert "John Doe" not in trail
    [hold] = app_session.exec(select(RetentionExemption).where(RetentionExemption.exemption == "hold")).all()
    assert (hold.set_by, hold.cleared_by, hold.cleared_reason) == ("supervisor", "supervisor", "Trial over")
    assert client.post("/incidents/retention/teapot/1/anonymise").status_code == 404
    assert client.post(f"/incidents/retention/shift/{2**31 - 1}/anonymise").status_code == 404
