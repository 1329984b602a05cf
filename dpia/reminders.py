"""Which reminders are due today: before a review or self-assessment is due, on the day, and escalations after.

`due_reminders` only reads. Each reminder has a key that names one sending of it ("review:7:before:30",
"review:7:due", "review:7:overdue:2", "assessment:4:before:7"); the notifications layer claims keys so each is
sent once however often the job runs. So the function may return the same reminder on several days (the 30-day
one every day from 30 down to 8 days before): only the first claim sends it.

Dates are London dates: the caller passes `today` as the date in Europe/London (`inventory.types.london_date`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from dpia.models import DpiaReview
from dpia.reviews import REASON_LABELS, open_reviews
from dpia.selfassessment import next_assessment
from inventory.models import Camera, CameraSystem
from inventory.scope import covert_system_ids
from inventory.types import CameraKind

ASSESSMENT_LINK = "/dpia/self-assessment"
RESTRICTED_SYSTEM = "a system with restricted access"  # a covert system, never named in a reminder


@dataclass(frozen=True)
class Reminder:
    """One message to send once: to the DPO ("dpo") or, when overdue, to the DPO and administrators ("escalation")."""

    key: str
    audience: str
    subject: str
    body: str
    link: str


def reminder_stage(due: date, today: date, before_days: Sequence[int], escalate_every_days: int) -> str | None:
    """The stage of a thing due on `due` as seen `today`: "before:<days>", "due", "overdue:<n>", or None (too early).

    Before the date, only the nearest threshold not yet passed counts: with (30, 7) at 5 days before it is the
    7-day one, at 20 days before the 30-day one. Overdue, n counts whole escalation periods since the date, so
    each period gives one escalation.
    """
    if today == due:
        return "due"
    if today > due:
        return f"overdue:{(today - due).days // max(escalate_every_days, 1)}"
    days_left = (due - today).days
    reached = [days for days in before_days if days >= days_left]
    return f"before:{min(reached)}" if reached else None


def _when(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _review_text(session: Session, review: DpiaReview) -> tuple[str, str]:
    """The system's name and what the review is about, with nothing of a covert camera or a covert system.

    Reminders go to DPOs and escalations to administrators who may not have covert access: a covert system (its
    cameras all covert) is not named, and a covert camera's change names no camera and does not say it is covert."""
    system = session.get(CameraSystem, review.system_id)
    name = system.name if system else f"system {review.system_id}"
    if session.exec(select(Camera.id).where(col(Camera.system_id).in_(covert_system_ids()),
                                            Camera.system_id == review.system_id)).first() is not None:
        name = RESTRICTED_SYSTEM
    camera = session.get(Camera, review.camera_id) if review.camera_id is not None else None
    if camera is not None and camera.kind == CameraKind.COVERT:
        about = "a change to a camera in this system (see the register)"
    else:
        about = review.detail
    reason = REASON_LABELS.get(review.reason, str(review.reason))
    return name, f"{reason}: {about}" if about else reason


def _review_reminder(session: Session, review: DpiaReview, stage: str, today: date) -> Reminder:
    name, about = _review_text(session, review)
    due = _when(review.due_on)
    if stage == "due":
        subject = f"DPIA review due today: {name}"
        lead = f"The DPIA of {name} is due for review today ({due})."
    elif stage.startswith("overdue"):
        days = (today - review.due_on).days
        subject = f"Overdue DPIA review: {name}"
        lead = f"The DPIA review of {name} was due on {due} and is {days} day{'s' if days != 1 else ''} overdue."
    else:
        subject = f"DPIA review due on {due}: {name}"
        lead = f"The DPIA of {name} is due for review on {due}."
    body = f"{lead}\n\nReason: {about}\n\nA signed-off new version of the DPIA closes the review."
    return Reminder(key=f"review:{review.id}:{stage}", audience=_audience(stage), subject=subject, body=body,
                    link=f"/dpia/systems/{review.system_id}")


def _assessment_reminder(assessment_id: int, due_on: date, stage: str, today: date) -> Reminder:
    due = _when(due_on)
    if stage == "due":
        subject = "Surveillance camera code self-assessment due today"
        lead = f"The yearly self-assessment against the 12 guiding principles is due today ({due})."
    elif stage.startswith("overdue"):
        days = (today - due_on).days
        subject = "Overdue surveillance camera code self-assessment"
        lead = (f"The yearly self-assessment against the 12 guiding principles was due on {due} and is "
                f"{days} day{'s' if days != 1 else ''} overdue.")
    else:
        subject = f"Surveillance camera code self-assessment due on {due}"
        lead = f"The yearly self-assessment against the 12 guiding principles is due on {due}."
    return Reminder(key=f"assessment:{assessment_id}:{stage}", audience=_audience(stage), subject=subject,
                    body=lead, link=ASSESSMENT_LINK)


def _audience(stage: str) -> str:
    return "escalation" if stage.startswith("overdue") else "dpo"


def due_reminders(
    session: Session,
    *,
    today: date,
    before_days: Sequence[int] = (30, 7),
    escalate_every_days: int = 7,
) -> list[Reminder]:
    """Every reminder due today: open reviews soonest first, then the self-assessment (if there ever was one)."""
    reminders: list[Reminder] = []
    for review in open_reviews(session):
        stage = reminder_stage(review.due_on, today, before_days, escalate_every_days)
        if stage is not None:
            reminders.append(_review_reminder(session, review, stage, today))
    found = next_assessment(session)
    if found is not None:
        assessment_id, due_on = found
        stage = reminder_stage(due_on, today, before_days, escalate_every_days)
        if stage is not None:
            reminders.append(_assessment_reminder(assessment_id, due_on, stage, today))
    return reminders
