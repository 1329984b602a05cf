"""A real SMTP server for the tests: aiosmtpd on a free local port, keeping every message it receives."""

import email
import socket
import time
from dataclasses import dataclass
from email.message import Message
from types import TracebackType

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A local TCP port nobody listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as the server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: Message

    @property
    def key(self) -> str:
        """The reminder key the scheduler put in the X-CCTV-Reminder header."""
        return str(self.message["X-CCTV-Reminder"])

    @property
    def text(self) -> str:
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode("utf-8")


class SmtpSink:
    """`with SmtpSink() as smtp:` a server on smtp.port; smtp.messages is what arrived.

    With `credentials` it asks for AUTH LOGIN/PLAIN (without TLS, as a test server may) and records the logins.
    """

    def __init__(self, port: int | None = None, credentials: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.credentials = credentials
        self.messages: list[Received] = []
        self.logins: list[str] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos),
                                      email.message_from_bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert self.credentials is not None
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def start(self) -> "SmtpSink":
        auth = {"authenticator": self._authenticate, "auth_require_tls": False,
                "auth_required": True} if self.credentials else {}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def deliveries(self) -> list[tuple[str, str]]:
        """(recipient, reminder key) for every envelope recipient of every message, sorted."""
        return sorted((rcpt, m.key) for m in self.messages for rcpt in m.rcpt_tos)

    def wait_for(self, count: int, timeout: float = 15.0) -> None:
        """Wait until at least `count` messages have arrived (for a scheduler running in a thread)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
