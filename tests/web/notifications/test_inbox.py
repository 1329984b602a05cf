"""The in-app inbox: each user's messages newest first, unread marked and counted in the navigation, marked read by
their owner only, and the DPIA reminders arriving there through the real delivery."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.auth.models import Role, User
from cctv.notifications.delivery import deliver
from cctv.notifications.mailer import LogMailer
from cctv.notifications.models import InboxMessage
from dpia.models import DpiaReview
from dpia.reminders import due_reminders
from dpia.types import ReviewReason
from inventory.models import CameraSystem
from tests.conftest import BACKENDS, build_app, database_url, login

pytestmark = pytest.mark.usefixtures("quick_app")

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _user_id(s: Session, username: str) -> int:
    return s.exec(select(User.id).where(User.username == username)).one()


def _message(s: Session, username: str, subject: str, at: datetime, link: str = "/dpia", read: bool = False) -> int:
    message = InboxMessage(user_id=_user_id(s, username), reminder_key=f"test:{subject}", subject=subject,
                           body=f"About {subject}.", link=link, created_at=at, read_at=at if read else None)
    s.add(message)
    s.commit()
    return message.id


def _rows(html: str) -> list[str]:
    return html.split('id="messages"', 1)[1].split("</table>", 1)[0].split("<tr class=")[1:]


def test_messages_newest_first_with_unread_marked_and_counted(as_role, app_session: Session) -> None:
    _message(app_session, "dpo", "Oldest, read", T0, read=True)
    _message(app_session, "dpo", "Newest", T0 + timedelta(days=2))
    _message(app_session, "dpo", "Middle", T0 + timedelta(days=1))
    _message(app_session, "operator", "For the operator", T0)
    html = as_role("dpo").get("/inbox").get_data(as_text=True)
    rows = _rows(html)
    assert [r.split("<td>")[2].split("</td>")[0] for r in rows] == ["Newest", "Middle", "Oldest, read"]
    assert [r.split('"')[1] for r in rows] == ["unread", "unread", "read"]
    assert "06 May 2026 09:00" in rows[0]  # 08:00 UTC shown in London summer time
    assert "For the operator" not in html
    assert '<span class="badge count" aria-label="2 unread">2</span>' in html


def test_every_role_has_an_inbox_and_sees_only_its_own(app: Flask, client: FlaskClient,
                                                       app_session: Session) -> None:
    _message(app_session, "dpo", "DPIA review due today", T0)
    for role in Role:
        login(client, role.value)
        response = client.get("/inbox")
        assert response.status_code == 200, role
        html = response.get_data(as_text=True)
        assert 'id="inbox-link"' in html
        assert ("DPIA review due today" in html) == (role == Role.DPO), role


def test_marking_read_updates_the_count_and_only_the_owner_may(as_role, app_session: Session) -> None:
    first = _message(app_session, "dpo", "First", T0, link="/dpia/systems/7")
    second = _message(app_session, "dpo", "Second", T0 + timedelta(hours=1), link="//evil.example/phish")
    admin = as_role("admin")
    assert admin.post(f"/inbox/{first}/read").status_code == 404  # another user's message is as good as missing
    dpo = as_role("dpo")
    response = dpo.post(f"/inbox/{first}/read")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    html = dpo.get("/inbox").get_data(as_text=True)
    assert 'aria-label="1 unread"' in html and [r.split('"')[1] for r in _rows(html)] == ["unread", "read"]
    app_session.expire_all()
    read_at = app_session.get(InboxMessage, first).read_at
    assert read_at is not None
    # Opening goes on to the message's page (only ever a page of this app) and keeps the first reading time.
    assert dpo.post(f"/inbox/{first}/read", data={"open": "1"}).headers["Location"] == "/dpia/systems/7"
    assert dpo.post(f"/inbox/{second}/read", data={"open": "1"}).headers["Location"] == "/inbox"
    app_session.expire_all()
    assert app_session.get(InboxMessage, first).read_at == read_at
    assert 'class="badge count"' not in dpo.get("/inbox").get_data(as_text=True)


def test_a_due_review_reminder_reaches_the_dpo_inbox_and_links_to_the_system(app: Flask, as_role,
                                                                             app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    system = CameraSystem(name="Town centre", service_area_id=estate.community_safety)
    app_session.add(system)
    app_session.flush()
    today = T0.date()
    app_session.add(DpiaReview(key=f"first:{system.id}", system_id=system.id, reason=ReviewReason.FIRST,
                               detail="new system Town centre", due_on=today))
    app_session.commit()
    reminders = due_reminders(app_session, today=today)
    app_session.rollback()  # deliver owns its transactions
    deliver(app.extensions["cctv_db"], reminders, mailer=LogMailer())

    dpo = as_role("dpo")
    html = dpo.get("/inbox").get_data(as_text=True)
    assert "DPIA review due today: Town centre" in html and 'aria-label="1 unread"' in html
    message = app_session.exec(select(InboxMessage)).one()
    response = dpo.post(f"/inbox/{message.id}/read", data={"open": "1"})
    assert response.headers["Location"] == f"/dpia/systems/{system.id}"
    assert "Town centre" in dpo.get(response.headers["Location"]).get_data(as_text=True)
    admin_html = as_role("admin").get("/inbox").get_data(as_text=True)
    assert "No messages." in admin_html  # a reminder before it is overdue goes to the DPO only


@pytest.fixture(params=BACKENDS)
def backend_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app on each backend under test (PostgreSQL too when CCTV_TEST_DATABASE_URL is set)."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def test_reading_messages_persists_on_each_backend(backend_app: Flask) -> None:
    database = backend_app.extensions["cctv_db"]
    with database.session("fixture") as s:
        first = _message(s, "dpo", "First", T0)
        _message(s, "dpo", "Second", T0 + timedelta(minutes=5))
    client = backend_app.test_client()
    login(client, "dpo")
    assert 'aria-label="2 unread"' in client.get("/inbox").get_data(as_text=True)
    assert client.post(f"/inbox/{first}/read").status_code == 302
    assert 'aria-label="1 unread"' in client.get("/inbox").get_data(as_text=True)
    with database.session("checker") as s:
        assert s.get(InboxMessage, first).read_at is not None
