"""DPIA reviews: raised at once by inventory changes, yearly from sign-off, closed by the next signed-off version.

The inventory records every change a DPIA must follow (`inventory.changes`); `raise_reviews_from_changes` turns
each pending change into one review of the camera's system, due the (London) day it is raised, and marks the
change consumed. Signing off a version closes every open review of its system and adds the next yearly
review (`close_reviews_on_sign_off`).

Each review has a unique `key` ("change:41", "yearly:3:2027-05-01"): two scheduler processes, or a job run twice,
raise it once. The check-then-insert runs in a savepoint so that a key inserted by someone else between the check
and the insert (an IntegrityError) is skipped without spoiling the caller's transaction.

Services never commit: the caller owns the transaction.
"""

from calendar import isleap
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dpia.models import Dpia, DpiaReview
from dpia.types import ReviewReason, ReviewStatus
from inventory.changes import mark_consumed, pending_changes
from inventory.models import Camera, CameraSystem, InventoryChange
from inventory.types import ChangeKind, london_date, utcnow

# A review is "due" (rather than "upcoming") when it falls within this many days.
DUE_WINDOW_DAYS = 30

REASON_FOR_CHANGE: dict[ChangeKind, ReviewReason] = {
    ChangeKind.CAMERA_ADDED: ReviewReason.CAMERA_ADDED,
    ChangeKind.CAMERA_DECOMMISSIONED: ReviewReason.CAMERA_DECOMMISSIONED,
    ChangeKind.CAMERA_MOVED: ReviewReason.CAMERA_MOVED,
    ChangeKind.CAMERA_UPGRADED: ReviewReason.CAMERA_UPGRADED,
    ChangeKind.SYSTEM_CREATED: ReviewReason.SYSTEM_CREATED,
}

REASON_LABELS: dict[ReviewReason, str] = {
    ReviewReason.YEARLY: "Yearly review",
    ReviewReason.FIRST: "First DPIA",
    ReviewReason.CAMERA_ADDED: "Camera added",
    ReviewReason.CAMERA_DECOMMISSIONED: "Camera decommissioned",
    ReviewReason.CAMERA_MOVED: "Camera moved",
    ReviewReason.CAMERA_UPGRADED: "Camera upgraded",
    ReviewReason.SYSTEM_CREATED: "New system",
}



def anniversary(signed: date, years: int = 1) -> date:
    """The same day `years` later; 29 February falls on 28 February in a year that has none."""
    year = signed.year + years
    if signed.month == 2 and signed.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return signed.replace(year=year)


def _key_exists(session: Session, key: str) -> bool:
    """Whether a review with this key is already stored (committed, or flushed in this transaction)."""
    return session.exec(select(DpiaReview.id).where(DpiaReview.key == key)).first() is not None


def _hold_sqlite_write_lock(session: Session) -> None:
    """On SQLite, take the database's write lock now with a write that changes nothing.

    SQLite has one writer at a time, so holding the lock makes check-then-insert atomic. It also matters for the
    savepoint: the Python driver opens its transaction only at the first write, and a SAVEPOINT opened outside a
    transaction commits on release, behind the caller's back.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().execute(text("UPDATE dpia_review SET id = id WHERE 1 = 0"))


def _insert_once(session: Session, review: DpiaReview) -> bool:
    """Insert a review unless its key exists; False when it already did (here or in another process)."""
    _hold_sqlite_write_lock(session)
    if _key_exists(session, review.key):
        return False
    try:
        # A savepoint: losing the race to another process rolls back this insert only, not the caller's work.
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError:
        return False
    return True


def _review_for_change(session: Session, change: InventoryChange, now: datetime) -> DpiaReview | None:
    """The review a change raises, or None when its camera belongs to no system (the camera is then a gap)."""
    camera = session.get(Camera, change.camera_id) if change.camera_id is not None else None
    # The camera's system now: a camera put into a system after the change was recorded is reviewed there.
    # When the camera has no system any more, the system it was in when the change was recorded still follows it.
    system_id = (camera.system_id if camera is not None else None) or change.system_id
    if system_id is None:
        return None
    detail = change.detail
    if camera is not None and not detail.startswith(camera.asset_id):
        detail = f"{camera.asset_id}: {detail}" if detail else camera.asset_id
    if not detail and change.kind == ChangeKind.SYSTEM_CREATED:
        system = session.get(CameraSystem, system_id)
        detail = f"new system {system.name}" if system else "new system"
    return DpiaReview(
        key=f"change:{change.id}",
        system_id=system_id,
        reason=REASON_FOR_CHANGE[change.kind],
        detail=detail[:500],
        change_id=change.id,
        camera_id=change.camera_id,
        raised_at=now,
        # Due at once: the day the job raises it. Not the day of the change, which is usually yesterday by the
        # morning run: that would make every change overdue and escalated before the DPO had one reminder.
        due_on=max(london_date(change.occurred_at), london_date(now)),
    )


def raise_reviews_from_changes(session: Session, *, now: datetime, dry_run: bool = False) -> list[DpiaReview]:
    """Turn every pending inventory change into one open review of its system; return the reviews raised.

    Changes are consumed whether or not they raise a review (a camera in no system raises none). Running it
    again raises nothing more. With `dry_run` the reviews that would be raised are returned unsaved and
    nothing is written: the changes stay pending.
    """
    changes = pending_changes(session)
    raised: list[DpiaReview] = []
    for change in changes:
        review = _review_for_change(session, change, now)
        if review is None:
            continue
        if dry_run:
            if not _key_exists(session, review.key):
                raised.append(review)
        elif _insert_once(session, review):
            raised.append(review)
    if not dry_run:
        mark_consumed(session, changes, now)
        session.flush()
    return raised


def close_reviews_on_sign_off(session: Session, dpia: Dpia, *, today: date) -> DpiaReview:
    """Close every open review of the signed-off version's system and add its next yearly review.

    The yearly review is due on `dpia.next_review_due` (the anniversary of `today` if unset) and keyed by
    system and date, so calling this twice for one version leaves one open yearly review.
    """
    due = dpia.next_review_due or anniversary(today)
    key = f"yearly:{dpia.system_id}:{due.isoformat()}"
    now = utcnow()
    stmt = select(DpiaReview).where(
        DpiaReview.system_id == dpia.system_id,
        DpiaReview.status == ReviewStatus.OPEN,
        DpiaReview.key != key,  # this version's own yearly review stays open
    )
    for review in session.exec(stmt).all():
        review.status = ReviewStatus.DONE
        review.completed_at = now
        review.completed_by_dpia_id = dpia.id
        session.add(review)
    session.flush()
    yearly = DpiaReview(key=key, system_id=dpia.system_id, reason=ReviewReason.YEARLY, due_on=due,
                        detail=f"Yearly review of version {dpia.version}", raised_at=now)
    if not _insert_once(session, yearly):
        yearly = session.exec(select(DpiaReview).where(DpiaReview.key == key)).one()
    return yearly


def open_reviews(session: Session, *, system_id: int | None = None) -> list[DpiaReview]:
    """Open reviews, soonest due first (of one system when given)."""
    stmt = select(DpiaReview).where(DpiaReview.status == ReviewStatus.OPEN)
    if system_id is not None:
        stmt = stmt.where(DpiaReview.system_id == system_id)
    return list(session.exec(stmt.order_by(col(DpiaReview.due_on), col(DpiaReview.id))))


def due_state(review: DpiaReview, today: date) -> str:
    """'overdue' past its date, 'due' from DUE_WINDOW_DAYS before it to the day itself, else 'upcoming'."""
    if review.due_on < today:
        return "overdue"
    if review.due_on <= today + timedelta(days=DUE_WINDOW_DAYS):
        return "due"
    return "upcoming"
