"""The meeting reminder mail: short, in the reader's zone, with their link and the mute.

Indonesian, as the invitation mails are (``calendar.compose``: the directory records no
language per person, so there is nothing yet to choose English by). It names the meeting,
the day and time in the invitee's own zone with its label (``meetings.zones.reader_zone``,
the one rule every surface follows), their site or the online link, and their personal
link to the page that shows their check-in QR (``#kartu``).

The QR itself is not put in the mail: the personal page draws the current credential
(revoked when the invitation is withdrawn, re-issued when the site changes) for its holder
only, while an image in the mail would be a credential copied into every mailbox, archive
and forward that mail reaches. The link is the one the invitation already carried.

Headers: ``List-Unsubscribe`` + ``List-Unsubscribe-Post`` (RFC 8058, one-click mute),
``Auto-Submitted: auto-generated`` (RFC 3834: no out-of-office replies to a reminder).
"""

from __future__ import annotations

from email.message import EmailMessage

from meetcoord.access.institutions import letterhead_for
from meetcoord.calendar.data import EventData
from meetcoord.calendar.wording import place, time_at, when_line
from meetcoord.core import outbox
from meetcoord.meetings import mailing
from meetcoord.meetings.models import Invitation
from meetcoord.meetings.zones import reader_zone
from meetcoord.reminders.mute import mute_url
from meetcoord.reminders.timing import ReminderKind

QR_ANCHOR = "#kartu"  # the personal page's check-in card


def _subject(kind: ReminderKind, title: str, start: str) -> str:
    """ "Pengingat: Rakor … — besok pukul 09.00 WITA" (the reader's own time)."""
    when = "besok" if kind is ReminderKind.MEETING_DAY_BEFORE else "hari ini"
    return f"Pengingat: {title} — {when} pukul {start}"


def _body(kind: ReminderKind, invitation: Invitation, event: EventData, mute: str) -> str:
    meeting = invitation.meeting
    reader = mailing.recipient(invitation, event)
    day = "besok" if kind is ReminderKind.MEETING_DAY_BEFORE else "hari ini"
    lines = [
        f"Yth. {reader.name},",
        "",
        f"Mengingatkan, {meeting.title} diadakan {day}:",
        "",
        f"Waktu: {when_line(event, reader.zone)}",
        f"Tempat: {place(event, reader)}",
    ]
    if event.online_url and not reader.is_online:
        lines.append(f"Tautan daring: {event.online_url}")
    lines += [
        "",
        "Tautan pribadi Anda — konfirmasi kehadiran dan kode QR untuk meja registrasi:",
        f"{reader.personal_url}{QR_ANCHOR}",
        "",
        "Tunjukkan kode QR di halaman itu saat tiba di lokasi. Tautan ini khusus untuk Anda; "
        "jangan diteruskan.",
        "",
        "-- ",
        letterhead_for(meeting).name,
        f"Tidak ingin menerima pengingat lagi? Matikan di sini: {mute}",
    ]
    return "\n".join(lines) + "\n"


def compose_meeting_reminder(
    kind: ReminderKind, invitation: Invitation, event: EventData | None = None
) -> EmailMessage:
    """The reminder for one invitee, ready for the outbox; ``event`` is the meeting's
    shared calendar data (``meetings.mailing.event_data``), built once per meeting."""
    event = event or mailing.event_data(invitation.meeting)
    person = invitation.person
    mute = mute_url(person)
    message = outbox.text_message(
        person.email or "",
        person.name,
        _subject(kind, invitation.meeting.title, time_at(event.start_at, reader_zone(invitation))),
        _body(kind, invitation, event, mute),
        sender_name=letterhead_for(invitation.meeting).sender_name,
    )
    return reminder_headers(message, mute)


def reminder_headers(message: EmailMessage, mute: str | None) -> EmailMessage:
    """Every reminder's headers: the one-click mute (RFC 8058) when it goes to one person,
    and no auto-replies (RFC 3834)."""
    if mute is not None:
        message["List-Unsubscribe"] = f"<{mute}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    # A folded List-Unsubscribe ("List-Unsubscribe:" then the URL on the next line) is
    # valid but some one-click implementations misread it: write headers up to the RFC 5322
    # limit instead of folding at 78 (the URL has no space to fold at anyway).
    message.policy = message.policy.clone(max_line_length=998)
    return message
