"""The scheduled DPIA job and `cctv scheduler`: reviews raised from inventory changes, the day's reminders sent
once (also by two processes at once, on SQLite and PostgreSQL), London dates across the clock change, dry runs."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from cctv.cli import cli
from cctv.cli.server import start_in_server
from cctv.db import Database
from cctv.jobs.dpia import JOB_ID, run_dpia_jobs
from cctv.jobs.scheduler import build_scheduler, daily_trigger
from cctv.jobs.settings import JobSettings
from cctv.models import metadata
from cctv.notifications.mailer import MailSettings
from cctv.notifications.models import InboxMessage
from dpia.models import DpiaReview
from dpia.types import ReviewReason
from inventory.models import Camera, CameraSystem, InventoryChange, ServiceArea
from inventory.types import CameraKind, ChangeKind
from tests.conftest import build_app
from tests.notifications.people import ADA, DANA, DEV, add_people
from tests.notifications.smtp import SmtpSink

LONDON = ZoneInfo("Europe/London")
# 06:00 on Monday 30 March 2026 in London, the day after the clocks went forward (BST, UTC+1).
MONDAY_SIX = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server on a free local port."""
    with SmtpSink() as sink:
        yield sink


def settings_for(smtp: SmtpSink | None) -> JobSettings:
    mail = MailSettings(host="127.0.0.1", port=smtp.port, timeout=5) if smtp else MailSettings()
    return JobSettings(mail=mail)


@pytest.fixture
def system(session: Session) -> int:
    """The accounts of tests/notifications/people.py and a system "Car parks" with one camera; the system's id."""
    add_people(session)
    area = ServiceArea(code="PARK", name="Parking Services")
    session.add(area)
    session.flush()
    car_parks = CameraSystem(name="Car parks", service_area_id=area.id)
    session.add(car_parks)
    session.flush()
    session.add(Camera(asset_id="PARK-001", name="Exchange Street", service_area_id=area.id, system_id=car_parks.id,
                       kind=CameraKind.CAR_PARK, location_text="Exchange Street", town="Aylesbury"))
    session.commit()
    return car_parks.id


def add_review(session: Session, system_id: int, due: date, key: str = "first:1") -> int:
    """An open review stored directly (as the register would have raised it)."""
    review = DpiaReview(key=key, system_id=system_id, reason=ReviewReason.FIRST, detail="no DPIA yet", due_on=due)
    session.add(review)
    session.commit()
    return review.id


def add_move(session: Session, at: datetime) -> int:
    """A pending inventory change: the system's camera moved at `at`."""
    camera = session.exec(select(Camera).where(Camera.asset_id == "PARK-001")).one()
    change = InventoryChange(kind=ChangeKind.CAMERA_MOVED, camera_id=camera.id, occurred_at=at, actor="planner",
                             detail="moved from Exchange Street to Cambridge Street")
    session.add(change)
    session.commit()
    return change.id


def review_id(session: Session, key: str) -> int:
    return session.exec(select(DpiaReview.id).where(DpiaReview.key == key)).one()


def test_the_job_raises_the_review_of_a_change_and_sends_its_reminder_once(database: Database, session: Session,
                                                                          system: int, smtp: SmtpSink) -> None:
    # Moved at 00:30 London time on the 30th (23:30 UTC on the 29th): the review is due on the 30th, at once.
    change = add_move(session, datetime(2026, 3, 29, 23, 30, tzinfo=UTC))
    report = run_dpia_jobs(database, now=MONDAY_SIX, settings=settings_for(smtp))
    assert report.today == date(2026, 3, 30) and report.raised == [f"change:{change}"]
    due_key = f"review:{review_id(session, f'change:{change}')}:due"
    assert [r.key for r in report.reminders] == [due_key] and report.delivery.sent == [due_key]
    assert smtp.deliveries() == [(DANA, due_key), (DEV, due_key)]
    assert "Car parks" in smtp.messages[0].message["Subject"]

    again = run_dpia_jobs(database, now=MONDAY_SIX + timedelta(hours=1), settings=settings_for(smtp))
    assert again.raised == [] and again.delivery.skipped == [due_key] and len(smtp.messages) == 1
    session.expire_all()
    assert len(session.exec(select(InboxMessage)).all()) == 2


def test_reminders_follow_the_london_date_across_the_clock_change(database: Database, session: Session,
                                                                  system: int, smtp: SmtpSink) -> None:
    # Due on Sunday 29 March 2026: the clocks go forward at 01:00 UTC that morning.
    rid = add_review(session, system, date(2026, 3, 29))
    runs = [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), f"review:{rid}:before:7"),  # 23:30 GMT on the 28th
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), f"review:{rid}:due"),  # 00:30 GMT on the 29th
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), f"review:{rid}:overdue:0"),  # 00:30 BST on the 30th
    ]
    for now, key in runs:
        report = run_dpia_jobs(database, now=now, settings=settings_for(smtp))
        assert report.delivery.sent == [key], now
    assert [m.key for m in smtp.messages] == [key for _, key in runs]
    assert smtp.messages[2].rcpt_tos == (ADA, DANA, DEV)  # the escalation also goes to the admin


def test_the_daily_run_stays_at_six_in_the_morning_london_time() -> None:
    trigger = daily_trigger(JobSettings(hour=6))
    spring = trigger.get_next_fire_time(None, datetime(2026, 3, 28, 12, tzinfo=UTC))
    autumn = trigger.get_next_fire_time(None, datetime(2026, 10, 24, 12, tzinfo=UTC))
    assert spring.astimezone(UTC) == datetime(2026, 3, 29, 5, tzinfo=UTC)  # 06:00 BST
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 6, tzinfo=UTC)  # 06:00 GMT


def snapshot(database: Database) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with database.engine.connect() as connection:
        return {name: sorted(map(tuple, connection.execute(sa_select(table))), key=repr)
                for name, table in metadata.tables.items()}


def test_a_dry_run_sends_nothing_and_writes_nothing(database: Database, session: Session, system: int,
                                                    smtp: SmtpSink) -> None:
    rid = add_review(session, system, date(2026, 3, 30))
    change = add_move(session, datetime(2026, 3, 29, 23, 30, tzinfo=UTC))
    before = snapshot(database)
    report = run_dpia_jobs(database, now=MONDAY_SIX, settings=settings_for(smtp), dry_run=True)
    assert report.dry_run and report.raised == [f"change:{change}"]
    assert report.delivery.sent == [f"review:{rid}:due"] and report.delivery.recipients[f"review:{rid}:due"] == (
        DANA, DEV)
    assert smtp.messages == []
    assert snapshot(database) == before
    assert "would be raised from inventory changes: 1" in "\n".join(report.lines())


def test_the_background_scheduler_runs_the_job_at_start(database: Database, session: Session, system: int,
                                                        smtp: SmtpSink) -> None:
    today = datetime.now(LONDON).date()
    rid = add_review(session, system, today)
    scheduler = build_scheduler(settings_for(smtp), database, blocking=False)
    scheduler.start()
    try:
        smtp.wait_for(1)
        job = scheduler.get_job(JOB_ID)
        assert {j.id for j in scheduler.get_jobs()} == {JOB_ID, "maintenance_daily"}  # PPM reminders, daily too
        assert (job.id, job.coalesce, job.max_instances, job.misfire_grace_time) == (JOB_ID, True, 1, None)
        assert str(job.trigger.timezone) == "Europe/London" and "hour='6'" in str(job.trigger)
        assert job.next_run_time.hour == 6 and job.next_run_time > datetime.now(LONDON)  # then daily at 06:00
    finally:
        scheduler.shutdown(wait=True)
    assert smtp.deliveries() == [(DANA, f"review:{rid}:due"), (DEV, f"review:{rid}:due")]


def test_the_dev_server_hosts_the_scheduler_only_when_configured_and_only_in_the_serving_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app(f"sqlite:///{tmp_path}/serve.sqlite3", ENV="production",
                    SECRET_KEY="not-the-default-but-a-32-character-secret")
    assert start_in_server(app, use_reloader=False) is None  # production: `cctv scheduler` runs on its own
    app.config.update(ENV="development", SCHEDULER_IN_SERVER=False)
    assert start_in_server(app, use_reloader=False) is None  # switched off
    app.config["SCHEDULER_IN_SERVER"] = None  # the default: on for the development server
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert start_in_server(app, use_reloader=True) is None  # the reloader's parent only watches files
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    scheduler = start_in_server(app, use_reloader=True)
    assert scheduler is not None and scheduler.running and scheduler.get_job(JOB_ID) is not None
    scheduler.shutdown(wait=True)
    app.extensions["cctv_db"].engine.dispose()


def test_the_command_reads_now_as_london_time_and_refuses_now_without_once(tmp_path: Path) -> None:
    app = build_app(f"sqlite:///{tmp_path}/cli.sqlite3")
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["scheduler", "--once", "--dry-run", "--now", "2026-03-30T00:30"])
    assert result.exit_code == 0, result.output
    assert "DPIA job for 2026-03-30 (at 2026-03-30T00:30:00+01:00) — dry run:" in result.output
    result = runner.invoke(cli, ["scheduler", "--now", "2026-03-30T00:30"])
    assert result.exit_code == 2 and "--now only makes sense with --once" in result.output
    app.extensions["cctv_db"].engine.dispose()


def test_two_scheduler_processes_at_once_send_each_reminder_once(database: Database, session: Session, system: int,
                                                                 smtp: SmtpSink) -> None:
    rid = add_review(session, system, date(2026, 3, 30))
    change = add_move(session, datetime(2026, 3, 29, 23, 30, tzinfo=UTC))  # raised by whichever process wins
    env = {**os.environ, "CCTV_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
           "CCTV_SMTP_HOST": "127.0.0.1", "CCTV_SMTP_PORT": str(smtp.port), "CCTV_SECRET_KEY": "test"}
    cctv = Path(sys.executable).parent / "cctv"
    command = [str(cctv), "scheduler", "--once", "--now", "2026-03-30T06:00:00+01:00"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    change_review = review_id(session, f"change:{change}")
    keys = [f"review:{rid}:due", f"review:{change_review}:due"]
    assert smtp.deliveries() == sorted((address, key) for key in keys for address in (DANA, DEV))
    assert len(smtp.messages) == 2
    session.expire_all()
    assert len(session.exec(select(DpiaReview)).all()) == 2
    assert sorted(m.reminder_key for m in session.exec(select(InboxMessage))) == sorted(keys * 2)
