"""Sending e-mail: SMTP through smtplib, or a log-only mailer when no SMTP server is configured (or in a dry run).

The settings come in as a small dataclass the caller builds from configuration; nothing here reads app config.
"""

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server. An empty host means: do not send, only log."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    mail_from: str = "cctv-estate@localhost"
    timeout: float = 30.0


@dataclass(frozen=True)
class OutgoingMail:
    """One message to one or more recipients."""

    recipients: tuple[str, ...]
    subject: str
    body: str
    headers: tuple[tuple[str, str], ...] = ()


class Mailer(Protocol):
    """What delivery needs of a mailer. `delivers` is False for one that only logs."""

    delivers: bool

    def send(self, mail: OutgoingMail) -> tuple[str, ...]:
        """Hand the message over and return the recipients the server refused, or raise (smtplib.SMTPException
        or OSError) if it could not be handed over at all."""
        ...


def build_message(mail: OutgoingMail, mail_from: str) -> EmailMessage:
    """The RFC 5322 message for a mail: plain text, UTF-8."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = ", ".join(mail.recipients)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or None)
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.body)
    return message


class SmtpMailer:
    """Sends through an SMTP server: one connection per message, which a daily job can well afford."""

    delivers = True

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, mail: OutgoingMail) -> tuple[str, ...]:
        """One SMTP transaction for all recipients. Raises when the server refuses every recipient."""
        s = self.settings
        message = build_message(mail, s.mail_from)
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
            refused = smtp.send_message(message, from_addr=s.mail_from, to_addrs=list(mail.recipients))
        if refused:  # some addresses refused, the rest accepted: sending again would repeat it to those
            log.warning("SMTP server refused %s for %r", ", ".join(sorted(refused)), mail.subject)
        return tuple(sorted(refused))


class LogMailer:
    """Writes what it would send to the log and keeps it in `outbox` (no SMTP server, or a dry run)."""

    delivers = False

    def __init__(self) -> None:
        self.outbox: list[OutgoingMail] = []

    def send(self, mail: OutgoingMail) -> tuple[str, ...]:
        """Log the message instead of sending it."""
        self.outbox.append(mail)
        log.info("e-mail not sent (no SMTP): to %s: %s", ", ".join(mail.recipients), mail.subject)
        return ()


def make_mailer(settings: MailSettings, *, dry_run: bool = False) -> Mailer:
    """SMTP when a host is configured, otherwise (and always in a dry run) the log-only mailer."""
    if dry_run or not settings.host:
        return LogMailer()
    return SmtpMailer(settings)


def split_addresses(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Addresses from configuration: a list, or one string separated by commas or semicolons."""
    if not value:
        return ()
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return tuple(a.strip() for a in items if a and a.strip())
