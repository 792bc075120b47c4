"""Links a participant or a secretariat can click: add to Google Calendar, share by WhatsApp.

Many secretariats still send invitations through chat groups; the WhatsApp text is short,
in Indonesian, and shows the time at every site so nobody has to convert WIB to WIT in
their head. Google's "add event" template takes UTC instants plus ``ctz`` for display.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from meetcoord.calendar.data import EventData, Recipient
from meetcoord.calendar.wording import across, event_zones, long_date, place

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
WHATSAPP_SHARE = "https://wa.me/"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event: EventData, recipient: Recipient | None = None) -> str:
    """Google Calendar's "add event" page prefilled with this meeting (dates in UTC)."""
    zone = recipient.zone if recipient else event.zone
    details = [event.purpose] if event.purpose else []
    if recipient is not None:
        details.append(f"Tautan pribadi: {recipient.personal_url}")
    elif event.url:
        details.append(event.url)
    location = place(event, recipient) if recipient is not None else event.location
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc_stamp(event.start_at)}/{_utc_stamp(event.end_at)}",
        "details": "\n\n".join(details),
        "location": location,
        "ctz": zone,
    }
    return f"{GOOGLE_TEMPLATE}?{urlencode(query, quote_via=quote)}"


def whatsapp_text(event: EventData, recipient: Recipient) -> str:
    """The invitation as a chat message: title, day and date, times at each site, place,
    personal link.
    """
    zones = event_zones(event, recipient.zone)
    lines = [
        f"*Undangan: {event.title}*",
        f"Hari/tanggal: {long_date(event.start_at, recipient.zone)}",
        f"Pukul: {across(event.start_at, zones)}",
        f"Tempat: {place(event, recipient)}",
    ]
    if event.online_url and not recipient.is_online:
        lines.append(f"Tautan daring: {event.online_url}")
    lines.append(f"Konfirmasi kehadiran: {recipient.personal_url}")
    return "\n".join(lines)


def whatsapp_url(event: EventData, recipient: Recipient) -> str:
    """``https://wa.me/?text=…``: opens WhatsApp with the invitation text ready to send."""
    return f"{WHATSAPP_SHARE}?text={quote(whatsapp_text(event, recipient), safe='')}"
