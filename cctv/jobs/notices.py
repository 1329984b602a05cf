"""The operator notices job: each thing waiting in the control room becomes one inbox message per user, once.

What is waiting comes from `cctv.controlroom.notices` (no Flask); who is told is decided here, per active account:
the notice's roles, the usernames it is not for, and the account's camera scope (service areas and covert access,
`cctv.auth.service.camera_scope`), which must see every camera the notice involves. `post_once` keeps one message per
(user, key), so running again, late, or in two processes at once never repeats a notice; a notice a user has read
stays read. The scheduler runs it every NOTICES_EVERY_MINUTES minutes; `cctv scheduler --once`-style runs and the
tests call `run_notices` directly.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from cctv.auth.models import User
from cctv.auth.service import camera_scope
from cctv.controlroom.notices import Notice, due_notices
from cctv.db import Database
from cctv.notifications.inbox import post_once
from cctv.notifications.models import InboxMessage
from inventory.scope import CameraScope
from inventory.types import utcnow

log = logging.getLogger(__name__)
ACTOR = "scheduler"
JOB_ID = "operator_notices"


@dataclass
class NoticesReport:
    """What a run posted: key -> usernames newly told (a dry run: who would be)."""

    dry_run: bool = False
    posted: dict[str, list[str]] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        """Inbox messages written (or, dry, that would be)."""
        return sum(len(users) for users in self.posted.values())


def is_for(notice: Notice, user: User, scope: CameraScope) -> bool:
    """Whether the user should be told: their role acts on it, they are not excluded, they see all its cameras."""
    return (user.role in notice.roles and user.username not in notice.not_for
            and all(scope.sees(camera) for camera in notice.cameras))


def _already(session: Session, keys: list[str]) -> set[tuple[int, str]]:
    if not keys:
        return set()
    rows = session.exec(select(InboxMessage.user_id, InboxMessage.reminder_key)
                        .where(col(InboxMessage.reminder_key).in_(keys)))
    return {(user_id, key) for user_id, key in rows}


def post_notices(session: Session, *, now: datetime, dry_run: bool = False) -> NoticesReport:
    """Post every due notice to the inboxes it is for, as of `now`; the caller commits."""
    report = NoticesReport(dry_run=dry_run)
    notices = due_notices(session, now)
    users = list(session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.id))))
    scopes = {user.id: camera_scope(session, user) for user in users}
    held = _already(session, [n.key for n in notices])
    for notice in notices:
        for user in users:
            assert user.id is not None
            if (user.id, notice.key) in held or not is_for(notice, user, scopes[user.id]):
                continue
            if dry_run or post_once(session, user.id, notice.key, subject=notice.subject, body=notice.body,
                                    link=notice.link, now=now):
                report.posted.setdefault(notice.key, []).append(user.username)
    return report


def run_notices(database: Database, *, now: datetime, dry_run: bool = False) -> NoticesReport:
    """One run as of `now` in its own transaction, committed unless dry."""
    with database.session(ACTOR) as session:
        report = post_notices(session, now=now, dry_run=dry_run)
        if not dry_run:
            session.commit()
    return report


def notices_job(database: Database, dry_run: bool = False) -> NoticesReport:
    """The scheduled job: `run_notices` at the real clock, a line in the log."""
    report = run_notices(database, now=utcnow(), dry_run=dry_run)
    log.info("Operator notices: %s %d message(s) for %d notice(s).", "would post" if dry_run else "posted",
             report.messages, len(report.posted))
    return report
