"""A user's inbox: the reminders addressed to them, newest first, and marking them read. Never commits."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cctv.notifications.models import InboxMessage
from inventory.types import utcnow


class MessageNotFound(LookupError):
    """No such message in this user's inbox (another user's message is as good as missing)."""


def inbox(session: Session, user_id: int, unread_only: bool = False) -> list[InboxMessage]:
    """The user's messages, newest first."""
    stmt = select(InboxMessage).where(InboxMessage.user_id == user_id)
    if unread_only:
        stmt = stmt.where(col(InboxMessage.read_at).is_(None))
    return list(session.exec(stmt.order_by(col(InboxMessage.created_at).desc(), col(InboxMessage.id).desc())))


def unread_count(session: Session, user_id: int) -> int:
    """How many of the user's messages are unread (the badge beside the inbox link)."""
    stmt = select(func.count()).select_from(InboxMessage).where(
        InboxMessage.user_id == user_id, col(InboxMessage.read_at).is_(None))
    return int(session.exec(stmt).one())


def mark_read(session: Session, user_id: int, message_id: int, *, now: datetime | None = None) -> InboxMessage:
    """Mark one of the user's messages read (reading it again keeps the first time). MessageNotFound otherwise."""
    message = session.get(InboxMessage, message_id)
    if message is None or message.user_id != user_id:
        raise MessageNotFound(f"no message {message_id} in this inbox")
    if message.read_at is None:
        message.read_at = now or utcnow()
        session.add(message)
        session.flush()
    return message


def post_once(session: Session, user_id: int, key: str, *, subject: str, body: str = "", link: str = "",
              now: datetime | None = None) -> bool:
    """Put a message with this key in the user's inbox unless one is there already; whether it was put.

    The unique (user, key) pair makes it once across runs and across processes: each insert runs inside a savepoint,
    so a duplicate's IntegrityError (the message is there, or another process just put it) undoes only that insert,
    not the rest of the caller's transaction. Callers posting many should skip the keys they know are there first.
    """
    try:
        with session.begin_nested():
            session.add(InboxMessage(user_id=user_id, reminder_key=key[:120], subject=subject[:200], body=body,
                                     link=link[:300], created_at=now or utcnow()))
    except IntegrityError:
        return False
    return True
