"""Tables of the notifications: one dispatch claim per reminder key, and each user's inbox.

`ReminderDispatch.key` is unique: the process whose insert of a key succeeds is the one that delivers that
reminder, so two scheduler processes started by mistake still send it once. The row then records whether the
e-mail went (a failed send is retried by a later run; a sent one never is).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from inventory.types import enum_type, utcnow


class DispatchStatus(StrEnum):
    """Where one reminder's delivery stands."""

    SENDING = "sending"  # claimed; the e-mail is on its way (or the process died: reclaimed after a lease)
    SENT = "sent"  # the SMTP server accepted it
    LOGGED = "logged"  # no SMTP configured (or a log-only mailer): written to the log, not e-mailed
    INBOX_ONLY = "inbox_only"  # nobody in the audience has an e-mail address and no fallback is configured
    FAILED = "failed"  # the send failed; a later run retries it


class ReminderDispatch(SQLModel, table=True):
    """The claim on one reminder key and the outcome of its e-mail."""

    __tablename__ = "reminder_dispatch"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)  # Reminder.key, e.g. "review:7:before:30"
    audience: str = Field(max_length=20)
    subject: str = Field(default="", max_length=200)
    status: DispatchStatus = Field(sa_type=enum_type(DispatchStatus), index=True)
    claim_token: str = Field(max_length=36)  # who holds the claim now: only they may record the outcome
    claimed_at: datetime = Field(default_factory=utcnow)
    attempts: int = 1
    sent_at: datetime | None = None
    recipients: str = Field(default="", sa_type=Text)  # the addresses of the last attempt, comma separated
    last_error: str = Field(default="", sa_type=Text)


class InboxMessage(SQLModel, table=True):
    """A reminder as one user sees it in the app; unread until they open it."""

    __tablename__ = "inbox_message"
    # One message per user and reminder, whatever retries happen.
    __table_args__ = (UniqueConstraint("user_id", "reminder_key", name="uq_inbox_user_reminder"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    reminder_key: str = Field(max_length=120)
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    link: str = Field(default="", max_length=300)  # an app path, e.g. "/dpia/systems/3"
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


__all__ = ["DispatchStatus", "InboxMessage", "ReminderDispatch"]
