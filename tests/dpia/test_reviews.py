"""DPIA reviews: anniversaries, reviews raised at once by inventory changes (once only), closed by sign-off."""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, func, select

import dpia.reviews as reviews_module
from cctv.db import Database
from dpia.models import Dpia, DpiaReview
from dpia.reviews import (
    anniversary,
    close_reviews_on_sign_off,
    due_state,
    open_reviews,
    raise_reviews_from_changes,
)
from dpia.types import DpiaStatus, ReviewReason, ReviewStatus
from inventory.cameras import get_camera, move_camera
from inventory.changes import pending_changes, record_change
from inventory.models import Camera, CameraSystem, InventoryChange
from inventory.scope import CameraScope
from inventory.types import ChangeKind, london_date
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
# 23:30 UTC on 10 June 2025 is 00:30 on 11 June in London (BST).
LATE_EVENING = datetime(2025, 6, 10, 23, 30, tzinfo=UTC)
JOB_RUN = datetime(2025, 6, 11, 6, 0, tzinfo=UTC)


def add_system(session: Session, estate: Estate, name: str = "High Wycombe town centre", *cameras: int) -> int:
    """A system in Community Safety holding the given cameras; committed."""
    system = CameraSystem(name=name, service_area_id=estate.community_safety)
    session.add(system)
    session.flush()
    for camera_id in cameras:
        camera = session.get(Camera, camera_id)
        camera.system_id = system.id
        session.add(camera)
    session.commit()
    return system.id


def count_reviews(session: Session) -> int:
    return session.exec(select(func.count()).select_from(DpiaReview)).one()


def signed_off(session: Session, system_id: int, next_review_due: date, version: int = 1) -> Dpia:
    """A signed-off version written directly (the register's sign-off is tested with the register)."""
    dpia = Dpia(system_id=system_id, version=version, status=DpiaStatus.SIGNED_OFF,
                signed_off_at=datetime(2025, 6, 20, 10, tzinfo=UTC), signed_off_by="dpo",
                next_review_due=next_review_due)
    session.add(dpia)
    session.flush()
    return dpia


def test_an_anniversary_is_the_same_day_a_year_later() -> None:
    assert anniversary(date(2025, 5, 1)) == date(2026, 5, 1)
    assert anniversary(date(2025, 12, 31)) == date(2026, 12, 31)


def test_29_february_falls_on_28_february_in_a_common_year_and_stays_in_a_leap_year() -> None:
    assert anniversary(date(2024, 2, 29)) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), years=2) == date(2026, 2, 28)
    assert anniversary(date(2024, 2, 29), years=4) == date(2028, 2, 29)
    assert anniversary(date(2023, 2, 28)) == date(2024, 2, 28)  # not moved to the 29th


def test_a_moved_camera_raises_one_review_of_its_system_due_the_london_day_of_the_move(
    session: Session, estate: Estate
) -> None:
    system_id = add_system(session, estate, "Town centre", estate.town_camera)
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    move_camera(session, EVERYTHING, camera, to_location_text="Frogmoor south", to_town="High Wycombe",
                to_longitude=-0.75, to_latitude=51.629, reason="better view", actor="sam", at=LATE_EVENING)
    session.commit()
    change = session.exec(select(InventoryChange)).one()

    raised = raise_reviews_from_changes(session, now=JOB_RUN)
    session.commit()

    assert len(raised) == 1
    review = session.exec(select(DpiaReview)).one()
    assert review.id == raised[0].id
    assert review.key == f"change:{change.id}"
    assert (review.system_id, review.camera_id, review.change_id) == (system_id, estate.town_camera, change.id)
    assert review.reason == ReviewReason.CAMERA_MOVED
    assert review.due_on == date(2025, 6, 11)
    assert review.status == ReviewStatus.OPEN
    assert review.detail == "CS-001 moved to Frogmoor south: better view"
    assert pending_changes(session) == []

    assert raise_reviews_from_changes(session, now=datetime(2025, 6, 12, 6, tzinfo=UTC)) == []
    session.commit()
    assert count_reviews(session) == 1
    session.expire_all()
    assert london_date(session.get(InventoryChange, change.id).consumed_at) == date(2025, 6, 11)


def test_a_dry_run_returns_the_reviews_and_writes_nothing(session: Session, estate: Estate) -> None:
    system_id = add_system(session, estate, "Town centre", estate.town_camera)
    record_change(session, ChangeKind.CAMERA_UPGRADED, camera_id=estate.town_camera, detail="now Axis Q6135",
                  at=LATE_EVENING)
    session.commit()

    dry = raise_reviews_from_changes(session, now=JOB_RUN, dry_run=True)
    session.commit()

    assert [(r.key.startswith("change:"), r.system_id, r.reason, r.detail, r.due_on, r.id) for r in dry] == [
        (True, system_id, ReviewReason.CAMERA_UPGRADED, "CS-001: now Axis Q6135", date(2025, 6, 11), None)]
    assert count_reviews(session) == 0
    assert len(pending_changes(session)) == 1

    assert len(raise_reviews_from_changes(session, now=JOB_RUN)) == 1
    session.commit()
    assert count_reviews(session) == 1


def test_the_caller_owns_the_transaction_a_rollback_undoes_the_run(session: Session, estate: Estate) -> None:
    # On SQLite a savepoint opened before the transaction's first write would commit on release: it must not.
    add_system(session, estate, "Town centre", estate.town_camera)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="moved", at=LATE_EVENING)
    session.commit()

    assert len(raise_reviews_from_changes(session, now=JOB_RUN)) == 1
    session.rollback()

    assert count_reviews(session) == 0
    assert len(pending_changes(session)) == 1


def test_a_change_on_a_camera_in_no_system_raises_nothing_but_is_consumed(session: Session, estate: Estate) -> None:
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.car_park_camera, detail="moved")
    session.commit()

    assert raise_reviews_from_changes(session, now=JOB_RUN) == []
    session.commit()

    assert count_reviews(session) == 0
    assert pending_changes(session) == []


def test_the_review_goes_to_the_system_the_camera_is_in_when_the_job_runs(session: Session, estate: Estate) -> None:
    # Recorded while the camera was in no system; it has joined one by the time the job runs.
    record_change(session, ChangeKind.CAMERA_ADDED, camera_id=estate.car_park_camera, detail="PARK-001 added")
    session.commit()
    system_id = add_system(session, estate, "Car parks", estate.car_park_camera)

    [review] = raise_reviews_from_changes(session, now=JOB_RUN)

    assert (review.system_id, review.reason, review.detail) == (system_id, ReviewReason.CAMERA_ADDED, "PARK-001 added")


def test_a_new_system_raises_its_review(session: Session, estate: Estate) -> None:
    system_id = add_system(session, estate, "Body-worn video")
    record_change(session, ChangeKind.SYSTEM_CREATED, system_id=system_id, detail="new system Body-worn video",
                  at=datetime(2025, 1, 10, 23, 30, tzinfo=UTC))
    session.commit()

    [review] = raise_reviews_from_changes(session, now=JOB_RUN)

    assert (review.system_id, review.camera_id, review.reason) == (system_id, None, ReviewReason.SYSTEM_CREATED)
    assert review.due_on == date(2025, 6, 11)  # due the day the job raises it, not the day of the change


def test_a_review_another_process_raised_first_is_skipped_without_spoiling_the_run(
    session: Session, estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_id = add_system(session, estate, "Town centre", estate.town_camera, estate.car_park_camera)
    first = record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="a", at=LATE_EVENING)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.car_park_camera, detail="b", at=JOB_RUN)
    session.commit()
    # The other process commits its review of the first change after this one looked and found nothing.
    session.add(DpiaReview(key=f"change:{first.id}", system_id=system_id, reason=ReviewReason.CAMERA_MOVED,
                           due_on=date(2025, 6, 11), detail="the other process"))
    session.commit()
    monkeypatch.setattr(reviews_module, "_key_exists", lambda _session, _key: False)

    raised = raise_reviews_from_changes(session, now=JOB_RUN)
    session.commit()

    assert [r.detail for r in raised] == ["PARK-001: b"]
    assert sorted(r.detail for r in session.exec(select(DpiaReview))) == ["PARK-001: b", "the other process"]
    assert pending_changes(session) == []


def test_two_jobs_at_once_raise_each_review_once(database: Database, session: Session, estate: Estate) -> None:
    add_system(session, estate, "Town centre", estate.town_camera)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="moved", at=LATE_EVENING)
    session.commit()
    first = raise_reviews_from_changes(session, now=JOB_RUN)  # flushed, not committed: holds its locks
    second: list[list[DpiaReview]] = []

    def other_process() -> None:
        with database.session("scheduler 2") as other:
            second.append(raise_reviews_from_changes(other, now=JOB_RUN))
            other.commit()

    thread = threading.Thread(target=other_process)
    thread.start()
    time.sleep(0.5)  # the other job now waits on this one's lock (SQLite) or its uncommitted key (PostgreSQL)
    session.commit()
    thread.join(timeout=60)

    assert not thread.is_alive()
    assert (len(first), second) == (1, [[]])
    assert count_reviews(session) == 1


def test_sign_off_closes_every_open_review_of_the_system_and_adds_one_yearly_review(
    session: Session, estate: Estate
) -> None:
    town = add_system(session, estate, "Town centre", estate.town_camera)
    parks = add_system(session, estate, "Car parks", estate.car_park_camera)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="moved", at=LATE_EVENING)
    record_change(session, ChangeKind.CAMERA_UPGRADED, camera_id=estate.town_camera, detail="new", at=JOB_RUN)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.car_park_camera, detail="moved", at=JOB_RUN)
    raise_reviews_from_changes(session, now=JOB_RUN)
    session.commit()
    dpia = signed_off(session, town, next_review_due=date(2026, 6, 20))

    yearly = close_reviews_on_sign_off(session, dpia, today=date(2025, 6, 20))
    session.commit()

    town_reviews = session.exec(select(DpiaReview).where(DpiaReview.system_id == town)).all()
    closed = [r for r in town_reviews if r.status == ReviewStatus.DONE]
    assert [r.reason for r in closed] == [ReviewReason.CAMERA_MOVED, ReviewReason.CAMERA_UPGRADED]
    assert all(r.completed_by_dpia_id == dpia.id and r.completed_at is not None for r in closed)
    assert [(r.key, r.reason, r.due_on) for r in open_reviews(session, system_id=town)] == [
        (f"yearly:{town}:2026-06-20", ReviewReason.YEARLY, date(2026, 6, 20))]
    assert yearly.key == f"yearly:{town}:2026-06-20"
    assert [r.reason for r in open_reviews(session, system_id=parks)] == [ReviewReason.CAMERA_MOVED]

    # Called again for the same version: its yearly review stays open and is not added twice.
    close_reviews_on_sign_off(session, dpia, today=date(2025, 6, 20))
    session.commit()
    assert [r.key for r in open_reviews(session, system_id=town)] == [f"yearly:{town}:2026-06-20"]
    assert count_reviews(session) == 4


def test_the_next_version_closes_the_previous_yearly_review(session: Session, estate: Estate) -> None:
    town = add_system(session, estate, "Town centre", estate.town_camera)
    first = signed_off(session, town, next_review_due=date(2025, 2, 28))
    close_reviews_on_sign_off(session, first, today=date(2024, 2, 29))
    first.status = DpiaStatus.SUPERSEDED
    second = signed_off(session, town, next_review_due=date(2026, 2, 20), version=2)

    close_reviews_on_sign_off(session, second, today=date(2025, 2, 20))
    session.commit()

    old = session.exec(select(DpiaReview).where(DpiaReview.key == f"yearly:{town}:2025-02-28")).one()
    assert (old.status, old.completed_by_dpia_id) == (ReviewStatus.DONE, second.id)
    assert [r.key for r in open_reviews(session)] == [f"yearly:{town}:2026-02-20"]


def test_open_reviews_come_soonest_first(session: Session, estate: Estate) -> None:
    town = add_system(session, estate, "Town centre")
    parks = add_system(session, estate, "Car parks")
    for key, system_id, due in [("c", town, date(2025, 9, 1)), ("a", parks, date(2025, 7, 1)),
                                ("b", town, date(2025, 8, 1))]:
        session.add(DpiaReview(key=key, system_id=system_id, reason=ReviewReason.YEARLY, due_on=due))
    session.add(DpiaReview(key="done", system_id=town, reason=ReviewReason.YEARLY, due_on=date(2025, 1, 1),
                           status=ReviewStatus.DONE))
    session.commit()

    assert [r.key for r in open_reviews(session)] == ["a", "b", "c"]
    assert [r.key for r in open_reviews(session, system_id=town)] == ["b", "c"]


@pytest.mark.parametrize(("due", "state"), [
    (date(2025, 6, 9), "overdue"),
    (date(2025, 6, 10), "due"),
    (date(2025, 7, 10), "due"),  # 30 days ahead
    (date(2025, 7, 11), "upcoming"),  # 31 days ahead
])
def test_due_state(due: date, state: str) -> None:
    review = DpiaReview(key="k", system_id=1, reason=ReviewReason.YEARLY, due_on=due)
    assert due_state(review, date(2025, 6, 10)) == state
