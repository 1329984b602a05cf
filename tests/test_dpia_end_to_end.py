"""Issue 4's promise, end to end: a camera moved on the inventory page shows up, with nobody doing anything else,
as a review due on the DPO dashboard and as one reminder in a real SMTP server's inbox after the scheduler's next
run (its clock injected)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlmodel import select

from cctv.jobs.dpia import run_dpia_jobs
from cctv.jobs.settings import settings_from_config
from dpia import register
from dpia.models import DpiaBase, DpiaRiskBase
from inventory.models import Camera, CameraSystem
from tests.notifications.smtp import SmtpSink

DPO_MAILBOX = "dpo@council.example"
SIGNED_ON = date(2026, 6, 1)
LONDON = ZoneInfo("Europe/London")


def next_morning() -> datetime:
    """The scheduler's next 06:00 London run after now (the move below happens at the real time)."""
    tomorrow = datetime.now(LONDON).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(6, 0), tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server on a free local port."""
    with SmtpSink() as sink:
        yield sink


def _signed_off_system(app: Flask) -> int:
    """CS-001 in a system whose DPIA was signed off in June: nothing is due before the move."""
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].transaction("dpo") as s:
        system = CameraSystem(name="High Wycombe town centre", service_area_id=estate.community_safety)
        s.add(system)
        s.flush()
        s.get(Camera, estate.town_camera).system_id = system.id
        draft = register.start_dpia(s, system.id, actor="dpo")
        register.update_draft(s, draft.id, DpiaBase(
            need="n", processing="p", evidence="e", consultation="c", necessity="x",
            measures_approved_by="Head of Service", residual_risk_approved_by="Director", dpo_name="Pat",
            dpo_advice="Proceed", dpo_advice_accepted=True, reviewer="CCTV manager"), actor="dpo")
        register.add_risk(s, draft.id, DpiaRiskBase(description="Collateral intrusion", measures="Masks"))
        register.sign_off(s, draft.id, actor="dpo", today=SIGNED_ON)
        return system.id


def test_a_camera_moved_on_its_page_is_a_review_on_the_dashboard_and_one_email(app: Flask, as_role,
                                                                                 smtp: SmtpSink) -> None:
    _signed_off_system(app)
    estate = app.config["TEST_ESTATE"]
    dpo = as_role("dpo")
    before = dpo.get("/dpia").get_data(as_text=True)
    assert "CS-001" not in before  # nothing about the camera is due yet

    supervisor = as_role("supervisor")
    moved = supervisor.post(f"/cameras/{estate.town_camera}/move", data={
        "to_location_text": "Oxford Road roundabout", "to_town": "High Wycombe", "longitude": "-0.7560",
        "latitude": "51.6280", "reason": "Pole replaced after a collision"})
    assert moved.status_code == 302

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, DPO_EMAILS=DPO_MAILBOX)
    run_at = next_morning()
    report = run_dpia_jobs(app.extensions["cctv_db"], now=run_at, settings=settings_from_config(app.config))
    assert len(report.raised) == 1

    dashboard = as_role("dpo").get("/dpia")
    page = dashboard.get_data(as_text=True)
    assert dashboard.status_code == 200
    assert "CS-001" in page and "Oxford Road roundabout" in page  # the review names the camera and its move

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message.rcpt_tos == (DPO_MAILBOX,)
    assert "High Wycombe town centre" in str(message.message["Subject"])
    assert message.key.endswith(":due")  # the DPO's "due today", not an escalation

    run_dpia_jobs(app.extensions["cctv_db"], now=run_at + timedelta(hours=1),
                  settings=settings_from_config(app.config))
    assert len(smtp.messages) == 1  # the next run sends nothing again
    with app.extensions["cctv_db"].session() as s:
        assert s.exec(select(Camera.location_text).where(Camera.id == estate.town_camera)).one() == \
            "Oxford Road roundabout"
