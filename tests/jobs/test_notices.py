"""Operator notices in the inbox: evidence waiting, disclosures due within 3 days or overdue, unsigned handovers and
faults past their SLA, each posted once per user (across runs and processes), to the roles that act on it, within
their service areas and never about a covert camera they may not see."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from cctv.auth.models import Role, User
from cctv.controlroom.models import ControlRoom, Disclosure, EvidenceCamera, EvidenceRequest, Shift
from cctv.controlroom.types import DisclosureKind, DisclosureStatus
from cctv.db import Database
from cctv.jobs.notices import post_notices, run_notices
from cctv.jobs.scheduler import build_scheduler
from cctv.jobs.settings import JobSettings
from cctv.notifications.inbox import inbox, mark_read, unread_count
from cctv.notifications.models import InboxMessage
from inventory.models import Fault
from inventory.types import FaultPriority
from tests.conftest import Estate, add_users

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # Tuesday 10 March 2026, 12:00 in London (GMT)
HOUR = timedelta(hours=1)


def _evidence(session: Session, camera_id: int, *, produced: bool = False) -> int:
    request = EvidenceRequest(requesting_officer="PC 12 Smith", police_reference="URN 43/1",
                              window_start=NOW - 5 * HOUR, window_end=NOW - 4 * HOUR, requested_at=NOW - 2 * HOUR,
                              produced_at=NOW - HOUR if produced else None)
    session.add(request)
    session.flush()
    session.add(EvidenceCamera(evidence_id=request.id, camera_id=camera_id))
    return request.id


def _disclosure(session: Session, due: date, *, extended: date | None = None,
                status: DisclosureStatus = DisclosureStatus.OPEN) -> int:
    d = Disclosure(kind=DisclosureKind.SUBJECT_ACCESS, requester="Jane Roe", received_on=due - timedelta(days=30),
                   due_on=due, extended_to=extended, status=status)
    session.add(d)
    session.flush()
    return d.id


def _fault(session: Session, camera_id: int, target: datetime, *, fixed: bool = False) -> int:
    f = Fault(camera_id=camera_id, priority=FaultPriority.HIGH, description="Picture frozen",
              opened_at=target - 8 * HOUR, target_fix_by=target, fixed_at=target if fixed else None)
    session.add(f)
    session.flush()
    return f.id


@pytest.fixture
def known(session: Session, estate: Estate) -> dict[str, int]:
    """The accounts (one per role; the supervisor has covert access, the service manager Parking only, plus a
    supervisor without covert access) and one record for each case a notice is, or is not, for."""
    add_users(session, estate.parking)
    session.add(User(username="sup2", role=Role.SUPERVISOR, password_hash="x"))
    session.add(User(username="gone", role=Role.SUPERVISOR, password_hash="x", active=False))
    room = ControlRoom(code="WY", name="Wycombe")
    session.add(room)
    session.flush()
    ids = {
        "evidence": _evidence(session, estate.town_camera),
        "evidence_covert": _evidence(session, estate.covert_camera),
        "evidence_produced": _evidence(session, estate.town_camera, produced=True),
        "due_in_2": _disclosure(session, date(2026, 3, 12)),
        "due_in_3": _disclosure(session, date(2026, 3, 13)),  # the third day ahead still counts
        "due_in_4": _disclosure(session, date(2026, 3, 14)),
        "overdue": _disclosure(session, date(2026, 3, 9)),
        "closed": _disclosure(session, date(2026, 3, 9), status=DisclosureStatus.DISCLOSED),
        "extended": _disclosure(session, date(2026, 3, 9), extended=date(2026, 4, 9)),
        "fault_park": _fault(session, estate.car_park_camera, NOW - HOUR),
        "fault_town": _fault(session, estate.town_camera, NOW - HOUR),
        "fault_covert": _fault(session, estate.covert_camera, NOW - HOUR),
        "fault_not_yet": _fault(session, estate.town_camera, NOW + HOUR),
        "fault_fixed": _fault(session, estate.town_camera, NOW - HOUR, fixed=True),
    }
    unsigned = Shift(control_room_id=room.id, operators="operator", started_at=NOW - 12 * HOUR, started_by="operator",
                     ended_at=NOW - HOUR, handover_notes="Quiet.")
    signed = Shift(control_room_id=room.id, operators="operator", started_at=NOW - 30 * HOUR, started_by="operator",
                   ended_at=NOW - 20 * HOUR, handover_notes="Busy.", signed_by="supervisor", signed_at=NOW - 20 * HOUR)
    session.add_all([unsigned, signed])
    session.commit()
    return {**ids, "shift": unsigned.id}


def test_each_notice_goes_to_the_users_who_act_on_it(session: Session, known: dict[str, int]) -> None:
    report = post_notices(session, now=NOW)
    session.commit()
    k = known
    assert report.posted == {
        f"notice:evidence:{k['evidence']}": ["admin", "supervisor", "sup2"],
        f"notice:evidence:{k['evidence_covert']}": ["admin", "supervisor"],  # sup2 may not see the covert camera
        f"notice:disclosure-due:{k['due_in_2']}": ["admin", "supervisor", "dpo", "sup2"],
        f"notice:disclosure-due:{k['due_in_3']}": ["admin", "supervisor", "dpo", "sup2"],
        f"notice:disclosure-overdue:{k['overdue']}": ["admin", "supervisor", "dpo", "sup2"],
        f"notice:handover:{k['shift']}": ["admin", "supervisor", "sup2"],  # not the operator who handed over
        f"notice:fault-sla:{k['fault_park']}": ["admin", "supervisor", "service_manager", "sup2"],
        f"notice:fault-sla:{k['fault_town']}": ["admin", "supervisor", "sup2"],  # not Parking's manager
        f"notice:fault-sla:{k['fault_covert']}": ["admin", "supervisor"],
    }
    assert report.messages == 29
    assert session.exec(select(InboxMessage)).all().__len__() == 29
    dpo = session.exec(select(User).where(User.username == "dpo")).one()
    messages = {m.reminder_key: m for m in inbox(session, dpo.id)}
    overdue = messages[f"notice:disclosure-overdue:{k['overdue']}"]
    assert overdue.subject == f"Subject access request #{k['overdue']} is overdue: 09 Mar 2026"
    assert overdue.link == f"/disclosures/{k['overdue']}"
    assert "Jane Roe" not in overdue.subject + overdue.body  # the inbox points at the request; it names no one
    assert unread_count(session, dpo.id) == 3


def test_a_notice_is_posted_once_however_often_the_job_runs(database: Database, known: dict[str, int]) -> None:
    first = run_notices(database, now=NOW)
    assert first.messages == 29
    with database.session("tester") as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        message = inbox(s, admin.id)[0]
        mark_read(s, admin.id, message.id, now=NOW)
        s.commit()
    again = run_notices(database, now=NOW + HOUR)
    assert again.posted == {} and again.messages == 0
    with database.session("tester") as s:
        assert len(s.exec(select(InboxMessage)).all()) == 29
        assert s.get(InboxMessage, message.id).read_at is not None  # a read notice stays read
    # Three days on, the disclosure that was due becomes overdue: that is a new notice, once.
    later = run_notices(database, now=NOW + timedelta(days=3))
    assert sorted(later.posted) == sorted([f"notice:disclosure-overdue:{known['due_in_2']}",
                                           f"notice:disclosure-due:{known['due_in_4']}",
                                           f"notice:fault-sla:{known['fault_not_yet']}"])
    assert run_notices(database, now=NOW + timedelta(days=3)).messages == 0


def test_a_second_process_racing_posts_nothing_twice(database: Database, known: dict[str, int]) -> None:
    # Two runs in overlapping transactions: the second read the inbox before the first committed, so both try to
    # insert; the unique (user, key) pair turns the second's inserts into no-ops instead of duplicates.
    with database.session("a") as a, database.session("b") as b:
        first = post_notices(a, now=NOW)
        a.commit()
        second = post_notices(b, now=NOW)
        b.commit()
    assert first.messages == 29 and second.messages == 0
    with database.session("tester") as s:
        assert len(s.exec(select(InboxMessage)).all()) == 29


def test_a_dry_run_writes_nothing(database: Database, known: dict[str, int]) -> None:
    assert run_notices(database, now=NOW, dry_run=True).messages == 29
    with database.session("tester") as s:
        assert s.exec(select(InboxMessage)).all() == []


def test_the_scheduler_runs_the_notices_every_few_minutes(database: Database) -> None:
    scheduler = build_scheduler(JobSettings(notices_every_minutes=15), database, blocking=False)
    job = scheduler.get_job("operator_notices")
    assert job is not None and job.trigger.interval == timedelta(minutes=15)
    assert build_scheduler(JobSettings(), database, blocking=False).get_job("operator_notices") is None


def test_losing_a_race_for_a_message_keeps_the_rest_of_the_run(session: Session, known: dict[str, int],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Another process posted the admin's evidence notice between this run's read of the inboxes and its insert:
    # modelled by a run that does not see what is there. The duplicate is refused; every other message still goes.
    admin = session.exec(select(User).where(User.username == "admin")).one()
    key = f"notice:evidence:{known['evidence']}"
    session.add(InboxMessage(user_id=admin.id, reminder_key=key, subject="posted by the other process"))
    session.commit()
    monkeypatch.setattr("cctv.jobs.notices._already", lambda _session, _keys: set())
    report = post_notices(session, now=NOW)
    session.commit()
    assert report.posted[key] == ["supervisor", "sup2"] and report.messages == 28
    assert len(session.exec(select(InboxMessage)).all()) == 29


def test_the_command_posts_the_notices(app) -> None:
    from cctv.cli import cli

    with app.extensions["cctv_db"].transaction("fixture") as s:
        s.add(EvidenceRequest(requesting_officer="PC 12 Smith", window_start=NOW, window_end=NOW, requested_at=NOW))
    runner = app.test_cli_runner()
    dry = runner.invoke(cli, args=["incidents", "notices", "--dry-run", "--now", NOW.isoformat()])
    assert dry.exit_code == 0, dry.output
    assert "notice:evidence:1: admin, supervisor" in dry.output
    assert "Would post 2 message(s) for 1 notice(s)." in dry.output
    real = runner.invoke(cli, args=["incidents", "notices", "--now", NOW.isoformat()])
    assert "Posted 2 message(s)" in real.output
    assert "Posted 0 message(s)" in runner.invoke(cli, args=["incidents", "notices"]).output
