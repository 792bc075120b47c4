"""A real SMTP server for tests (aiosmtpd on loopback) and outbox message helpers."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from meetcoord.core.db import utcnow
from meetcoord.core.mail import SmtpSettings, SmtpTransport
from meetcoord.core.outbox import OutboxMessage, enqueue
from meetcoord.extensions import db

REFUSED = "ditolak@bappeda.example.go.id"


class Collector:
    """An aiosmtpd handler keeping every accepted message; refuses one address with 550."""

    def __init__(self) -> None:
        self.messages: list[Envelope] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for envelope in self.messages for address in envelope.rcpt_tos]

    def message_ids(self) -> list[str]:
        return [
            email.message_from_bytes(envelope.original_content or b"")["Message-ID"]
            for envelope in self.messages
        ]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = Collector()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def smtp_transport(port: int) -> SmtpTransport:
    return SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, timeout=5))


def message_fields(n: int, recipient: str | None = None) -> dict[str, Any]:
    recipient = recipient or f"peserta{n}@opd.example.go.id"
    mail = EmailMessage()
    mail["From"] = "meetcoord@localhost"
    mail["To"] = recipient
    mail["Subject"] = f"Undangan Rapat Koordinasi #{n}"
    mail["Message-ID"] = f"<undangan-{n}@meetcoord.test>"
    mail.set_content(f"Yth. Bapak/Ibu peserta {n},\nRapat pukul 09.00 WIB / 10.00 WITA.\n")
    return {
        "kind": "invitation",
        "recipient": recipient,
        "subject": str(mail["Subject"]),
        "message": mail.as_bytes(),
    }


def make_message(n: int, recipient: str | None = None) -> OutboxMessage:
    return enqueue(**message_fields(n, recipient))


def queue(count: int) -> list[OutboxMessage]:
    rows = [make_message(n) for n in range(count)]
    db.session.commit()
    return rows


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


class Clock:
    """Time the worker sees; tests move it instead of sleeping through the backoff."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
