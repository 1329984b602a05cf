"""The disclosure log's pages: requests logged with their due dates, the SAR extension, identity check and
redaction before disclosure, and the due-soon and overdue views. Dates worked out by hand in the comments."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.controlroom.models import Disclosure

pytestmark = pytest.mark.usefixtures("quick_app")


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def _log(client: FlaskClient, **fields: str):
    data = {"kind": "subject_access", "requester": "Ms A. Person", "reference": "SAR-77",
            "received_on": "2026-01-31", "summary": "Footage of me on 20 January"} | fields
    return client.post("/disclosures/new", data=data)


def _disclosures(session: Session) -> list[Disclosure]:
    session.expire_all()
    return list(session.exec(select(Disclosure).order_by(Disclosure.id)))


def test_a_subject_access_request_from_logging_to_disclosure(as_role, form_view, app_session: Session) -> None:
    client = as_role("dpo")
    page = form_view(client.get("/disclosures/new"))
    assert page.value("received_on") == _today().isoformat() and page.choice("kind") == "police"
    response = _log(client)
    [sar] = _disclosures(app_session)
    assert response.status_code == 302 and response.headers["Location"] == f"/disclosures/{sar.id}"
    # 31 January + one month = 28 February 2026 (no 31st), a Saturday: due the next working day, Monday 2 March.
    assert sar.due_on == date(2026, 3, 2) and sar.handled_by == "dpo"
    html = client.get(f"/disclosures/{sar.id}").get_data(as_text=True)
    assert "Request #1 logged: due 2 Mar 2026." in html and '<dd id="due">2 Mar 2026' in html

    page = form_view(client.post(f"/disclosures/{sar.id}/extend", data={"months": "2", "extension_reason": " "}))
    assert page.error("extension_reason") == "give the reason (the requester must be told it)"
    assert client.post(f"/disclosures/{sar.id}/extend", data={
        "months": "2", "extension_reason": "Many hours of footage to redact"}).status_code == 302
    # Extended by two further months, counted from receipt: 31 January + 3 months = 30 April 2026, a Thursday.
    assert _disclosures(app_session)[0].extended_to == date(2026, 4, 30)

    response = client.post(f"/disclosures/{sar.id}/close", data={"status": "disclosed"})
    assert response.status_code == 400
    assert "check the requester&#39;s identity before disclosing" in response.get_data(as_text=True)
    client.post(f"/disclosures/{sar.id}/redaction", data={"redaction": "in_progress"})
    client.post(f"/disclosures/{sar.id}/id-check", data={"id_checked": "y"})
    response = client.post(f"/disclosures/{sar.id}/close", data={"status": "disclosed"})
    assert "finish the redaction before disclosing" in response.get_data(as_text=True)
    client.post(f"/disclosures/{sar.id}/redaction", data={"redaction": "done"})
    assert client.post(f"/disclosures/{sar.id}/close", data={"status": "disclosed"}).status_code == 302
    [sar] = _disclosures(app_session)
    assert (sar.status.value, sar.closed_on, sar.id_checked, sar.redaction.value) == (
        "disclosed", _today(), True, "done")
    html = client.get(f"/disclosures/{sar.id}").get_data(as_text=True)
    assert 'id="close-form"' not in html and "Disclosed" in html

    response = client.post(f"/disclosures/{sar.id}/extend", data={"months": "1", "extension_reason": "late"})
    assert response.status_code == 400 and "the request is already disclosed" in response.get_data(as_text=True)


def test_an_foi_request_runs_on_working_days_and_has_no_redaction(as_role, app_session: Session) -> None:
    client = as_role("supervisor")
    # Received Friday 18 December 2026: 20 working days, skipping Christmas (Fri 25), Boxing Day observed (Mon 28),
    # New Year's Day (Fri 1 Jan) and the weekends: 21-24 Dec (4), 29-31 Dec (7), 4-8 Jan (12), 11-15 Jan (17),
    # 18-20 Jan (20): due Wednesday 20 January 2027.
    assert _log(client, kind="foi", requester="Local paper", received_on="2026-12-18").status_code == 302
    [foi] = _disclosures(app_session)
    assert foi.due_on == date(2027, 1, 20)
    response = client.post(f"/disclosures/{foi.id}/redaction", data={"redaction": "needed"})
    assert response.status_code == 400
    assert "FOI requests do not disclose footage of people" in response.get_data(as_text=True)


def test_due_soon_and_overdue(as_role) -> None:
    client = as_role("supervisor")
    today = _today()
    _log(client, kind="police", requester="PC 12 Overdue", received_on=(today - timedelta(days=10)).isoformat())
    _log(client, kind="police", requester="PC 34 Due", received_on=(today - timedelta(days=5)).isoformat())
    _log(client, kind="police", requester="PC 56 Later", received_on=today.isoformat())  # due in 7 days: "due soon"
    _log(client, kind="subject_access", requester="Mr Future", received_on=today.isoformat())
    html = client.get("/disclosures").get_data(as_text=True)

    def names(table_id: str) -> list[str]:
        table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
        return re.findall(r"<td>((?:PC \d+|Mr) \w+)</td>", table)

    assert names("overdue") == ["PC 12 Overdue"]
    assert names("due-soon") == ["PC 34 Due", "PC 56 Later"]
    assert names("all-disclosures") == ["Mr Future", "PC 56 Later", "PC 34 Due", "PC 12 Overdue"]  # newest first


def test_only_supervisors_admins_and_the_dpo_keep_the_log(as_role, client: FlaskClient) -> None:
    for role in ("operator", "advisory", "planner"):
        as_role(role)
        assert client.get("/disclosures").status_code == 403, role
        assert _log(client).status_code == 403, role
        client.post("/logout")
    assert as_role("admin").get("/disclosures").status_code == 200
