"""Sending an invitee their own personal link again, by mail (issue 11).

A personal link is its holder's alone (DESIGN §6): no page or API answer shows it to the
secretariat, so no staff login can act as a participant, read their documents or ask for
their signing code. When someone has lost their invitation mail, the secretariat presses
"Kirim ulang tautan": the link goes to the invitee's own address through the outbox, an
audit entry records who asked, and the asking is paced per invitation
(:data:`PER_HOUR`) so that a mailbox cannot be flooded.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from meetcoord.access.institutions import letterhead_for
from meetcoord.accounts.models import User
from meetcoord.core import audit, outbox
from meetcoord.core.errors import Conflict, NotFound, TooManyRequests, ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation, MeetingStatus
from meetcoord.meetings.services import commit, require_editor

ACTION = "resend_link"
PER_HOUR = 3


def _body(invitation: Invitation) -> str:
    meeting = invitation.meeting
    site = invitation.site
    zone = (
        site.venue.timezone
        if site
        else (meeting.host_venue.timezone if meeting.host_venue else "Asia/Jakarta")
    )
    when = (
        f"{format_long_date(meeting.start_at, zone)}, {format_time_in_zone(meeting.start_at, zone)}"
    )
    return (
        f"Yth. {invitation.person.name},\n\n"
        f"Atas permintaan, berikut tautan pribadi Anda untuk {meeting.title} ({when}):\n"
        f"{links.personal_url(invitation)}\n\n"
        "Lewat tautan ini Anda menjawab undangan, melihat kode QR kehadiran, mengikuti "
        "rapat dan membaca dokumennya. Tautan ini khusus untuk Anda; jangan diteruskan. "
        "Menandatangani dokumen juga memerlukan kode yang dikirim ke alamat surel ini.\n"
    )


def resend_link(actor: User | None, invitation: Invitation) -> str:
    """Mail ``invitation``'s own link to its invitee; returns the address it went to."""
    require_editor(actor, invitation.meeting)
    if invitation.withdrawn_at is not None:
        raise NotFound(_l("Undangan tidak ditemukan."))
    person = invitation.person
    if not person.email:
        message = _l(
            "%(name)s tidak punya alamat surel, jadi tautan pribadinya tidak dapat dikirim "
            "ulang. Catat alamat surelnya di direktori, lalu coba lagi.",
            name=person.name,
        )
        raise ValidationError(message, errors=fe(email=message))
    if invitation.meeting.status is MeetingStatus.DRAFT:
        raise Conflict(_l("Undangan rapat ini belum dikirim. Kirim undangan lebih dulu."))
    if audit.recent_count(ACTION, invitation, timedelta(hours=1)) >= PER_HOUR:
        raise TooManyRequests(
            _l(
                "Tautan %(name)s sudah dikirim ulang %(n)d kali dalam satu jam terakhir. "
                "Coba lagi nanti.",
                name=person.name,
                n=PER_HOUR,
            )
        )
    message = outbox.text_message(
        person.email,
        person.name,
        f"Tautan pribadi: {invitation.meeting.title}",
        _body(invitation),
        sender_name=letterhead_for(invitation.meeting).sender_name,
    )
    outbox.enqueue(
        kind="personal_link",
        recipient=person.email,
        subject=str(message["Subject"]),
        message=message.as_bytes(),
        ref_type="invitation",
        ref_id=invitation.id,
    )
    audit.record(
        actor,
        ACTION,
        invitation,
        f"personal link mailed again to {person.name} ({invitation.meeting.title})",
    )
    commit()
    return person.email
