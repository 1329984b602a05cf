"""Reminders: the nearest threshold before the date, one on the day, one escalation per period after it; keyed so
each is sent once; on the right London dates across the GMT/BST changes; and for the yearly self-assessment."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from dpia.models import DpiaReview
from dpia.reminders import Reminder, due_reminders
from dpia.reviews import raise_reviews_from_changes
from dpia.selfassessment import complete_assessment, save_answer, start_assessment
from dpia.types import PrincipleAnswer, ReviewReason, ReviewStatus
from inventory.changes import record_change
from inventory.types import ChangeKind, london_date
from tests.conftest import Estate
from tests.dpia.test_reviews import add_system

DUE = date(2025, 9, 15)


def add_review(session: Session, system_id: int, due: date, key: str = "yearly", **fields: object) -> DpiaReview:
    review = DpiaReview(key=key, system_id=system_id, reason=fields.pop("reason", ReviewReason.YEARLY), due_on=due,
                        **fields)
    session.add(review)
    session.commit()
    return review


def keys(reminders: list[Reminder]) -> list[tuple[str, str]]:
    return [(r.key, r.audience) for r in reminders]


@pytest.mark.parametrize(("offset", "expected"), [
    (-31, []),
    (-30, [("before:30", "dpo")]),
    (-8, [("before:30", "dpo")]),
    (-7, [("before:7", "dpo")]),
    (-5, [("before:7", "dpo")]),  # only the nearest threshold not yet passed
    (-1, [("before:7", "dpo")]),
    (0, [("due", "dpo")]),
    (1, [("overdue:0", "escalation")]),
    (3, [("overdue:0", "escalation")]),  # the same escalation as the day after: sent once
    (7, [("overdue:1", "escalation")]),
    (8, [("overdue:1", "escalation")]),
    (15, [("overdue:2", "escalation")]),
])
def test_the_reminder_due_each_day_around_a_review(
    session: Session, estate: Estate, offset: int, expected: list[tuple[str, str]]
) -> None:
    system_id = add_system(session, estate, "Town centre")
    review = add_review(session, system_id, DUE)

    found = due_reminders(session, today=DUE + timedelta(days=offset))

    assert keys(found) == [(f"review:{review.id}:{stage}", audience) for stage, audience in expected]
    assert all(r.link == f"/dpia/systems/{system_id}" and "Town centre" in r.subject for r in found)


def test_escalations_of_one_review_differ_by_period_and_thresholds_are_configurable(
    session: Session, estate: Estate
) -> None:
    review = add_review(session, add_system(session, estate, "Town centre"), DUE)

    day_after, week_after = (due_reminders(session, today=DUE + timedelta(days=n)) for n in (1, 8))
    assert day_after[0].key != week_after[0].key
    assert "1 day overdue" in day_after[0].body and "8 days overdue" in week_after[0].body

    custom = due_reminders(session, today=DUE - timedelta(days=10), before_days=(14, 3), escalate_every_days=1)
    assert keys(custom) == [(f"review:{review.id}:before:14", "dpo")]
    assert keys(due_reminders(session, today=DUE + timedelta(days=3), escalate_every_days=1)) == [
        (f"review:{review.id}:overdue:3", "escalation")]


def test_a_change_triggered_review_gets_its_due_reminder_the_day_it_is_raised(session: Session, estate: Estate) -> None:
    add_system(session, estate, "Town centre", estate.town_camera)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="CS-001 moved to Frogmoor",
                  at=datetime(2025, 6, 10, 14, tzinfo=UTC))
    session.commit()
    [review] = raise_reviews_from_changes(session, now=datetime(2025, 6, 10, 15, tzinfo=UTC))
    session.commit()

    [reminder] = due_reminders(session, today=date(2025, 6, 10))

    assert reminder.key == f"review:{review.id}:due"
    assert reminder.subject == "DPIA review due today: Town centre"
    assert "Camera moved: CS-001 moved to Frogmoor" in reminder.body


def test_done_reviews_and_an_empty_register_give_no_reminders(session: Session, estate: Estate) -> None:
    assert due_reminders(session, today=DUE) == []
    add_review(session, add_system(session, estate, "Town centre"), DUE, status=ReviewStatus.DONE)
    assert due_reminders(session, today=DUE) == []


def test_a_covert_camera_is_not_named_in_a_reminder(session: Session, estate: Estate) -> None:
    system_id = add_system(session, estate, "Covert", estate.covert_camera)
    add_review(session, system_id, DUE, key="change:1", reason=ReviewReason.CAMERA_MOVED,
               camera_id=estate.covert_camera, detail="PARK-COV-1 moved to Lay-by, A413")

    [reminder] = due_reminders(session, today=DUE + timedelta(days=1))

    assert "a change to a camera in this system" in reminder.body
    assert reminder.subject.endswith("a system with restricted access")  # its cameras are all covert
    text = reminder.body + reminder.subject
    assert "PARK-COV-1" not in text and "Lay-by" not in text  # neither the camera nor where it is
    assert "covert" not in text.lower()  # nor its system's name, nor that anything is covert


def first_seen(session: Session, start: datetime, hours: int) -> dict[str, datetime]:
    """Run the scheduler's daily question every hour from `start`: when each reminder key first turns up."""
    seen: dict[str, datetime] = {}
    for hour in range(hours):
        instant = start + timedelta(hours=hour)
        for reminder in due_reminders(session, today=london_date(instant)):
            seen.setdefault(reminder.key, instant)
    return seen


def test_a_review_raised_just_before_midnight_is_due_on_its_london_date_across_the_clock_changes(
    session: Session, estate: Estate
) -> None:
    add_system(session, estate, "Town centre", estate.town_camera)
    instants = [
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # 23:30 GMT on the 28th
        datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # 00:30 BST on the 30th: the clocks went forward that day
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST on the 25th
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # 23:30 GMT on the 25th: the clocks went back that day
    ]
    due = []
    for at in instants:
        record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="moved", at=at)
        session.commit()
        [review] = raise_reviews_from_changes(session, now=at + timedelta(minutes=10))  # a job run just after
        due.append(review.due_on)

    assert due == [date(2026, 3, 28), date(2026, 3, 30), date(2026, 10, 25), date(2026, 10, 25)]


def test_reminders_fall_on_london_dates_when_the_clocks_go_forward(session: Session, estate: Estate) -> None:
    review = add_review(session, add_system(session, estate, "Town centre"), date(2026, 3, 29))

    seen = first_seen(session, datetime(2026, 2, 26, 20, tzinfo=UTC), hours=24 * 32 + 8)

    assert seen == {
        f"review:{review.id}:before:30": datetime(2026, 2, 27, 0, tzinfo=UTC),  # London midnight, GMT
        f"review:{review.id}:before:7": datetime(2026, 3, 22, 0, tzinfo=UTC),
        f"review:{review.id}:due": datetime(2026, 3, 29, 0, tzinfo=UTC),  # still GMT at midnight
        f"review:{review.id}:overdue:0": datetime(2026, 3, 29, 23, tzinfo=UTC),  # midnight BST on the 30th
    }


def test_reminders_fall_on_london_dates_when_the_clocks_go_back(session: Session, estate: Estate) -> None:
    review = add_review(session, add_system(session, estate, "Town centre"), date(2026, 10, 25))

    seen = first_seen(session, datetime(2026, 9, 24, 20, tzinfo=UTC), hours=24 * 32 + 8)

    assert seen == {
        f"review:{review.id}:before:30": datetime(2026, 9, 24, 23, tzinfo=UTC),  # London midnight, BST
        f"review:{review.id}:before:7": datetime(2026, 10, 17, 23, tzinfo=UTC),
        f"review:{review.id}:due": datetime(2026, 10, 24, 23, tzinfo=UTC),  # midnight BST on the 25th
        f"review:{review.id}:overdue:0": datetime(2026, 10, 26, 0, tzinfo=UTC),  # midnight GMT on the 26th
    }


def answer_all(session: Session, assessment_id: int) -> None:
    for number in range(1, 13):
        save_answer(session, assessment_id, number, PrincipleAnswer.MET, "evidence")


def test_no_self_assessment_ever_means_no_assessment_reminder(session: Session) -> None:
    assert due_reminders(session, today=date(2026, 1, 10)) == []


def test_the_self_assessment_is_reminded_like_a_review(session: Session) -> None:
    first = start_assessment(session, actor="dpo", today=date(2026, 1, 10))  # due 9 February
    session.commit()

    assert keys(due_reminders(session, today=date(2026, 1, 10))) == [(f"assessment:{first.id}:before:30", "dpo")]
    assert keys(due_reminders(session, today=date(2026, 2, 3))) == [(f"assessment:{first.id}:before:7", "dpo")]
    [on_the_day] = due_reminders(session, today=date(2026, 2, 9))
    assert (on_the_day.key, on_the_day.link) == (f"assessment:{first.id}:due", "/dpia/self-assessment")
    assert keys(due_reminders(session, today=date(2026, 2, 10))) == [
        (f"assessment:{first.id}:overdue:0", "escalation")]

    answer_all(session, first.id)
    complete_assessment(session, first.id, actor="dpo", today=date(2026, 2, 1))
    session.commit()
    assert due_reminders(session, today=date(2026, 2, 10)) == []  # next due 1 February 2027
    assert keys(due_reminders(session, today=date(2027, 1, 25))) == [(f"assessment:{first.id}:before:7", "dpo")]

    # Starting the next one does not start its reminders again: they stay keyed on the completed one.
    start_assessment(session, actor="dpo", today=date(2027, 1, 26))
    session.commit()
    assert keys(due_reminders(session, today=date(2027, 1, 26))) == [(f"assessment:{first.id}:before:7", "dpo")]
    assert keys(due_reminders(session, today=date(2027, 2, 1))) == [(f"assessment:{first.id}:due", "dpo")]


def test_an_assessment_completed_on_29_february_is_due_on_28_february(session: Session) -> None:
    first = start_assessment(session, actor="dpo", today=date(2024, 2, 1))
    answer_all(session, first.id)
    complete_assessment(session, first.id, actor="dpo", today=date(2024, 2, 29))
    session.commit()

    assert keys(due_reminders(session, today=date(2025, 2, 28))) == [(f"assessment:{first.id}:due", "dpo")]
    assert keys(due_reminders(session, today=date(2025, 3, 1))) == [
        (f"assessment:{first.id}:overdue:0", "escalation")]
