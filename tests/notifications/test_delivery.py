"""Delivering reminders through a real local SMTP server: once each, to the right people, retried after a failure."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import col, func, select

from cctv.auth.models import User
from cctv.db import Database
from cctv.notifications.delivery import deliver
from cctv.notifications.mailer import LogMailer, MailSettings, SmtpMailer
from cctv.notifications.models import DispatchStatus, InboxMessage, ReminderDispatch
from inventory.types import utcnow
from tests.notifications.people import ADA, DANA, DEV, add_people, reminder
from tests.notifications.smtp import SmtpSink, free_port

BEFORE = reminder("review:1:before:30")
OVERDUE = reminder("review:2:overdue:1", "escalation")


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A real SMTP server on a free local port."""
    with SmtpSink() as sink:
        yield sink


def mailer_for(port: int) -> SmtpMailer:
    return SmtpMailer(MailSettings(host="127.0.0.1", port=port, mail_from="cctv@council.example", timeout=5))


def inbox_keys(database: Database) -> dict[str, list[str]]:
    """username -> reminder keys in their inbox."""
    with database.session("t") as s:
        rows = s.exec(select(User.username, InboxMessage.reminder_key).join(User, col(User.id) == InboxMessage.user_id)
                      .order_by(col(User.username), col(InboxMessage.reminder_key))).all()
    found: dict[str, list[str]] = {}
    for username, key in rows:
        found.setdefault(username, []).append(key)
    return found


def dispatch(database: Database, key: str) -> ReminderDispatch:
    with database.session("t") as s:
        return s.exec(select(ReminderDispatch).where(ReminderDispatch.key == key)).one()


def test_each_reminder_is_emailed_to_its_audience_and_put_in_their_inboxes(database: Database,
                                                                          smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s)
    report = deliver(database, [BEFORE, OVERDUE], mailer=mailer_for(smtp.port), app_url="https://cctv.example/")
    assert report.sent == [BEFORE.key, OVERDUE.key] and not report.failed and not report.skipped
    # "dpo": the two active DPOs; "escalation": the DPOs and the admin. Never the operator or the inactive DPO.
    assert smtp.deliveries() == sorted([(DANA, BEFORE.key), (DEV, BEFORE.key),
                                        (ADA, OVERDUE.key), (DANA, OVERDUE.key), (DEV, OVERDUE.key)])
    first = smtp.messages[0]
    assert first.mail_from == "cctv@council.example"
    assert first.message["Subject"] == "Subject of review:1:before:30"
    assert "Body of review:1:before:30." in first.text and "https://cctv.example/dpia/systems/3" in first.text
    assert report.messages == 5
    assert inbox_keys(database) == {"ada": [OVERDUE.key], "dana": [BEFORE.key, OVERDUE.key],
                                    "dev": [BEFORE.key, OVERDUE.key]}
    with database.session("t") as s:
        message = s.exec(select(InboxMessage).where(InboxMessage.reminder_key == BEFORE.key)).first()
        assert message is not None
        assert (message.subject, message.body, message.link, message.read_at) == (
            BEFORE.subject, BEFORE.body, "/dpia/systems/3", None)
    row = dispatch(database, OVERDUE.key)
    assert row.status == DispatchStatus.SENT and row.sent_at is not None and row.attempts == 1
    assert row.recipients == f"{ADA}, {DANA}, {DEV}"  # by username


def test_delivering_the_same_reminders_again_sends_nothing(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s)
    deliver(database, [BEFORE, OVERDUE], mailer=mailer_for(smtp.port))
    again = deliver(database, [BEFORE, OVERDUE, reminder("review:1:before:7")], mailer=mailer_for(smtp.port))
    assert again.skipped == [BEFORE.key, OVERDUE.key] and again.sent == ["review:1:before:7"]
    assert len(smtp.messages) == 3
    assert inbox_keys(database)["dana"] == [BEFORE.key, "review:1:before:7", OVERDUE.key]


def test_with_no_dpo_account_the_dpo_reminders_go_to_the_admins(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s, dpos=False)  # only the inactive DPO is left, who does not count
    deliver(database, [BEFORE], mailer=mailer_for(smtp.port))
    assert smtp.deliveries() == [(ADA, BEFORE.key)]
    assert inbox_keys(database) == {"ada": [BEFORE.key]}


def test_configured_addresses_are_used_when_no_account_has_one(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s, emails=False)
    fallback = {"dpo": ["dpo-team@council.example"], "escalation": ["escalations@council.example"]}
    deliver(database, [BEFORE, OVERDUE], mailer=mailer_for(smtp.port), recipients_by_audience=fallback)
    assert smtp.deliveries() == [("dpo-team@council.example", BEFORE.key),
                                 ("escalations@council.example", OVERDUE.key)]
    assert inbox_keys(database) == {"ada": [OVERDUE.key], "dana": [BEFORE.key, OVERDUE.key],
                                    "dev": [BEFORE.key, OVERDUE.key]}


def test_without_any_address_the_reminder_is_in_the_inbox_only(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s, emails=False)
    report = deliver(database, [BEFORE], mailer=mailer_for(smtp.port))
    assert report.inbox_only == [BEFORE.key] and report.sent == [] and smtp.messages == []
    assert dispatch(database, BEFORE.key).status == DispatchStatus.INBOX_ONLY
    assert deliver(database, [BEFORE], mailer=mailer_for(smtp.port)).skipped == [BEFORE.key]
    assert inbox_keys(database) == {"dana": [BEFORE.key], "dev": [BEFORE.key]}


def test_a_failed_send_is_retried_by_a_later_run_and_then_sent_once(database: Database) -> None:
    with database.session("t") as s:
        add_people(s)
    port = free_port()  # nobody listens: the server is down
    failed = deliver(database, [BEFORE], mailer=mailer_for(port))
    assert list(failed.failed) == [BEFORE.key] and "ConnectionRefusedError" in failed.failed[BEFORE.key]
    row = dispatch(database, BEFORE.key)
    assert (row.status, row.attempts, row.sent_at) == (DispatchStatus.FAILED, 1, None)
    assert inbox_keys(database) == {"dana": [BEFORE.key], "dev": [BEFORE.key]}  # the inbox does not wait for SMTP

    with SmtpSink(port=port) as smtp:  # the server is back
        retried = deliver(database, [BEFORE], mailer=mailer_for(port))
        assert retried.sent == [BEFORE.key] and retried.retried == [BEFORE.key] and retried.messages == 0
        assert deliver(database, [BEFORE], mailer=mailer_for(port)).skipped == [BEFORE.key]
        assert smtp.deliveries() == [(DANA, BEFORE.key), (DEV, BEFORE.key)]
    row = dispatch(database, BEFORE.key)
    assert (row.status, row.attempts, row.last_error) == (DispatchStatus.SENT, 2, "")
    assert inbox_keys(database) == {"dana": [BEFORE.key], "dev": [BEFORE.key]}  # no second inbox message


def test_a_claim_abandoned_mid_send_is_taken_over_only_after_the_lease(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s)
        s.add(ReminderDispatch(key=BEFORE.key, audience="dpo", status=DispatchStatus.SENDING, claim_token="dead",
                               claimed_at=utcnow() - timedelta(minutes=5)))
        s.add(ReminderDispatch(key=OVERDUE.key, audience="escalation", status=DispatchStatus.SENDING,
                               claim_token="dead", claimed_at=utcnow() - timedelta(hours=2)))
        s.commit()
    report = deliver(database, [BEFORE, OVERDUE], mailer=mailer_for(smtp.port))
    # Five minutes ago another process may still be sending it; two hours ago it died.
    assert report.skipped == [BEFORE.key] and report.sent == [OVERDUE.key] == report.retried
    assert [m.key for m in smtp.messages] == [OVERDUE.key]


def test_two_deliveries_at_once_send_each_reminder_once(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s)
    reminders = [reminder(f"review:{i}:due") for i in range(1, 9)] + [OVERDUE]
    start = threading.Barrier(2)
    reports = []

    def run() -> None:
        start.wait()
        reports.append(deliver(database, reminders, mailer=mailer_for(smtp.port)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(reports) == 2 and not any(r.failed for r in reports)
    assert sorted(reports[0].sent + reports[1].sent) == sorted(r.key for r in reminders)
    assert sorted(reports[0].skipped + reports[1].skipped) == sorted(r.key for r in reminders)
    expected = [(a, r.key) for r in reminders for a in ((DANA, DEV) if r.audience == "dpo" else (ADA, DANA, DEV))]
    assert smtp.deliveries() == sorted(expected)
    with database.session("t") as s:
        assert s.exec(select(func.count()).select_from(InboxMessage)).one() == 8 * 2 + 3


def test_a_dry_run_reports_what_it_would_send_and_does_nothing(database: Database, smtp: SmtpSink) -> None:
    with database.session("t") as s:
        add_people(s)
    deliver(database, [BEFORE], mailer=mailer_for(smtp.port))
    report = deliver(database, [BEFORE, OVERDUE], mailer=mailer_for(smtp.port), dry_run=True)
    assert report.dry_run and report.skipped == [BEFORE.key] and report.sent == [OVERDUE.key]
    assert report.recipients == {OVERDUE.key: (ADA, DANA, DEV)} and report.messages == 3
    assert [m.key for m in smtp.messages] == [BEFORE.key]
    with database.session("t") as s:
        assert s.exec(select(ReminderDispatch.key)).all() == [BEFORE.key]
        assert s.exec(select(func.count()).select_from(InboxMessage)).one() == 2


def test_without_smtp_the_reminders_are_logged_and_not_sent_again(database: Database) -> None:
    with database.session("t") as s:
        add_people(s)
    mailer = LogMailer()
    assert deliver(database, [BEFORE], mailer=mailer).sent == [BEFORE.key]
    assert [m.recipients for m in mailer.outbox] == [(DANA, DEV)]
    assert dispatch(database, BEFORE.key).status == DispatchStatus.LOGGED
    assert deliver(database, [BEFORE], mailer=mailer).skipped == [BEFORE.key] and len(mailer.outbox) == 1


def test_an_unknown_audience_is_refused_before_anything_is_claimed(database: Database) -> None:
    with pytest.raises(ValueError, match="unknown audience 'everyone'"):
        deliver(database, [BEFORE, reminder("x:1", "everyone")], mailer=LogMailer())
    with database.session("t") as s:
        assert s.exec(select(ReminderDispatch)).all() == []
