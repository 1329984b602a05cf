"""The estate's upkeep on its pages: the replacement programme and its CSV, a camera's costs, contracts with their
SLA share and PPM visits, body-worn issue and return (an overdue device shown), retention compliance, and funding
awards edited and withdrawn with their audit, the camera page naming the award that paid for it."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from inventory.lifecycle import financial_year, year_label
from inventory.models import Camera, Fault
from inventory.types import CameraKind, london_today
from inventory.upkeep_models import BodyWornIssue, MaintenanceContract, PpmSchedule

pytestmark = pytest.mark.usefixtures("quick_app")


def _camera(session: Session, **fields) -> Camera:
    camera = Camera(**fields)
    session.add(camera)
    session.commit()
    return camera


def test_the_programme_page_and_csv_show_a_cameras_recorded_cost_in_its_year(
        as_role, app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    admin = as_role("admin")
    # CS-001 is long past its 10 years: due now. Its recorded cost replaces the kind's estimate.
    response = admin.post(f"/cameras/{estate.town_camera}/lifecycle", data={
        "purchase_cost": "2400.00", "installation_cost": "800.50", "annual_maintenance_cost": "150"})
    assert response.status_code == 302
    _camera(app_session, asset_id="=CMD-1", name="=HYPERLINK(\"x\")", service_area_id=estate.parking,
            kind=CameraKind.CAR_PARK, install_date=date(2001, 1, 1))
    page = admin.get("/lifecycle").get_data(as_text=True)
    this_year = year_label(financial_year(london_today()))
    assert this_year in page and "£3,200" in page  # 2,400.00 + 800.50, shown to the pound
    rows = list(csv.reader(io.StringIO(admin.get("/lifecycle.csv").get_data(as_text=True))))
    by_asset = {row[1]: row for row in rows[1:]}
    assert by_asset["CS-001"][0] == this_year and by_asset["CS-001"][9] == "3200.50"
    assert by_asset["CS-001"][10] == "no" and by_asset["CS-001"][11] == "150.00"
    assert by_asset["'=CMD-1"][2] == "'=HYPERLINK(\"x\")"  # no cell runs as a formula
    assert app_session.exec(select(AuditEntry).where(AuditEntry.table_name == "camera_lifecycle")).first()


def test_a_cost_that_is_not_money_comes_back_beside_its_field(as_role, app: Flask, form_view) -> None:
    estate = app.config["TEST_ESTATE"]
    response = as_role("admin").post(f"/cameras/{estate.town_camera}/lifecycle",
                                     data={"purchase_cost": "12.345", "warranty_provider": "Axis UK"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("purchase_cost") and page.value("warranty_provider") == "Axis UK"


def test_a_contract_is_recorded_and_its_sla_share_shown(as_role, app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    supervisor = as_role("supervisor")
    response = supervisor.post("/contracts/new", data={
        "reference": "MC-2026", "contractor": "Acme CCTV", "service_area_id": str(estate.community_safety),
        "starts_on": "2020-01-01", "ends_on": "2035-12-31", "contact_email": "desk@acme.example",
        "sla_critical_hours": "2", "sla_high_hours": "8", "sla_medium_hours": "24", "sla_low_hours": "72"})
    assert response.status_code == 302
    supervisor.post(f"/cameras/{estate.town_camera}/faults",
                    data={"priority": "critical", "description": "Dark", "contractor": "", "contractor_ref": ""})
    app_session.expire_all()
    fault = app_session.exec(select(Fault).where(Fault.camera_id == estate.town_camera)).one()
    contract = app_session.exec(select(MaintenanceContract)).one()
    assert fault.contract_id == contract.id and fault.contractor == "Acme CCTV"
    assert fault.target_fix_by - fault.opened_at == timedelta(hours=2)  # the contract's own critical SLA
    fault.fixed_at = fault.opened_at + timedelta(hours=3)  # late against 2 h
    app_session.add(fault)
    app_session.commit()
    page = supervisor.get("/contracts").get_data(as_text=True)
    assert "MC-2026" in page and "0% of 1 due" in page


def test_a_bad_contract_keeps_what_was_typed(as_role, form_view) -> None:
    response = as_role("admin").post("/contracts/new", data={
        "reference": "MC-X", "contractor": "Acme", "starts_on": "2026-05-01", "ends_on": "2026-04-01",
        "contact_email": "not an address", "sla_critical_hours": "0", "sla_high_hours": "8",
        "sla_medium_hours": "24", "sla_low_hours": "72"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("contact_email") and page.error("sla_critical_hours") and page.value("reference") == "MC-X"


def test_a_ppm_visit_moves_the_schedule_on(as_role, app_session: Session) -> None:
    supervisor = as_role("supervisor")
    contract = MaintenanceContract(reference="MC-1", contractor="Acme", starts_on=date(2025, 1, 1),
                                   ends_on=date(2030, 1, 1))
    app_session.add(contract)
    app_session.commit()
    today = london_today()
    response = supervisor.post("/contracts/ppm/new", data={
        "contract_id": str(contract.id), "title": "Clean domes", "interval_months": "6",
        "next_due_on": (today - timedelta(days=3)).isoformat(), "remind_days_before": "14"})
    assert response.status_code == 302
    assert "overdue" in supervisor.get("/contracts").get_data(as_text=True)
    schedule = app_session.exec(select(PpmSchedule)).one()
    supervisor.post(f"/contracts/ppm/{schedule.id}/visit", data={"done_on": today.isoformat()})
    app_session.expire_all()
    assert app_session.get(PpmSchedule, schedule.id).last_done_on == today
    assert app_session.get(PpmSchedule, schedule.id).next_due_on > today


def test_body_worn_issue_shows_an_overdue_device_and_its_return(as_role, app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    device = _camera(app_session, asset_id="BWV-07", name="Body-worn 7", service_area_id=estate.parking,
                     kind=CameraKind.BODY_WORN)
    manager = as_role("service_manager")  # Parking's manager
    response = manager.post(f"/body-worn/{device.id}/issue", data={"officer_name": "CEO 12 Patel", "hours": "8"})
    assert response.status_code == 302
    issue = app_session.exec(select(BodyWornIssue)).one()
    page = manager.get("/body-worn").get_data(as_text=True)
    assert "CEO 12 Patel" in page and "1 out, 0 overdue" in page
    issue.due_back_at = datetime.now(UTC) - timedelta(minutes=5)  # the shift ended; the device is not back
    app_session.add(issue)
    app_session.commit()
    page = manager.get("/body-worn").get_data(as_text=True)
    assert "1 out, 1 overdue" in page
    manager.post(f"/body-worn/issues/{issue.id}/return")
    assert "0 out, 0 overdue" in manager.get("/body-worn").get_data(as_text=True)
    app_session.expire_all()
    assert app_session.get(BodyWornIssue, issue.id).returned_to == "service_manager"


def test_the_retention_list_flags_a_camera_kept_longer_than_policy(as_role, app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    camera = app_session.get(Camera, estate.car_park_camera)
    camera.retention_days = 60
    app_session.add(camera)
    app_session.commit()
    page = as_role("dpo").get("/cameras/retention").get_data(as_text=True)
    assert "PARK-001" in page and "longer than policy" in page and "PARK-COV-1" not in page


def test_funding_edited_and_withdrawn_is_audited_and_the_camera_shows_its_award(
        as_role, app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    planner = as_role("planner")
    planner.post("/funding/new", data={"reference": "S106-44", "source": "s106", "amount": "8000.00",
                                       "awarded_on": "2025-02-01", "asset_ids": "CS-001"})
    admin = as_role("admin")
    assert "Section 106 S106-44" in admin.get(f"/cameras/{estate.town_camera}").get_data(as_text=True)
    planner = as_role("planner")
    award_id = app_session.exec(select(AuditEntry.record_id).where(AuditEntry.table_name == "funding")).first()
    response = planner.post(f"/funding/{award_id}/edit", data={
        "reference": "S106-44", "source": "s106", "amount": "8500.00", "awarded_on": "2025-02-01",
        "asset_ids": "CS-001, PARK-001"})
    assert response.status_code == 302
    planner.post(f"/funding/{award_id}/withdraw", data={"reason": "Developer did not pay"})
    actions = app_session.exec(select(AuditEntry.action, AuditEntry.actor).where(
        AuditEntry.table_name == "funding")).all()
    assert [tuple(a) for a in actions] == [("create", "planner"), ("update", "planner"), ("update", "planner")]
    page = planner.get("/funding").get_data(as_text=True)
    assert "Withdrawn" in page and "Developer did not pay" in page
    admin = as_role("admin")
    shown = admin.get(f"/cameras/{estate.car_park_camera}").get_data(as_text=True)
    assert "S106-44" not in shown  # withdrawn: it no longer paid for anything


def test_the_evidence_flag_follows_the_cameras_stored_retention(as_role, app: Flask, app_session: Session) -> None:
    from cctv.controlroom import evidence
    from cctv.controlroom.models import EvidenceRequestBase

    estate = app.config["TEST_ESTATE"]
    now = datetime.now(UTC)
    request = evidence.record_request(
        app_session, EvidenceRequestBase(requesting_officer="PC 1 Jones", window_start=now - timedelta(days=40),
                                         window_end=now - timedelta(days=40) + timedelta(minutes=30)),
        [estate.town_camera], actor="operator", now=now)
    app_session.commit()
    supervisor = as_role("supervisor")
    assert "at risk" in supervisor.get("/evidence").get_data(as_text=True)  # 40 days ago, kept 31
    camera = app_session.get(Camera, estate.town_camera)
    camera.retention_days = 90
    app_session.add(camera)
    app_session.commit()
    assert "at risk" not in supervisor.get("/evidence").get_data(as_text=True)  # kept 90: still there
    assert "retention-risk" not in supervisor.get(f"/evidence/{request.id}").get_data(as_text=True)
