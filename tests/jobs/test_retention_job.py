"""The incident retention job as the scheduler and `cctv incidents retention` run it: configured periods, a dry
run that changes nothing, a real run that anonymises and is audited as the retention job, and the daily schedule."""

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlmodel import select

from cctv.audit import AuditEntry
from cctv.cli import cli
from cctv.controlroom.models import ControlRoom, Incident, IncidentCategory
from cctv.jobs.retention import JOB_ID, run_retention
from cctv.jobs.scheduler import build_scheduler
from cctv.jobs.settings import rule_from_config, settings_from_config

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
NARRATIVE = "Jane Doe of 2 Mill Lane shouted at door staff."


def _incidents(app: Flask) -> None:
    """One incident 800 days old (past anonymisation), one 400 days old (review only), one a week old."""
    with app.extensions["cctv_db"].transaction("fixture") as s:
        room = ControlRoom(code="WY", name="Wycombe")
        s.add_all([room, IncidentCategory(code="public_order", label="Public order")])
        s.flush()
        for number, days in enumerate((800, 400, 7), start=1):
            at = NOW - timedelta(days=days)
            s.add(Incident(reference=f"WY-{at.year}-{number:06d}", control_room_id=room.id, ref_year=at.year,
                           ref_number=number, occurred_at=at, logged_at=at, category="public_order",
                           operator="alice", monitored_session=at.date(), narrative=NARRATIVE))


def _narratives(app: Flask) -> dict[int, str]:
    with app.extensions["cctv_db"].session() as s:
        return {i.ref_number: i.narrative for i in s.exec(select(Incident))}


def test_the_periods_come_from_configuration(app: Flask) -> None:
    app.config.update(INCIDENT_REVIEW_AFTER_DAYS=30, INCIDENT_ANONYMISE_AFTER_DAYS=90)
    rule = rule_from_config(app.config)
    assert (rule.review_after_days, rule.anonymise_after_days) == (30, 90)
    assert settings_from_config(app.config).retention == rule


def test_a_dry_run_lists_and_changes_nothing_then_the_run_anonymises_as_the_retention_job(app: Flask) -> None:
    _incidents(app)
    database, rule = app.extensions["cctv_db"], rule_from_config(app.config)  # 365 and 730 days by default

    dry = run_retention(database, now=NOW, rule=rule, dry_run=True)
    assert (len(dry.flagged), len(dry.anonymised)) == (1, 1)
    assert set(_narratives(app).values()) == {NARRATIVE}

    report = run_retention(database, now=NOW, rule=rule)
    narratives = _narratives(app)
    assert report.anonymised == [dry.anonymised[0]] and report.flagged == dry.flagged
    assert "Jane Doe" not in narratives[1] and narratives[2] == narratives[3] == NARRATIVE
    with database.session() as s:
        actors = set(s.exec(select(AuditEntry.actor).where(AuditEntry.table_name == "incident")))
    assert "retention" in actors
    assert run_retention(database, now=NOW, rule=rule).anonymised == []  # idempotent


def test_the_command_reports_a_dry_run(app: Flask) -> None:
    _incidents(app)
    result = app.test_cli_runner().invoke(cli, args=["incidents", "retention", "--dry-run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "would flag 1 for review" in result.output and "would anonymise 1" in result.output
    assert set(_narratives(app).values()) == {NARRATIVE}


def test_the_scheduler_runs_the_retention_job_daily(app: Flask) -> None:
    scheduler = build_scheduler(settings_from_config(app.config), app.extensions["cctv_db"], blocking=False)
    job = scheduler.get_job(JOB_ID)
    assert job is not None and "hour='6'" in str(job.trigger)
