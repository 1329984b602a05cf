"""PPM reminders through the scheduler's maintenance job: "due" sent once when the visit comes within its reminder
window, "overdue" sent once the day after the due date passes without a visit, both into the supervisors' inboxes;
a recorded visit moves the due date on by the interval."""

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from cctv.auth.models import Role, User
from cctv.db import Database
from cctv.jobs.maintenance import run_maintenance_jobs
from cctv.jobs.settings import JobSettings
from cctv.notifications.models import InboxMessage
from inventory.ppm import add_months, add_schedule, record_visit, state
from inventory.upkeep_models import MaintenanceContract, PpmSchedule, PpmScheduleBase
from tests.conftest import PASSWORD_HASH

SETTINGS = JobSettings()  # no SMTP: the inbox and the log


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, tzinfo=UTC)


def _schedule(session: Session) -> int:
    """Supervisor Sam (gets PPM reminders), operator Olly (does not); an annual clean due 1 July 2026, reminded
    14 days before."""
    session.add_all([User(username="sam", role=Role.SUPERVISOR, password_hash=PASSWORD_HASH),
                     User(username="olly", role=Role.OPERATOR, password_hash=PASSWORD_HASH)])
    contract = MaintenanceContract(reference="MC-1", contractor="Acme CCTV", starts_on=date(2026, 1, 1),
                                   ends_on=date(2028, 12, 31))
    session.add(contract)
    session.flush()
    schedule = add_schedule(session, PpmScheduleBase(contract_id=contract.id, title="Annual clean and check",
                                                     next_due_on=date(2026, 7, 1), remind_days_before=14))
    session.commit()
    return schedule.id


def _inbox(session: Session) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.exec(select(User.username, InboxMessage.reminder_key).join(
        InboxMessage, InboxMessage.user_id == User.id).order_by(InboxMessage.id)).all()
    return [tuple(row) for row in rows]


def test_a_ppm_visit_due_then_overdue_is_reminded_once_each(database: Database, session: Session) -> None:
    sid = _schedule(session)
    assert run_maintenance_jobs(database, now=_at(date(2026, 6, 16)), settings=SETTINGS).reminders == []

    due = run_maintenance_jobs(database, now=_at(date(2026, 6, 17)), settings=SETTINGS)  # 14 days before
    key = f"ppm:{sid}:2026-07-01:due"
    assert [r.key for r in due.reminders] == [key] and due.delivery.inbox_only == [key]
    again = run_maintenance_jobs(database, now=_at(date(2026, 6, 20)), settings=SETTINGS)
    assert again.delivery.skipped == [key] and again.delivery.inbox_only == []
    assert run_maintenance_jobs(database, now=_at(date(2026, 7, 1)), settings=SETTINGS).delivery.skipped == [key]

    late = f"ppm:{sid}:2026-07-01:overdue"
    assert run_maintenance_jobs(database, now=_at(date(2026, 7, 2)), settings=SETTINGS).delivery.inbox_only == [late]
    assert run_maintenance_jobs(database, now=_at(date(2026, 7, 9)), settings=SETTINGS).delivery.skipped == [late]
    assert _inbox(session) == [("sam", key), ("sam", late)]

    schedule = session.get(PpmSchedule, sid)
    record_visit(session, schedule, done_on=date(2026, 7, 10))
    session.commit()
    assert (schedule.next_due_on, schedule.last_done_on) == (date(2027, 7, 1), date(2026, 7, 10))
    assert state(schedule, date(2026, 7, 11)) == "planned"
    assert run_maintenance_jobs(database, now=_at(date(2026, 7, 11)), settings=SETTINGS).reminders == []


def test_a_dry_run_sends_nothing(database: Database, session: Session) -> None:
    _schedule(session)
    report = run_maintenance_jobs(database, now=_at(date(2026, 7, 5)), settings=SETTINGS, dry_run=True)
    assert len(report.reminders) == 1 and _inbox(session) == []


def test_months_are_added_as_a_calendar_does() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
