"""The mail outbox: messages written in the same transaction as the change that causes them.

A secretariat sending 200 invitations must not lose one because the SMTP server is down or
the process is killed: the invitation and its e-mail are committed together, and a worker
delivers what is due, retrying with backoff. Delivery itself lives in ``core.mail`` and
``core.worker``; this module holds the table and the one way to add to it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from flask import current_app
from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from meetcoord.core.db import str_enum, utcnow
from meetcoord.core.mail import header_text, mailbox
from meetcoord.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after the allowed attempts; a person can retry it


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. invitation, update, cancellation
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[bytes] = mapped_column(LargeBinary)  # the complete RFC 5322 message
    ref_type: Mapped[str | None] = mapped_column(String(40))  # what caused it, for the UI
    ref_id: Mapped[int | None]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 10), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        Index("ix_outbox_messages_ref", "ref_type", "ref_id"),
    )


def enqueue(
    *,
    kind: str,
    recipient: str,
    subject: str,
    message: bytes,
    ref_type: str | None = None,
    ref_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the caller's transaction; it exists only if the caller commits."""
    row = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject[:300],
        message=message,
        ref_type=ref_type,
        ref_id=ref_id,
    )
    db.session.add(row)
    return row


def text_message(
    to: str, name: str, subject: str, body: str, *, sender_name: str | None = None
) -> EmailMessage:
    """A plain-text mail from the institution to one person, in Indonesian.

    For the short notices every feature sends (circulation, a signing code, a personal
    link sent again); invitations with calendar files are composed by ``calendar``.
    ``sender_name`` is the From display name of the meeting's institution; the
    installation's name when the mail belongs to no meeting. The address is always
    ``MAIL_FROM``, the one mailbox the installation sends from.
    """
    config = current_app.config
    message = EmailMessage(policy=SMTP)
    # Names and titles may hold what a header cannot (a line break stored before names
    # were cleaned at input): one clean line each, so no stored value can break a mail.
    message["From"] = mailbox(sender_name or config["INSTITUTION_NAME"], config["MAIL_FROM"])
    message["To"] = mailbox(name, to)
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="meetcoord")
    message.set_content(body)
    # After set_content, which drops the content headers set before it.
    message["Content-Language"] = "id"
    return message
