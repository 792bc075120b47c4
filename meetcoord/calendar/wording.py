"""The Indonesian phrases the calendar file, the e-mail and the chat text share.

Kept in one place so the .ics DESCRIPTION, the e-mail body and the WhatsApp text say the
same thing the same way ("09.00 WITA", "Jumat, 15 Maret 2024"). Formatting through Babel
costs tens of microseconds a call, and 500 recipients of one meeting ask the same few
questions (which date, which time, in one of three zones), so the answers are cached.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from meetcoord.calendar.data import EventData, Recipient
from meetcoord.core.timezones import (
    format_across_zones,
    format_long_date,
    format_time_in_zone,
    zone_label,
)

LOCALE = "id"

# Calendar replies are not read (the .ics asks for none): every surface says where to answer.
ANSWER_HERE = (
    "Konfirmasi kehadiran hanya lewat tautan pribadi Anda, bukan tombol terima/tolak di "
    "aplikasi kalender (jawaban itu tidak sampai ke panitia). Di tautan ini juga: ganti "
    "lokasi atau daring, tunjuk perwakilan, kode QR"
)


@lru_cache(maxsize=4096)
def time_at(moment: datetime, zone: str) -> str:
    """ "09.00 WITA"."""
    return format_time_in_zone(moment, zone, LOCALE)


@lru_cache(maxsize=1024)
def long_date(moment: datetime, zone: str) -> str:
    """ "Jumat, 15 Maret 2024" as the calendar at ``zone`` shows that instant."""
    return format_long_date(moment, zone, LOCALE)


@lru_cache(maxsize=1024)
def label(zone: str, moment: datetime) -> str:
    return zone_label(zone, moment)


def event_zones(event: EventData, zone: str) -> tuple[str, ...]:
    """The zones to show side by side: every site's, and the reader's if not among them."""
    zones = event.site_zones or (zone,)
    return zones if zone in zones else (*zones, zone)


@lru_cache(maxsize=1024)
def across(moment: datetime, zones: tuple[str, ...]) -> str:
    """ "09.00 WIB / 10.00 WITA / 11.00 WIT"."""
    return format_across_zones(moment, list(zones), LOCALE)


@lru_cache(maxsize=1024)
def time_range(start: datetime, end: datetime, zone: str) -> str:
    """Start and end joined by an en dash, the zone label once at the end (09.00 to
    12.00 WITA)."""
    first = time_at(start, zone).rsplit(" ", 1)[0]
    return f"{first}–{time_at(end, zone)}"


def when_line(event: EventData, zone: str) -> str:
    """The day as the zone sees it, then the time range: "Jumat, 15 Maret 2024, 09.00…"."""
    return f"{long_date(event.start_at, zone)}, {time_range(event.start_at, event.end_at, zone)}"


@lru_cache(maxsize=256)
def agenda_lines(event: EventData, zone: str) -> tuple[str, ...]:
    """ "09.00 WITA — Pembukaan (Kepala Bappeda, 15 menit)" per item, in ``zone``."""
    lines = []
    for item in event.agenda:
        extra = ", ".join(
            part
            for part in (item.presenter, f"{item.planned_minutes} menit")
            if part  # a missing presenter leaves just the duration
        )
        lines.append(f"{time_at(item.start_at, zone)} — {item.title} ({extra})")
    return tuple(lines)


def place(event: EventData, recipient: Recipient) -> str:
    """Where this recipient attends: their site's venue, or the online link."""
    if recipient.location is not None:
        return recipient.location
    if event.online_url:
        return f"Daring: {event.online_url}"
    return "Daring"


@lru_cache(maxsize=256)
def _description_head(event: EventData, zone: str) -> str:
    parts = []
    if event.purpose:
        parts.append(f"Maksud dan tujuan: {event.purpose}")
    parts.append(f"Waktu: {when_line(event, zone)}")
    zones = event_zones(event, zone)
    if len(zones) > 1:
        parts.append(f"Di setiap lokasi: {across(event.start_at, zones)}")
    if event.agenda:
        parts.append("Agenda:\n" + "\n".join(f"- {line}" for line in agenda_lines(event, zone)))
    return "\n".join(parts)


def description(event: EventData, recipient: Recipient | None = None) -> str:
    """The calendar DESCRIPTION: purpose, time at each site, agenda, the personal link."""
    zone = recipient.zone if recipient else event.zone
    parts = [_description_head(event, zone)]
    if recipient is not None:
        parts.append(f"Tempat: {place(event, recipient)}")
    elif event.location:
        parts.append(f"Tempat: {event.location}")
    if event.online_url and (recipient is None or not recipient.is_online):
        parts.append(f"Tautan daring: {event.online_url}")
    if recipient is not None:
        parts.append(f"{ANSWER_HERE}:\n{recipient.personal_url}")
    elif event.url:
        parts.append(f"Rincian: {event.url}")
    return "\n".join(parts)
