"""The mails a document sends, through the outbox (written in the step's own transaction).

Circulation mails each invitee their personal link to the draft and its comment form;
distribution mails the signed PDF to every invitee and every attendee (walk-ins too),
once per address. Both are queued with the step that causes them, so a killed process
or an SMTP server that is down delays them but never loses or doubles them.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import select

from meetcoord.access.institutions import letterhead_for
from meetcoord.checkin.models import Attendance
from meetcoord.core import outbox
from meetcoord.core.timezones import zone_label
from meetcoord.directory.models import Person
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.meetings.links import absolute, personal_url
from meetcoord.meetings.models import Invitation
from meetcoord.meetings.zones import reader_zone

KIND_WORDS = {
    "minutes": "Notulen",
    "addendum": "Adendum notulen",
    "agreement": "Berita acara kesepakatan",
    "invitation_letter": "Surat undangan",
}


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


def _deadline_text(document: Document, zone: str) -> str:
    """The comment deadline as this reader reads it (``zones.reader_zone``)."""
    if document.comment_deadline_at is None:
        return "-"
    local = document.comment_deadline_at.astimezone(ZoneInfo(zone))
    return f"{local:%d-%m-%Y %H.%M} {zone_label(zone, local)}"


def _sender(document: Document) -> str:
    """The From name of the document's institution."""
    return letterhead_for(document).sender_name


def queue_circulation(document: Document) -> int:
    """One mail per invitee with an address: the draft is open for comments until …"""
    queued = 0
    for inv in _invitees(document):
        deadline = _deadline_text(document, reader_zone(inv))
        link = personal_url(inv) + f"/documents/{document.id}"
        body = (
            f"Yth. {inv.person.name},\n\n"
            f"Rancangan {document.title} diedarkan untuk mendapat tanggapan peserta.\n"
            f"Baca dan beri komentar melalui tautan pribadi Anda:\n{link}\n\n"
            f"Batas waktu komentar: {deadline}.\n\n"
            "Tautan ini khusus untuk Anda; jangan diteruskan.\n"
        )
        message = outbox.text_message(
            inv.person.email,
            inv.person.name,
            f"Mohon tanggapan: {document.title}",
            body,
            sender_name=_sender(document),
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


def distribution_subject(document: Document) -> str:
    """ "Notulen Rakor Pangan", not "Notulen: Notulen Rakor Pangan": the document's title
    already opens with what it is for minutes, a berita acara and an addendum, so the kind
    is put in front only of a title that does not say it (issue 16)."""
    words = KIND_WORDS.get(document.kind.value, "Dokumen")
    title = " ".join(document.title.split())
    if title.split(" ", 1)[0].casefold() == words.split(" ", 1)[0].casefold():
        return title
    return f"{words}: {title}"


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
        message = outbox.text_message(
            email, name, distribution_subject(document), body, sender_name=_sender(document)
        )
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
        _queue("distribution", document, message, email)
        queued += 1
    return queued


def queue_signing_code(
    document: Document, role_label: str, to: str, name: str, code: str, expires_at: datetime
) -> None:
    """The one-time signing code, to the signatory's own address only.

    The code is in the body alone: the outbox page shows subjects and recipients, and the
    subject must tell the secretariat nothing that signs.
    """
    zone = document.content.get("host_zone", "Asia/Jakarta")
    local = expires_at.astimezone(ZoneInfo(zone))
    body = (
        f"Yth. {name},\n\n"
        f"Kode untuk menandatangani {document.title} sebagai {role_label}:\n\n"
        f"    {code}\n\n"
        f"Kode ini berlaku sampai pukul {local:%H.%M} {zone_label(zone, local)} dan hanya "
        "untuk satu tanda tangan. Jangan berikan kode ini kepada siapa pun, termasuk "
        "sekretariat.\n\n"
        "Bila Anda tidak meminta kode ini, orang lain memegang tautan pribadi Anda: "
        "abaikan surel ini dan beri tahu sekretariat.\n"
    )
    message = outbox.text_message(
        to, name, f"Kode tanda tangan: {document.title}", body, sender_name=_sender(document)
    )
    _queue("signing_code", document, message, to)
