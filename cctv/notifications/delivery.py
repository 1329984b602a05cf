"""Delivering reminders: claim each key once, put it in the audience's inboxes, e-mail it, record the outcome.

Each reminder is claimed in its own short transaction by inserting its key into `reminder_dispatch`, whose key is
unique: when two scheduler processes run at once, one insert wins and the other gets IntegrityError and skips the
reminder. The winner writes the inbox messages in that same transaction, so they exist exactly when the claim
does, then sends the e-mail outside any transaction (an SMTP server can be slow; no lock is held while it is)
and records the outcome in a second short transaction. A failed send is left FAILED and a later run takes it over
with a conditional UPDATE (again only one process can) and sends only the e-mail; a sent one is never sent again.
"""

import logging
import smtplib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cctv.db import Database
from cctv.notifications.mailer import Mailer, OutgoingMail
from cctv.notifications.models import DispatchStatus, InboxMessage, ReminderDispatch
from cctv.notifications.recipients import AUDIENCES, audience_users, email_addresses
from inventory.types import utcnow

log = logging.getLogger(__name__)

ACTOR = "scheduler"
# A claim still SENDING after this long belongs to a process that died mid-send: a later run may take it over.
CLAIM_LEASE = timedelta(minutes=30)


class ReminderLike(Protocol):
    """What delivery reads of a reminder (dpia.reminders.Reminder has these fields)."""

    @property
    def key(self) -> str: ...
    @property
    def audience(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def link(self) -> str: ...


@dataclass
class DeliveryReport:
    """What one delivery did; in a dry run, what it would have done (`sent` are then the ones it would send)."""

    dry_run: bool = False
    sent: list[str] = field(default_factory=list)  # keys e-mailed (or logged, when no SMTP) by this run
    retried: list[str] = field(default_factory=list)  # of `sent`/`failed`: keys an earlier run failed to send
    skipped: list[str] = field(default_factory=list)  # delivered already, or being delivered by another process
    failed: dict[str, str] = field(default_factory=dict)  # key -> error; a later run retries these
    inbox_only: list[str] = field(default_factory=list)  # no e-mail address for the audience
    messages: int = 0  # inbox messages written
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> e-mail addresses


@dataclass(frozen=True)
class _Claim:
    token: str
    retry: bool
    addresses: tuple[str, ...]
    messages: int


def deliver(database: Database, reminders: Sequence[ReminderLike], *, mailer: Mailer,
            recipients_by_audience: Mapping[str, Sequence[str]] | None = None, app_url: str = "",
            dry_run: bool = False) -> DeliveryReport:
    """Deliver each reminder once: inbox messages for its audience's accounts and one e-mail to their addresses.

    `recipients_by_audience` are the configured addresses (DPO_EMAILS, ESCALATION_EMAILS) used when no account
    of the audience has an e-mail address; `app_url` makes the e-mail's link absolute. A dry run writes and sends
    nothing. Owns its transactions: call it outside any other (on SQLite an open write would block the claims).
    """
    for reminder in reminders:
        if reminder.audience not in AUDIENCES:
            raise ValueError(f"reminder {reminder.key}: unknown audience {reminder.audience!r}")
    if dry_run:
        return _preview(database, reminders, recipients_by_audience)
    report = DeliveryReport()
    for reminder in reminders:
        claim = _claim(database, reminder, recipients_by_audience)
        if claim is None:
            report.skipped.append(reminder.key)
            continue
        report.messages += claim.messages
        if claim.retry:
            report.retried.append(reminder.key)
        _send(database, reminder, claim, mailer, app_url, report)
    return report


def _claim(database: Database, reminder: ReminderLike,
           fallback: Mapping[str, Sequence[str]] | None) -> _Claim | None:
    """Take the reminder's key for this process, or None when another run has it (or has sent it)."""
    token = str(uuid.uuid4())
    with database.session(ACTOR) as session:
        try:
            # The insert comes first so that on SQLite the transaction starts as a write and waits for the lock.
            session.add(ReminderDispatch(key=reminder.key, audience=reminder.audience, subject=reminder.subject[:200],
                                         status=DispatchStatus.SENDING, claim_token=token))
            session.flush()
        except IntegrityError:
            session.rollback()
            if not _take_over(session, reminder.key, token):
                session.rollback()
                return None
            retry, messages = True, 0
        else:
            retry = False
            messages = _write_inbox(session, reminder)
        addresses = email_addresses(audience_users(session, reminder.audience), reminder.audience, fallback)
        session.commit()
    return _Claim(token, retry, addresses, messages)


def _take_over(session: Session, key: str, token: str) -> bool:
    """Claim a key an earlier run failed to send (or abandoned): an atomic conditional UPDATE, so one wins."""
    now = utcnow()
    stale = and_(col(ReminderDispatch.status) == DispatchStatus.SENDING,
                 col(ReminderDispatch.claimed_at) < now - CLAIM_LEASE)
    stmt = (
        update(ReminderDispatch)
        .where(col(ReminderDispatch.key) == key, or_(col(ReminderDispatch.status) == DispatchStatus.FAILED, stale))
        .values(status=DispatchStatus.SENDING, claim_token=token, claimed_at=now,
                attempts=col(ReminderDispatch.attempts) + 1)
        .execution_options(synchronize_session=False)
    )
    return session.exec(stmt).rowcount == 1  # type: ignore[call-overload]


def _write_inbox(session: Session, reminder: ReminderLike) -> int:
    users = audience_users(session, reminder.audience)
    for user in users:
        assert user.id is not None
        session.add(InboxMessage(user_id=user.id, reminder_key=reminder.key, subject=reminder.subject[:200],
                                 body=reminder.body, link=reminder.link[:300]))
    session.flush()
    return len(users)


def _send(database: Database, reminder: ReminderLike, claim: _Claim, mailer: Mailer, app_url: str,
          report: DeliveryReport) -> None:
    report.recipients[reminder.key] = claim.addresses
    if not claim.addresses:
        log.warning("reminder %s: no e-mail address for audience %r; inbox only", reminder.key, reminder.audience)
        _finish(database, reminder.key, claim, DispatchStatus.INBOX_ONLY, "no e-mail address for the audience")
        report.inbox_only.append(reminder.key)
        return
    try:
        refused = mailer.send(compose(reminder, claim.addresses, app_url))
    except (smtplib.SMTPException, OSError) as exc:  # OSError: connection refused, timeouts, DNS
        error = f"{type(exc).__name__}: {exc}"
        log.warning("reminder %s: e-mail failed, a later run retries it: %s", reminder.key, error)
        _finish(database, reminder.key, claim, DispatchStatus.FAILED, error)
        report.failed[reminder.key] = error
        return
    status = DispatchStatus.SENT if mailer.delivers else DispatchStatus.LOGGED
    _finish(database, reminder.key, claim, status, f"refused: {', '.join(refused)}" if refused else "")
    report.sent.append(reminder.key)


def _finish(database: Database, key: str, claim: _Claim, status: DispatchStatus, error: str) -> None:
    """Record the outcome, if the claim is still ours (a takeover after the lease would have replaced it)."""
    with database.transaction(ACTOR) as session:
        row = session.exec(select(ReminderDispatch).where(ReminderDispatch.key == key,
                                                          ReminderDispatch.claim_token == claim.token)).first()
        if row is None:
            log.warning("reminder %s: claim lost before its outcome (%s) was recorded", key, status)
            return
        row.status = status
        row.recipients = ", ".join(claim.addresses)
        row.last_error = error
        if status in (DispatchStatus.SENT, DispatchStatus.LOGGED):
            row.sent_at = utcnow()
        session.add(row)


def compose(reminder: ReminderLike, addresses: Sequence[str], app_url: str = "") -> OutgoingMail:
    """The e-mail for a reminder: its text, the link (absolute when the app's URL is configured), its key."""
    link = reminder.link
    if app_url and link.startswith("/"):
        link = app_url.rstrip("/") + link
    body = f"{reminder.body.rstrip()}\n\n{link}\n\nThis reminder is also in your inbox in the CCTV estate app.\n"
    return OutgoingMail(recipients=tuple(addresses), subject=reminder.subject, body=body,
                        headers=(("X-CCTV-Reminder", reminder.key),))


def _preview(database: Database, reminders: Sequence[ReminderLike],
             fallback: Mapping[str, Sequence[str]] | None) -> DeliveryReport:
    """What a delivery would do, read only."""
    report = DeliveryReport(dry_run=True)
    with database.session(ACTOR) as session:
        for reminder in reminders:
            row = session.exec(select(ReminderDispatch).where(ReminderDispatch.key == reminder.key)).first()
            if row is not None and row.status != DispatchStatus.FAILED:
                report.skipped.append(reminder.key)
                continue
            users = audience_users(session, reminder.audience)
            if row is None:
                report.messages += len(users)
            else:
                report.retried.append(reminder.key)
            addresses = email_addresses(users, reminder.audience, fallback)
            report.recipients[reminder.key] = addresses
            (report.sent if addresses else report.inbox_only).append(reminder.key)
        session.rollback()
    return report
