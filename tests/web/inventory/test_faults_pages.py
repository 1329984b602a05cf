"""Faults: raised from the camera page, fixed against the SLA, and the SLA figures the faults page shows."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import Camera, Fault
from inventory.types import CameraStatus, FaultPriority

pytestmark = pytest.mark.usefixtures("quick_app")


def _faults(session: Session) -> list[Fault]:
    session.expire_all()
    return list(session.exec(select(Fault)))


def test_raise_a_fault_from_the_camera_page_then_fix_it(
    app: Flask, client: FlaskClient, app_session: Session, form_view
) -> None:
    from tests.conftest import login

    camera_id = app.config["TEST_ESTATE"].town_camera
    login(client, "operator")
    page = form_view(client.get(f"/cameras/{camera_id}"))
    assert page.choice("priority") == "medium"
    response = client.post(f"/cameras/{camera_id}/faults", data={
        "csrf_token": page.value("csrf_token"), "priority": "high", "description": "Picture rolling",
        "contractor": "Acme Security", "contractor_ref": "JOB-4411"})
    assert response.status_code == 302 and response.headers["Location"] == f"/cameras/{camera_id}"
    html = client.get(f"/cameras/{camera_id}").get_data(as_text=True)
    assert "Fault raised on CS-001." in html
    faults_table = html.split('id="faults"', 1)[1].split("</table>", 1)[0]
    assert "Picture rolling · Acme Security JOB-4411" in faults_table and "<strong>open</strong>" in faults_table
    assert 'name="resolution"' not in faults_table  # an operator raises faults but does not close them
    assert '<span class="status faulty">Faulty</span>' in html
    [fault] = _faults(app_session)
    assert (fault.priority, fault.reported_by) == (FaultPriority.HIGH, "operator")
    assert fault.target_fix_by - fault.opened_at == timedelta(hours=24)

    client.post("/logout")
    login(client, "supervisor")
    assert 'name="resolution"' in client.get(f"/cameras/{camera_id}").get_data(as_text=True)
    response = client.post(f"/faults/{fault.id}/fix", data={"resolution": "Replaced the encoder"})
    assert response.status_code == 302 and response.headers["Location"] == f"/cameras/{camera_id}"
    html = client.get(f"/cameras/{camera_id}").get_data(as_text=True)
    assert "Fault closed." in html and "— Replaced the encoder" in html
    assert '<span class="status operational">Operational</span>' in html
    assert _faults(app_session)[0].fixed_at is not None


def test_a_fault_posted_without_the_contractor_fields_is_raised(app: Flask, as_role, app_session: Session) -> None:
    client = as_role("operator")  # a script's post, or an older page's: no contractor fields at all
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = client.post(f"/cameras/{camera_id}/faults", data={"priority": "high", "description": "No picture"})
    assert response.status_code == 302
    (fault,) = _faults(app_session)
    assert (fault.description, fault.contractor, fault.contractor_ref) == ("No picture", "", "")


def test_fault_without_a_description_is_not_raised(app: Flask, as_role, app_session: Session) -> None:
    client = as_role("operator")
    camera_id = app.config["TEST_ESTATE"].town_camera
    response = client.post(f"/cameras/{camera_id}/faults", data={"priority": "high", "description": ""})
    assert response.status_code == 302
    assert "Fault not raised: description: This field is required." in client.get(
        f"/cameras/{camera_id}").get_data(as_text=True)
    assert _faults(app_session) == []


def test_fixing_twice_or_without_a_resolution_is_refused(app: Flask, as_role, app_session: Session) -> None:
    now = datetime.now(UTC)
    fault = Fault(camera_id=app.config["TEST_ESTATE"].town_camera, description="No picture", opened_at=now,
                  target_fix_by=now + timedelta(hours=4))
    app_session.add(fault)
    app_session.commit()
    client = as_role("supervisor")
    client.post(f"/faults/{fault.id}/fix", data={"resolution": ""})
    assert "Say how the fault was resolved." in client.get("/faults").get_data(as_text=True)
    assert _faults(app_session)[0].fixed_at is None
    client.post(f"/faults/{fault.id}/fix", data={"resolution": "Reset"})
    first_fix = _faults(app_session)[0].fixed_at
    response = client.post(f"/faults/{fault.id}/fix", data={"resolution": "Again", "back": "faults"})
    assert response.headers["Location"] == "/faults"
    assert "That fault is already fixed." in client.get("/faults").get_data(as_text=True)
    assert _faults(app_session)[0].fixed_at == first_fix
    assert _faults(app_session)[0].resolution == "Reset"


@pytest.fixture
def fault_history(app: Flask, app_session: Session) -> None:
    """Five faults over the last 90 days (one within SLA, one late, one overdue, one not yet due) and an old one."""
    estate = app.config["TEST_ESTATE"]
    now = datetime.now(UTC)

    def fault(description: str, opened_days_ago: float, sla_hours: int, fixed_after_hours: float | None) -> Fault:
        opened = now - timedelta(days=opened_days_ago)
        fixed = opened + timedelta(hours=fixed_after_hours) if fixed_after_hours is not None else None
        return Fault(camera_id=estate.town_camera, description=description, opened_at=opened,
                     target_fix_by=opened + timedelta(hours=sla_hours), fixed_at=fixed,
                     resolution="done" if fixed else "")

    app_session.add_all([
        fault("Fixed in time", 20, 24, 10),
        fault("Fixed late", 10, 4, 30),
        fault("Overdue and open", 5, 24, None),
        fault("Open, not yet due", 0.01, 168, None),
        fault("Long ago", 200, 4, 100),  # outside the 90-day window
    ])
    camera = app_session.get(Camera, estate.town_camera)
    camera.status = CameraStatus.FAULTY
    app_session.add(camera)
    app_session.commit()


def test_faults_page_shows_sla_figures_for_the_last_90_days(as_role, fault_history: None) -> None:
    html = as_role("advisory").get("/faults").get_data(as_text=True)
    sla = html.split('id="sla">', 1)[1].split("</p>", 1)[0]
    assert "Last 90 days: 4 faults, 2 open." in sla
    assert "33% of the 3 due were fixed within SLA." in sla


def test_faults_page_lists_open_faults_and_marks_overdue_ones(as_role, fault_history: None) -> None:
    client = as_role("operator")
    html = client.get("/faults").get_data(as_text=True)
    assert "Open faults" in html
    rows = {row.split("<td>")[4].split("</td>")[0]: row for row in html.split("<tr>")[2:] if "<td>" in row}
    assert set(rows) == {"Overdue and open", "Open, not yet due"}
    assert "overdue" in rows["Overdue and open"] and "overdue" not in rows["Open, not yet due"]
    everything = client.get("/faults?show=all").get_data(as_text=True)
    assert "All faults" in everything and "Fixed late" in everything and "Long ago" in everything


def test_times_are_shown_in_london_time(app: Flask, as_role, app_session: Session) -> None:
    opened = datetime(2024, 7, 1, 11, 30, tzinfo=UTC)  # 12:30 BST
    app_session.add(Fault(camera_id=app.config["TEST_ESTATE"].town_camera, description="Summer fault",
                          opened_at=opened, target_fix_by=opened + timedelta(hours=4)))
    app_session.commit()
    html = as_role("operator").get("/faults").get_data(as_text=True)
    assert "01 Jul 2024 12:30" in html and "01 Jul 2024 16:30" in html
