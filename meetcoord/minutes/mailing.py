"""The mails a document sends, through the outbox (written in the step's own transaction).

Circulation mails each invitee their personal link to the draft and its comment form;
distribution mails the signed PDF to every invitee and every attendee (walk-ins too),
once per address. Both are queued with the step that causes them, so a killed process
or an SMTP server that is down delays them but never loses or doubles them.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from meetcoord.checkin.models import Attendance
from meetcoord.core import outbox
from meetcoord.core.db import utcnow
from meetcoord.core.mail import header_text, mailbox
from meetcoord.core.timezones import zone_label
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings.links import absolute, personal_url
from meetcoord.meetings.models import Invitation
from meetcoord.minutes.models import Document

KIND_WORDS = {
    "minutes": "Notulen",
    "addendum": "Adendum notulen",
    "agreement": "Berita acara kesepakatan",
    "invitation_letter": "Surat undangan",
}


def _message(to: str, name: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = mailbox(
        current_app.config["INSTITUTION_NAME"], current_app.config["MAIL_FROM"]
    )
    message["To"] = mailbox(name, to)
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="meetcoord")
    message["Content-Language"] = "id"
    message.set_content(body)
    return message


def _queue(kind: str, document: Document, message: EmailMessage, to: str) -> None:
    outbox.enqueue(
        kind=kind,
        recipient=to,
        subject=str(message["Subject"]),
        message=message.as_bytes(),
        ref_type="document",
        ref_id=document.id,
    )


def _invitees(document: Document) -> list[Invitation]:
    return [
        inv for inv in document.meeting.invitations if inv.withdrawn_at is None and inv.person.email
    ]


def _deadline_text(document: Document) -> str:
    if document.comment_deadline_at is None:
        return "-"
    zone = document.content.get("host_zone", "Asia/Jakarta")
    local = document.comment_deadline_at.astimezone(ZoneInfo(zone))
    return f"{local:%d-%m-%Y %H.%M} {zone_label(zone, local)}"


def queue_circulation(document: Document) -> int:
    """One mail per invitee with an address: the draft is open for comments until …"""
    queued = 0
    deadline = _deadline_text(document)
    for inv in _invitees(document):
        link = personal_url(inv) + f"/documents/{document.id}"
        body = (
            f"Yth. {inv.person.name},\n\n"
            f"Rancangan {document.title} diedarkan untuk mendapat tanggapan peserta.\n"
            f"Baca dan beri komentar melalui tautan pribadi Anda:\n{link}\n\n"
            f"Batas waktu komentar: {deadline}.\n\n"
            "Tautan ini khusus untuk Anda; jangan diteruskan.\n"
        )
        message = _message(
            inv.person.email, inv.person.name, f"Mohon tanggapan: {document.title}", body
        )
        _queue("circulation", document, message, inv.person.email)
        queued += 1
    return queued


def distribution_recipients(document: Document) -> list[tuple[str, str]]:
    """(address, name) of every invitee and attendee, each address once, in a stable order."""
    seen: dict[str, str] = {}
    for inv in _invitees(document):
        seen.setdefault(inv.person.email.lower(), inv.person.name)
    attendees = db.session.execute(
        select(Person.email, Person.name)
        .join(Attendance, Attendance.person_id == Person.id)
        .where(Attendance.meeting_id == document.meeting_id, Person.email.is_not(None))
        .order_by(Attendance.id)
    )
    for email, name in attendees:
        if email:
            seen.setdefault(email.lower(), name)
    return sorted(seen.items())


def queue_distribution(document: Document, pdf: bytes, filename: str) -> int:
    """The signed PDF to everyone concerned, with the verification link."""
    words = KIND_WORDS.get(document.kind.value, "Dokumen")
    verify = absolute(f"/verify/{document.verify_code}")
    queued = 0
    for email, name in distribution_recipients(document):
        body = (
            f"Yth. {name},\n\n"
            f"Terlampir {words.lower()} yang telah ditandatangani secara elektronik:\n"
            f"{document.title}\n\n"
            f"Keaslian berkas dapat diperiksa di {verify}\n"
            f"SHA-256 berkas: {document.sha256}\n"
        )
        message = _message(email, name, f"{words}: {document.title}", body)
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
        _queue("distribution", document, message, email)
        queued += 1
    return queued
