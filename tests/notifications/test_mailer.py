"""The SMTP mailer against a real server (with a login), the log-only mailer, and settings from configuration."""

import pytest

from cctv.jobs.settings import settings_from_config
from cctv.notifications.mailer import LogMailer, MailSettings, OutgoingMail, SmtpMailer, make_mailer, split_addresses
from tests.notifications.smtp import SmtpSink

MAIL = OutgoingMail(recipients=("dana@council.example", "ada@council.example"), subject="DPIA review due: Car parks",
                    body="Due on 30 March 2026 — café signage.", headers=(("X-CCTV-Reminder", "review:1:due"),))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a test server on localhost
def test_the_smtp_mailer_logs_in_and_sends_one_message_to_every_recipient() -> None:
    with SmtpSink(credentials=("cctv", "s3cret")) as smtp:
        settings = MailSettings(host="127.0.0.1", port=smtp.port, user="cctv", password="s3cret",
                                mail_from="cctv@council.example", timeout=5)
        assert SmtpMailer(settings).send(MAIL) == ()
    assert smtp.logins == ["cctv"]
    (received,) = smtp.messages
    assert received.rcpt_tos == ("dana@council.example", "ada@council.example")
    assert received.message["From"] == "cctv@council.example"
    assert received.message["To"] == "dana@council.example, ada@council.example"
    assert received.key == "review:1:due"
    assert received.text.strip() == "Due on 30 March 2026 — café signage."


def test_without_a_host_or_in_a_dry_run_the_mailer_only_logs() -> None:
    assert isinstance(make_mailer(MailSettings()), LogMailer)
    assert isinstance(make_mailer(MailSettings(host="smtp.example"), dry_run=True), LogMailer)
    assert isinstance(make_mailer(MailSettings(host="smtp.example")), SmtpMailer)
    mailer = LogMailer()
    assert mailer.send(MAIL) == () and mailer.outbox == [MAIL] and mailer.delivers is False


def test_settings_come_from_configuration_as_environment_variables_give_them() -> None:
    # CCTV_* variables arrive parsed as JSON when they are JSON, else as strings.
    settings = settings_from_config({
        "SMTP_HOST": "smtp.council.example", "SMTP_PORT": 587, "SMTP_USER": "cctv", "SMTP_PASSWORD": "pw",
        "SMTP_STARTTLS": "true", "MAIL_FROM": "cctv@council.example", "DPO_EMAILS": "dpo@c.example; dp2@c.example",
        "ESCALATION_EMAILS": ["boss@c.example"], "DPIA_REMINDER_DAYS": "30,14,7", "DPIA_ESCALATE_EVERY_DAYS": 3,
        "SCHEDULER_HOUR": 5, "TIMEZONE": "Europe/London", "APP_URL": "https://cctv.example",
    })
    assert settings.mail == MailSettings(host="smtp.council.example", port=587, user="cctv", password="pw",
                                         starttls=True, mail_from="cctv@council.example")
    assert settings.dpo_emails == ("dpo@c.example", "dp2@c.example")
    assert settings.escalation_emails == ("boss@c.example",)
    assert (settings.reminder_days, settings.escalate_every_days, settings.hour) == ((30, 14, 7), 3, 5)
    assert "pw" not in repr(settings.mail)
    assert settings_from_config({"DPIA_REMINDER_DAYS": [30, 7]}).reminder_days == (30, 7)
    assert split_addresses("") == () and split_addresses(None) == ()
