"""Email over SMTP with the standard library: the mail account's settings, building a message, delivering.

Settings come from `MENTORING_SMTP` (a URL) and `MENTORING_MAIL_FROM`, or the `[smtp]` table of
.streamlit/secrets.toml (host, port, security, username, password, from, timeout); the environment wins.
URL forms:
- `smtp+starttls://user:app-password@smtp.gmail.com:587`: STARTTLS (port 587 by default);
- `smtps://user:app-password@smtp.gmail.com:465`: TLS from the first byte (port 465 by default);
- `smtp://127.0.0.1:2525`: no encryption, so only to a relay on this machine (loopback), with a login
  only when the URL has one.
A user name or password with special characters is percent-encoded in the URL (`@` as `%40`).
`?timeout=SECONDS` (default 30) bounds each wait for the server.

The password is kept out of every repr, message and error: a refused URL is never echoed.
Names and subjects come from forms, so they are cleaned of line breaks and control characters and put
in headers only through `email.headerregistry.Address`, which quotes them: a name can never add a header
or a recipient. The envelope's recipients are exactly the stored addresses, never parsed from headers.
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from ipaddress import ip_address
from urllib.parse import parse_qs, unquote, urlsplit

from lib.errors import InvalidInput, MentoringError

SECURITY = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}
DEFAULT_TIMEOUT = 30.0
HOW_TO_CONFIGURE = (
    "No mail account is set up, so nothing can be sent; set MENTORING_SMTP (for example "
    "smtp+starttls://you%40gmail.com:APP-PASSWORD@smtp.gmail.com:587) and MENTORING_MAIL_FROM, or an [smtp] "
    "table in .streamlit/secrets.toml (see the README's Email section)."
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_ADDRESS = re.compile(r"^[^@\s<>,;\"()\[\]\\]+@[^@\s<>,;\"()\[\]\\]+\.[^@\s<>,;\"()\[\]\\]+$")


class NotConfigured(MentoringError):
    """No SMTP server is configured."""


@dataclass(frozen=True)
class Account:
    """Where and how to send: the server, its security, the login and the From address."""

    host: str
    port: int
    security: str
    sender: Address
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    def describe(self) -> str:
        """The account in words, without the password (for the Outbox page and the command line)."""
        how = {"plain": "no encryption (loopback relay)", "starttls": "STARTTLS", "tls": "TLS"}[self.security]
        login = f", login {self.username}" if self.username else ", no login"
        return f"{self.host}:{self.port} with {how}{login}; from {self.sender}"


def account(smtp: str | Mapping | None, mail_from: str | None) -> Account:
    """The account from MENTORING_SMTP's URL or the [smtp] table, and the From address."""
    if smtp is None or (isinstance(smtp, str) and not smtp.strip()):
        raise NotConfigured(HOW_TO_CONFIGURE)
    parts = _from_url(smtp) if isinstance(smtp, str) else _from_table(smtp)
    security = parts["security"]
    if security == "plain" and not _is_loopback(parts["host"]):
        raise InvalidInput(
            "smtp:// sends without encryption, so it may only go to a relay on this machine (127.0.0.1 or "
            "localhost); use smtp+starttls://...:587 or smtps://...:465 for a mail provider."
        )
    sender_text = mail_from or parts.pop("from", None) or parts["username"]
    parts.pop("from", None)
    return Account(sender=parse_sender(sender_text), **parts)


def parse_sender(text: str | None) -> Address:
    """The From address, from "Name <address>" or a bare address."""
    if not text or not text.strip():
        raise InvalidInput(
            "Say who the mail is from: set MENTORING_MAIL_FROM (or 'from' in [smtp]) to \"Name <address>\"."
        )
    match = re.fullmatch(r"\s*(?:(.*?)\s*<([^<>]+)>|([^<>]+))\s*", text)
    name, address = (match.group(1) or "", match.group(2) or match.group(3)) if match else ("", "")
    address = address.strip()
    if not _ADDRESS.match(address):
        raise InvalidInput('The From address is not like "Name <address@example.org>"; correct MENTORING_MAIL_FROM.')
    return Address(display_name=clean(name.strip('"')), addr_spec=address)


def _from_url(url: str) -> dict:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts = port = None
    if parts is None or parts.scheme not in SECURITY or not parts.hostname:
        raise InvalidInput(
            "MENTORING_SMTP is not a mail server URL like smtp+starttls://user:app-password@smtp.example.org:587 "
            "(schemes: smtp, smtp+starttls, smtps)."
        )
    security = SECURITY[parts.scheme]
    timeout = parse_qs(parts.query).get("timeout", [DEFAULT_TIMEOUT])[0]
    return {
        "host": parts.hostname,
        "port": port or DEFAULT_PORTS[security],
        "security": security,
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "timeout": _seconds(timeout),
    }


def _from_table(table: Mapping) -> dict:
    security = str(table.get("security", "starttls")).lower()
    security = {"ssl": "tls", "smtps": "tls", "none": "plain"}.get(security, security)
    if security not in DEFAULT_PORTS or not str(table.get("host", "")).strip():
        raise InvalidInput(
            'secrets.toml [smtp] needs host and security = "starttls", "tls" or "plain" (see the README).'
        )
    try:
        port = int(table.get("port", DEFAULT_PORTS[security]))
    except (TypeError, ValueError):
        raise InvalidInput("secrets.toml [smtp] port must be a number such as 587.") from None
    return {
        "host": str(table["host"]).strip(),
        "port": port,
        "security": security,
        "username": str(table["username"]) if table.get("username") else None,
        "password": str(table["password"]) if table.get("password") else None,
        "timeout": _seconds(table.get("timeout", DEFAULT_TIMEOUT)),
        "from": table.get("from"),
    }


def _seconds(value) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0
    if not 0 < seconds <= 600:
        raise InvalidInput("The mail server timeout must be a number of seconds between 1 and 600.")
    return seconds


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def clean(text: str | None) -> str:
    """One line of text for a header: line breaks and control characters become spaces."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def recipient(name: str | None, email: str) -> Address:
    """A member as a To address: their cleaned name, their stored address (refused when it is not one)."""
    email = (email or "").strip()
    if not _ADDRESS.match(email):
        raise InvalidInput(f"'{clean(email)[:80]}' is not an email address, so the message cannot go to it.")
    return Address(display_name=clean(name), addr_spec=email)


def build(
    sender: Address,
    to: list[tuple[str | None, str]],
    subject: str,
    body: str,
    *,
    when: datetime,
    html_part: bool = True,
    invitation: bytes | None = None,
) -> EmailMessage:
    """A message with From, To, Subject, Date and Message-ID; the text, an HTML copy with the text escaped,
    and a calendar invitation (text/calendar METHOD:REQUEST, also attached as invite.ics) when given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = [recipient(name, email) for name, email in to]
    message["Subject"] = clean(subject) or "(no subject)"
    message["Date"] = format_datetime(when.astimezone())
    message["Message-ID"] = make_msgid(domain=sender.domain or "mentoring.example")
    message.set_content(body)
    if html_part:
        message.add_alternative(as_html(body), subtype="html")
    if invitation:
        params = {"method": "REQUEST", "charset": "utf-8"}
        message.add_alternative(invitation, maintype="text", subtype="calendar", params=params)
        message.add_attachment(invitation, maintype="application", subtype="ics", filename="invite.ics")
    return message


def as_html(body: str) -> str:
    """The plain text as simple HTML, every character of it escaped."""
    paragraphs = [html.escape(p).replace("\n", "<br>\n") for p in re.split(r"\n\s*\n", body.strip())]
    inner = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<!DOCTYPE html>\n<html><body style="font-family: sans-serif; line-height: 1.4">\n{inner}\n</body></html>\n'


class Connection:
    """One logged-in SMTP session; `deliver` sends one message to exactly the addresses given."""

    def __init__(self, acct: Account):
        self.account = acct
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        acct = self.account
        context = ssl.create_default_context()
        if acct.security == "tls":
            self.smtp = smtplib.SMTP_SSL(acct.host, acct.port, timeout=acct.timeout, context=context)
        else:
            self.smtp = smtplib.SMTP(acct.host, acct.port, timeout=acct.timeout)
        try:
            if acct.security == "starttls":
                self.smtp.starttls(context=context)
            if acct.username:
                self.smtp.login(acct.username, acct.password or "")
        except BaseException:
            self.close()
            raise
        return self

    def deliver(self, message: EmailMessage, to: list[str]) -> dict:
        """Send; returns the recipients the server refused (an empty dict when it took all)."""
        assert self.smtp is not None
        return self.smtp.send_message(message, from_addr=self.account.sender.addr_spec, to_addrs=to)

    def close(self) -> None:
        """Say goodbye to the server (quietly when the connection is already gone)."""
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc) -> None:
        self.close()


def explain(exc: BaseException, acct: Account) -> str:
    """One sentence a moderator can act on for a failed connection or delivery (never the password)."""
    where = f"{acct.host}:{acct.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"The mail server {where} refused the login of {acct.username}; check the user name and the app "
            "password (see the README's Email section)."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) or (
        isinstance(exc, smtplib.SMTPException) and "STARTTLS" in str(exc)
    ):
        return f"The mail server {where} does not offer STARTTLS or a login; check the port and the security setting."
    if isinstance(exc, ssl.SSLError):
        return f"The secure connection to {where} failed ({exc.reason or exc}); check the port and the security."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"The mail server {where} refused every recipient: {', '.join(exc.recipients)}."
    if isinstance(exc, smtplib.SMTPResponseException):
        said = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"The mail server {where} said {exc.smtp_code} {clean(said)[:200]}; try again later."
    if isinstance(exc, (TimeoutError, smtplib.SMTPServerDisconnected)):
        return f"The mail server {where} did not answer in time or closed the connection; try again later."
    if isinstance(exc, ConnectionRefusedError):
        return f"Nothing answers at {where}; the mail server is down or the host or port is wrong."
    if isinstance(exc, OSError):
        return f"Cannot reach the mail server {where} ({exc.strerror or exc}); check the host and the network."
    return f"Sending failed at {where}: {clean(str(exc))[:200]}."
