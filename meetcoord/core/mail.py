"""Mail transports: how a stored outbox message leaves the building.

The outbox stores each message as complete RFC 5322 bytes, so a transport only has to hand
those bytes on — it never re-renders or re-encodes anything, and what the secretariat
previewed is what is sent. Three transports share one small interface, chosen by
``MEETCOORD_MAIL_TRANSPORT``:

- ``smtp``: the real thing; one connection per delivery pass, reused for every message;
- ``console``: prints each message (development: see the mail without a server);
- ``file``: writes ``instance/mail/<id>.eml`` (development: open it in a mail program).

Errors are split in two because the worker treats them differently: a
:class:`ConnectionFailure` says nothing about the message (the server is down, refused the
login, dropped the line) and stops the pass, while a :class:`MessageRejected` is about this
one message and costs it one attempt.

Whoever builds a message puts names and titles into its headers through
:func:`header_text` and :func:`mailbox`: a line break in a stored name (input is cleaned,
but rows from before that remain) must never start a new header or make the standard
library refuse the header, which once failed a whole circulation with a 500.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import sys
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import formataddr
from pathlib import Path
from typing import Any, Protocol

from meetcoord.core.cleaning import clean_line

log = logging.getLogger("meetcoord.mail")


def header_text(value: str) -> str:
    """A header value from free text (a Subject with a meeting title): one clean line."""
    return clean_line(str(value))


def mailbox(name: str, address: str) -> str:
    """``"Name" <address>`` for From/To, the name on one line and RFC 2047-encoded if needed."""
    return formataddr((header_text(name), clean_line(address)), charset="utf-8")


class MailError(Exception):
    """A delivery did not happen; ``str(exc)`` is a one-line reason for the outbox page."""


class ConnectionFailure(MailError):
    """The transport itself is unusable right now; no message is to blame."""


class MessageRejected(MailError):
    """The server refused this message (or its sender or recipient)."""


class Connection(Protocol):
    def send(self, message_id: int, sender: str, recipient: str, message: bytes) -> None:
        """Deliver one message or raise :class:`MailError`; return only once it is accepted."""


class Transport(Protocol):
    name: str

    def open(self) -> AbstractContextManager[Connection]:
        """A connection for one delivery pass; raises :class:`ConnectionFailure`."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if exc.smtp_error else ""
        return f"SMTP {exc.smtp_code} {text}".strip()[:500]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {msg.decode(errors='replace')}" for code, msg in exc.recipients.values()]
        return ("SMTP recipient refused: " + "; ".join(codes))[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str = ""
    password: str = ""
    timeout: float = 10.0


class _SmtpConnection:
    def __init__(self, client: smtplib.SMTP):
        self.client = client

    def send(self, message_id: int, sender: str, recipient: str, message: bytes) -> None:
        try:
            # Bytes go out as stored: no re-encoding, no header rewriting.
            self.client.sendmail(sender, [recipient], message)
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError,
        ) as exc:
            raise MessageRejected(_describe(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Disconnected or timed out mid-message: the line is gone, not the message.
            raise ConnectionFailure(_describe(exc)) from exc


class SmtpTransport:
    """SMTP with optional STARTTLS or implicit TLS and login; one connection per pass."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if s.security == "ssl":
            client = smtplib.SMTP_SSL(timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(timeout=s.timeout)
        try:
            client.connect(s.host, s.port)
            client.ehlo_or_helo_if_needed()
            if s.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if s.username:
                client.login(s.username, s.password)
        except (smtplib.SMTPException, OSError) as exc:
            client.close()
            where = f"{s.host}:{s.port}"
            raise ConnectionFailure(f"{where}: {_describe(exc)}") from exc
        return client

    @contextmanager
    def open(self) -> Iterator[Connection]:
        client = self._connect()
        try:
            yield _SmtpConnection(client)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


class _ConsoleConnection:
    def __init__(self, stream: Any):
        self.stream = stream

    def send(self, message_id: int, sender: str, recipient: str, message: bytes) -> None:
        subject = BytesHeaderParser().parsebytes(message).get("Subject", "")
        log.info("console mail #%s to %s: %s", message_id, recipient, subject)
        text = message.decode("utf-8", errors="replace")
        print(
            f"----- mail #{message_id} from {sender} to {recipient} -----\n{text}\n"
            f"----- end of mail #{message_id} -----",
            file=self.stream or sys.stdout,
            flush=True,
        )


class ConsoleTransport:
    """Prints every message to stdout (development: nothing leaves the machine)."""

    name = "console"

    def __init__(self, stream: Any = None):
        self.stream = stream

    @contextmanager
    def open(self) -> Iterator[Connection]:
        # Resolved per pass, so that a test capturing stdout sees the output.
        yield _ConsoleConnection(self.stream or sys.stdout)


class _FileConnection:
    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message_id: int, sender: str, recipient: str, message: bytes) -> None:
        target = self.directory / f"{message_id}.eml"
        partial = target.with_suffix(".eml.part")
        try:
            partial.write_bytes(message)
            os.replace(partial, target)  # a reader never sees half a message
        except OSError as exc:
            raise ConnectionFailure(f"{target}: {exc}") from exc


class FileTransport:
    """Writes ``<id>.eml`` files: open them in Thunderbird to check layout and calendar."""

    name = "file"

    def __init__(self, directory: Path):
        self.directory = directory

    @contextmanager
    def open(self) -> Iterator[Connection]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConnectionFailure(f"{self.directory}: {exc}") from exc
        yield _FileConnection(self.directory)


def build_transport(config: Mapping[str, Any]) -> Transport:
    """The transport the configuration names (validated by ``config.load_config``)."""
    kind = config["MAIL_TRANSPORT"]
    if kind == "smtp":
        return SmtpTransport(
            SmtpSettings(
                host=config["SMTP_HOST"],
                port=config["SMTP_PORT"],
                security=config["SMTP_SECURITY"],
                username=config["SMTP_USERNAME"],
                password=config["SMTP_PASSWORD"],
                timeout=float(config["SMTP_TIMEOUT"]),
            )
        )
    if kind == "file":
        return FileTransport(Path(config["INSTANCE_PATH"]) / "mail")
    return ConsoleTransport()
