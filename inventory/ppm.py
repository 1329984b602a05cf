"""Planned preventive maintenance (PPM): schedules under a contract, visits recorded, and the reminders due.

A schedule has one next due date. `ppm_reminders` works out, for a London date, the reminders a schedule calls for:
"due" from `remind_days_before` days before the due date up to the day itself, and "overdue" once the date has
passed without a visit. Each reminder's key names the schedule, the due date and the kind, so the notifications
(which claim each key once) send it once, however often the job runs; recording a visit moves the due date on and
the next round of reminders has new keys.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from inventory.upkeep_models import MaintenanceContract, PpmSchedule, PpmScheduleBase

AUDIENCE = "maintenance"  # the CCTV managers (supervisors) and admins: cctv.notifications.recipients


class ScheduleNotFound(LookupError):
    """No PPM schedule with that id."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31 Jan + 1 -> 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def add_schedule(session: Session, data: PpmScheduleBase) -> PpmSchedule:
    """Record a schedule under an existing contract."""
    if session.get(MaintenanceContract, data.contract_id) is None:
        raise LookupError("no such contract")
    schedule = PpmSchedule.model_validate(data.model_dump())
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, schedule_id: int) -> PpmSchedule:
    schedule = session.get(PpmSchedule, schedule_id)
    if schedule is None:
        raise ScheduleNotFound(schedule_id)
    return schedule


def list_schedules(session: Session) -> list[PpmSchedule]:
    """Every schedule, soonest due first."""
    return list(session.exec(select(PpmSchedule).order_by(col(PpmSchedule.next_due_on), col(PpmSchedule.id))))


def record_visit(session: Session, schedule: PpmSchedule, *, done_on: date) -> PpmSchedule:
    """A visit done: the schedule keeps its rhythm, its next due date moving on by the interval past the visit."""
    schedule.last_done_on = done_on
    due = schedule.next_due_on
    while due <= done_on:
        due = add_months(due, schedule.interval_months)
    schedule.next_due_on = due
    session.add(schedule)
    session.flush()
    return schedule


def state(schedule: PpmSchedule, today: date) -> str:
    """'overdue', 'due' (within its reminder window) or 'planned'."""
    if today > schedule.next_due_on:
        return "overdue"
    if today >= schedule.next_due_on - timedelta(days=schedule.remind_days_before):
        return "due"
    return "planned"


@dataclass(frozen=True)
class PpmReminder:
    """A PPM reminder in the shape cctv.notifications.delivery delivers."""

    key: str
    audience: str
    subject: str
    body: str
    link: str


def ppm_reminders(session: Session, today: date) -> list[PpmReminder]:
    """The reminders the schedules call for on a London date (one per schedule at most)."""
    contracts = {c.id: c for c in session.exec(select(MaintenanceContract))}
    reminders = []
    for schedule in list_schedules(session):
        kind = state(schedule, today)
        if kind == "planned":
            continue
        contract = contracts.get(schedule.contract_id)
        who = f"{contract.contractor} ({contract.reference})" if contract is not None else "the contractor"
        due = schedule.next_due_on.strftime("%-d %B %Y")
        subject = (f"PPM overdue: {schedule.title}, due {due}" if kind == "overdue"
                   else f"PPM due: {schedule.title} by {due}")
        reminders.append(PpmReminder(
            key=f"ppm:{schedule.id}:{schedule.next_due_on.isoformat()}:{kind}", audience=AUDIENCE,
            subject=subject[:200],
            body=f"{schedule.title} ({schedule.covers or 'as the contract sets out'}) by {who} is {kind}: due {due}."
                 " Record the visit on the contracts page once it is done.",
            link="/contracts",
        ))
    return reminders
