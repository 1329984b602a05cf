"""A user's inbox: their messages newest first, the unread count, marking read; nobody reads another's."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from cctv.notifications.inbox import MessageNotFound, inbox, mark_read, unread_count
from cctv.notifications.models import InboxMessage
from tests.notifications.people import add_people


def message(user_id: int, key: str, hour: int) -> InboxMessage:
    return InboxMessage(user_id=user_id, reminder_key=key, subject=f"About {key}", link="/dpia",
                        created_at=datetime(2026, 3, 30, hour, tzinfo=UTC))


def test_inbox_lists_newest_first_counts_unread_and_marks_read(session: Session) -> None:
    ids = add_people(session)
    dana, dev = ids["dana"], ids["dev"]
    session.add_all([message(dana, "a", 6), message(dana, "b", 8), message(dana, "c", 7), message(dev, "a", 6)])
    session.commit()
    assert [m.reminder_key for m in inbox(session, dana)] == ["b", "c", "a"]
    assert unread_count(session, dana) == 3 and unread_count(session, dev) == 1

    c = next(m for m in inbox(session, dana) if m.reminder_key == "c")
    first = datetime(2026, 3, 30, 9, tzinfo=UTC)
    assert mark_read(session, dana, c.id, now=first).read_at == first
    mark_read(session, dana, c.id, now=datetime(2026, 3, 31, 9, tzinfo=UTC))  # reading again keeps the first time
    session.commit()
    session.expire_all()
    assert session.get(InboxMessage, c.id).read_at.replace(tzinfo=UTC) == first
    assert [m.reminder_key for m in inbox(session, dana, unread_only=True)] == ["b", "a"]
    assert unread_count(session, dana) == 2 and unread_count(session, dev) == 1


def test_a_message_of_another_user_cannot_be_marked_read(session: Session) -> None:
    ids = add_people(session)
    theirs = message(ids["dev"], "a", 6)
    session.add(theirs)
    session.commit()
    with pytest.raises(MessageNotFound):
        mark_read(session, ids["dana"], theirs.id)
    with pytest.raises(MessageNotFound):
        mark_read(session, ids["dana"], 999_999)
    assert unread_count(session, ids["dev"]) == 1
