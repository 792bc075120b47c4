"""The ``invites`` floor: the same 500 messages built the plain way, for a ratio.

Absolute seconds move by 2x between machines of the same kind, so ``bench_invites``
reports its time against this floor measured in the same run: each message built with
bare ``icalendar`` and the standard library's ``email`` package, with one VTIMEZONE per
zone (built once and reused) and no templates — the text and HTML bodies are f-strings
carrying the same facts (time in the reader's zone with its label, place, agenda, the
personal link). What meetcoord spends beyond this is its own wording, templates and
encoding; the floor is what any program that sends such a mail has to pay.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from html import escape
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from meetcoord.calendar import InvitationMail

LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class Floor:
    """Builds messages with one VTIMEZONE per zone, as a careful plain program would."""

    def __init__(self) -> None:
        self._zones: dict[str, tuple[ZoneInfo, Timezone]] = {}
        self.stamp = datetime.now(UTC).replace(microsecond=0)

    def zone(self, name: str, year: int) -> tuple[ZoneInfo, Timezone]:
        if name not in self._zones:
            tz = ZoneInfo(name)
            vtz = Timezone.from_tzinfo(
                tz, tzid=name, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
            )
            self._zones[name] = (tz, vtz)
        return self._zones[name]

    def calendar(self, mail: InvitationMail) -> bytes:
        event, person = mail.event, mail.recipient
        tz, vtz = self.zone(person.zone, event.start_at.year)
        cal = Calendar()
        cal.add("prodid", "-//floor//EN")
        cal.add("version", "2.0")
        cal.add("method", mail.method)
        cal.add_component(vtz)
        vevent = Event()
        vevent.add("uid", event.uid)
        vevent.add("sequence", event.sequence)
        vevent.add("dtstamp", self.stamp)
        vevent.add("dtstart", event.start_at.astimezone(tz))
        vevent.add("dtend", event.end_at.astimezone(tz))
        vevent.add("summary", event.title)
        vevent.add("description", f"{event.purpose}\n{person.personal_url}")
        vevent.add("location", person.location or event.online_url or "")
        vevent.add("url", person.personal_url)
        organizer = vCalAddress(f"mailto:{event.organizer.email}")
        organizer.params["CN"] = vText(event.organizer.name)
        vevent.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = vText(person.name)
        attendee.params["ROLE"] = vText(person.ical_role)
        attendee.params["PARTSTAT"] = vText(person.partstat)
        vevent.add("attendee", attendee)
        cal.add_component(vevent)
        return cal.to_ical()

    def message(self, mail: InvitationMail) -> bytes:
        event, person = mail.event, mail.recipient
        tz, _vtz = self.zone(person.zone, event.start_at.year)
        label = LABELS.get(person.zone, person.zone)
        start, end = event.start_at.astimezone(tz), event.end_at.astimezone(tz)
        when = f"{start:%d-%m-%Y %H.%M}–{end:%H.%M} {label}"
        where = person.location or f"Daring: {event.online_url}"
        agenda = [
            f"{line.start_at.astimezone(tz):%H.%M} {line.title} ({line.presenter or '-'})"
            for line in event.agenda
        ]
        text = "\n".join(
            [
                f"Yth. {person.name},",
                "",
                f"Dengan hormat, kami mengundang Anda ke {event.title}.",
                f"Waktu: {when}",
                f"Tempat: {where}",
                "",
                "Acara:",
                *agenda,
                "",
                f"Konfirmasi kehadiran: {person.personal_url}",
                "",
                mail.institution,
            ]
        )
        items = "".join(f"<li>{escape(line)}</li>" for line in agenda)
        html = (
            f"<p>Yth. {escape(person.name)},</p><p>Dengan hormat, kami mengundang Anda ke "
            f"<strong>{escape(event.title)}</strong>.</p><p>Waktu: {escape(when)}<br>"
            f"Tempat: {escape(where)}</p><ol>{items}</ol>"
            f'<p><a href="{escape(person.personal_url)}">Konfirmasi kehadiran</a></p>'
            f"<p>{escape(mail.institution)}</p>"
        )
        ics = self.calendar(mail)
        msg = EmailMessage()
        msg["Subject"] = f"Undangan: {event.title}"
        msg["From"] = formataddr((mail.sender.name, mail.sender.email))
        msg["To"] = formataddr((person.name, person.email))
        msg["Date"] = format_datetime(self.stamp)
        msg["Message-ID"] = make_msgid(domain="floor.example")
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        msg.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": mail.method})
        msg.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
        return msg.as_bytes()


def render_floor(mails: list[InvitationMail], floor: Floor | None = None) -> int:
    floor = floor or Floor()
    return sum(len(floor.message(mail)) for mail in mails)
