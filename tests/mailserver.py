"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), optionally with STARTTLS and a login.

    with mail_server() as server:            # plain, no login: a loopback relay
        ...send to server.url()...
        server.received                       # [Received(mail_from, rcpt_tos, message)]

`mail_server(tls=True, logins={"mod": "app-pass"})` requires STARTTLS with a certificate made for the
test by trustme and a login; point SSL_CERT_FILE at `server.ca_file` so the client trusts it.
`refusing_port()` is a port where nothing answers; `silent_port()` one that accepts and never speaks.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class FreePortController(Controller):
    """aiosmtpd's Controller on a free port (port=0 fails in start(), which connects to port 0)."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        """The message parsed with the modern policy."""
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class MailServer:
    """A running server: where it listens and what it received."""

    port: int
    received: list[Received] = field(default_factory=list)
    ca_file: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, user: str | None = None, password: str | None = None, *, timeout: float = 10) -> str:
        """The MENTORING_SMTP URL for this server."""
        scheme = "smtp+starttls" if self.ca_file else "smtp"
        login = f"{quote(user, safe='')}:{quote(password or '', safe='')}@" if user else ""
        return f"{scheme}://{login}127.0.0.1:{self.port}?timeout={timeout}"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@contextmanager
def mail_server(
    *, tls: bool = False, logins: dict[str, str] | None = None, tmp: Path | None = None
) -> Iterator[MailServer]:
    """Run a server for the duration of the block."""
    box = MailServer(port=0)
    options: dict = {}
    if tls:
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        folder = tmp or Path(__import__("tempfile").mkdtemp())
        box.ca_file = folder / "test-ca.pem"
        ca.cert_pem.write_to_path(str(box.ca_file))
        options |= {"tls_context": context, "require_starttls": True}
    if logins is not None:

        def check(server, session, envelope, mechanism, auth_data):
            ok = logins.get(auth_data.login.decode()) == auth_data.password.decode()
            return AuthResult(success=ok, handled=False)

        options |= {"authenticator": check, "auth_required": True, "auth_require_tls": tls}
        if not tls:
            options["auth_require_tls"] = False
    controller = FreePortController(box, hostname="127.0.0.1", port=0, **options)
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port that refuses connections (bound, never listening)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@contextmanager
def silent_port() -> Iterator[int]:
    """A loopback port that accepts a connection and never says anything (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()
