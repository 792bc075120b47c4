"""The follow-up action mails: a responsible person's digest, a forum's overdue summary.

Indonesian and formal, as the meeting reminders are (the directory records no language
per person). Dates are the reader's calendar days with their zone's label: a due date is
a day, and which day "today" is depends on where the reader is.

The digest links its reader to their agency's actions through their own personal link
(``/i/<token>/actions``, the portal's agency view): it goes only into its holder's mail.
The forum summary goes to staff, who sign in: it links the tracker, never a personal link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from flask_babel import force_locale

from meetcoord.access.institutions import letterhead_for
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action
from meetcoord.calendar.wording import long_date, time_at
from meetcoord.core import outbox
from meetcoord.core.timezones import format_long_date, zone_label
from meetcoord.directory.models import Person
from meetcoord.meetings.links import absolute
from meetcoord.reminders.mailing import reminder_headers
from meetcoord.reminders.mute import mute_url

DIGEST_SUBJECT = "Pengingat tindak lanjut"
SUMMARY_SUBJECT = "Pengingat: tindak lanjut lewat tenggat"


@dataclass(frozen=True)
class DigestItem:
    """One action in a digest: the occasion it is reminded for, and how far the due
    date is from the reader's today (negative: overdue by that many days)."""

    action: Action
    occasion: str
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0


def _distance(days: int) -> str:
    if days < 0:
        return f"lewat tenggat {-days} hari"
    if days == 0:
        return "jatuh tempo hari ini"
    return f"{days} hari lagi"


def _item_lines(n: int, item: DigestItem, zone: str) -> list[str]:
    action = item.action
    meeting = action.meeting
    label = zone_label(zone, meeting.start_at)
    return [
        f"{n}. {action.title}",
        f"   Rapat: {meeting.title}, {long_date(meeting.start_at, zone)} "
        f"pukul {time_at(meeting.start_at, zone)}",
        f"   Tenggat: {format_long_date(action.due_on)} ({label}) — {_distance(item.days)}",
        f"   Status: {STATUS_LABELS[action.status]}",
    ]


def _digest_subject(items: Sequence[DigestItem]) -> str:
    late = sum(1 for item in items if item.overdue)
    parts = []
    if late:
        parts.append(f"{late} lewat tenggat")
    if len(items) - late:
        parts.append(f"{len(items) - late} mendekati tenggat")
    return f"{DIGEST_SUBJECT}: {', '.join(parts)}"


def compose_digest(
    person: Person, items: Sequence[DigestItem], zone: str, today: date, link: str | None
) -> EmailMessage:
    """One person's digest of the actions due soon or overdue, as of their ``today``.

    ``link`` is the person's own agency view (``…/i/<token>/actions``), or None when they
    hold no personal link: the mail then tells them to ask the secretariat.
    """
    first = items[0].action.meeting
    mute = mute_url(person)
    with force_locale("id"):  # the status names: the mail is Indonesian for everyone
        lines = [
            f"Yth. {person.name},",
            "",
            "Dengan hormat, kami mengingatkan tindak lanjut rapat yang menjadi tanggung jawab "
            f"Bapak/Ibu, per {format_long_date(today)} ({zone_label(zone)}):",
        ]
        groups = (
            ("Lewat tenggat:", [i for i in items if i.overdue]),
            ("Mendekati tenggat:", [i for i in items if not i.overdue]),
        )
        for heading, group in groups:
            if not group:
                continue
            lines += ["", heading]
            for n, item in enumerate(group, start=1):
                lines += _item_lines(n, item, zone)
    lines.append("")
    if link is not None:
        lines += [
            "Mohon laporkan perkembangan dan unggah bukti melalui tautan pribadi Bapak/Ibu:",
            link,
            "",
            "Tautan ini khusus untuk Bapak/Ibu; mohon tidak diteruskan.",
        ]
    else:
        lines.append("Mohon laporkan perkembangannya kepada sekretariat penyelenggara rapat.")
    lines += [
        "",
        "Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.",
        "",
        "-- ",
        letterhead_for(first).name,
        f"Tidak ingin menerima pengingat lagi? Matikan di sini: {mute}",
    ]
    message = outbox.text_message(
        person.email or "",
        person.name,
        _digest_subject(items),
        "\n".join(lines) + "\n",
        sender_name=letterhead_for(first).sender_name,
    )
    return reminder_headers(message, mute)


@dataclass(frozen=True)
class SummaryLine:
    agency: str
    action: Action
    days_late: int


def tracker_url(forum_id: int) -> str:
    return absolute(f"/actions?forum_id={forum_id}&overdue=1")


def compose_forum_summary(
    to: str,
    name: str,
    forum_name: str,
    forum_id: int,
    lines_by_agency: Sequence[tuple[str, Sequence[SummaryLine]]],
    today: date,
    zone: str,
    sender: tuple[str, str],
) -> EmailMessage:
    """The weekly overdue summary of one forum for one staff member (``sender``: the
    institution's letterhead name and its mail sender name)."""
    total = sum(len(group) for _, group in lines_by_agency)
    body = [
        f"Yth. {name},",
        "",
        f"Per {format_long_date(today)} ({zone_label(zone)}) terdapat {total} tindak lanjut "
        f"{forum_name} yang telah lewat tenggat:",
    ]
    with force_locale("id"):
        for agency, group in lines_by_agency:
            body += ["", f"{agency} ({len(group)}):"]
            for line in group:
                action = line.action
                body.append(
                    f"- {action.title} — rapat {action.meeting.title}; tenggat "
                    f"{format_long_date(action.due_on)}, lewat {line.days_late} hari; "
                    f"{STATUS_LABELS[action.status]}"
                )
    body += [
        "",
        "Daftar lengkap di pelacak tindak lanjut (masuk dengan akun Anda):",
        tracker_url(forum_id),
        "",
        "-- ",
        sender[0],
        "Ringkasan ini dikirim sepekan sekali; pengaturannya ada pada halaman pengingat "
        "penyelenggara.",
    ]
    message = outbox.text_message(
        to,
        name,
        f"{SUMMARY_SUBJECT} — {forum_name} ({total})",
        "\n".join(body) + "\n",
        sender_name=sender[1],
    )
    return reminder_headers(message, None)
