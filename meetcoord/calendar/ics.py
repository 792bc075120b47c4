"""iCalendar (RFC 5545 / iTIP RFC 5546) files for invitations and subscribable feeds.

Each invitation carries its times in the recipient's site zone (TZID=Asia/Makassar…) with
the matching VTIMEZONE, so Outlook, Google Calendar and Thunderbird show "09.00" at a WITA
site and place it at the same UTC instant as "08.00" at a WIB site. Building a VTIMEZONE from
the zoneinfo database takes ~10 ms, so it is built once per (zone, years) and shared by
every calendar that needs it (:func:`vtimezone` is an LRU cache); for 500 recipients across
three sites that is three builds, not 500.

Serialising is cached the same way: :func:`invitation_ics` writes the calendar's head (per
method), the VTIMEZONE (per zone and years) and the VEVENT properties every reader in a
zone shares (:func:`_shared_lines`) as bytes once, and per recipient only their own
properties (DTSTAMP, LOCATION, DESCRIPTION, URL, ATTENDEE). The bytes are those of
``invitation_calendar(...).to_ical()``, which is built from the same pieces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from meetcoord.calendar.data import EventData, Method, Recipient
from meetcoord.calendar.folding import component_ical, head, property_lines, to_ical
from meetcoord.calendar.wording import description, place
from meetcoord.core.timezones import get_zone

PRODID = "-//meetcoord//Rapat Koordinasi//ID"


@lru_cache(maxsize=64)
def vtimezone(zone: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for ``zone`` valid from 1 January ``first_year`` to the end of
    ``last_year``. Cached and shared: callers must not modify the returned component.
    """
    return Timezone.from_tzinfo(
        get_zone(zone),
        tzid=zone,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


@lru_cache(maxsize=64)
def _vtimezone_ics(zone: str, first_year: int, last_year: int) -> bytes:
    return to_ical(vtimezone(zone, first_year, last_year))


def _zone_years(moments: Iterable[datetime]) -> tuple[int, int]:
    years = [moment.year for moment in moments]
    # A year of margin on each side: an event near New Year may start in the year before
    # in some zone, and a calendar client may expand the zone a little beyond the event.
    return min(years) - 1, max(years) + 1


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


@lru_cache(maxsize=8)
def _calendar_head(method: str) -> bytes:
    return head(_calendar(method))


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    address.params["CN"] = vText(" ".join(name.split()))  # a parameter cannot hold a newline
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = value
    return address


def _stamp(event: EventData) -> datetime:
    return event.stamp_at.astimezone(UTC) if event.stamp_at else datetime.now(UTC)


def _shared_properties(event: EventData, zone: str, sequence: int, status: str) -> Event:
    """The VEVENT properties that every reader in ``zone`` gets alike: the meeting's
    identity and SEQUENCE, its times in the zone, title, status and organizer.
    """
    tz = get_zone(zone)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstart", event.start_at.astimezone(tz))
    vevent.add("dtend", event.end_at.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("status", status)
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _address(event.organizer.email, event.organizer.name))
    return vevent


@lru_cache(maxsize=256)
def _shared_lines(event: EventData, zone: str, sequence: int, status: str) -> Mapping[str, bytes]:
    """:func:`_shared_properties` as folded lines: serialised once for all 500 recipients
    of a meeting in a zone. DTSTAMP is not among them: it is the moment of writing.
    """
    return MappingProxyType(property_lines(_shared_properties(event, zone, sequence, status)))


def _own_properties(event: EventData, *, location: str, text: str, url: str | None) -> Event:
    """DTSTAMP (now, unless fixed), place, description and link: this file's own."""
    vevent = Event()
    vevent.add("dtstamp", _stamp(event))
    if location:
        vevent.add("location", location)
    vevent.add("description", text)
    if url:
        vevent.add("url", url)
    return vevent


def _check_method(method: str) -> None:
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"method must be REQUEST or CANCEL, got {method!r}")


def _invitation_shared(
    event: EventData, recipient: Recipient, method: Method
) -> tuple[EventData, str, int, str]:
    """What this recipient's shared VEVENT properties depend on: event, zone, SEQUENCE
    (their own, if set), STATUS (CANCELLED for a CANCEL)."""
    cancelled = method == "CANCEL" or event.status == "CANCELLED"
    sequence = event.sequence if recipient.sequence is None else recipient.sequence
    return event, recipient.zone, sequence, "CANCELLED" if cancelled else event.status


def _recipient_properties(event: EventData, recipient: Recipient) -> Event:
    vevent = _own_properties(
        event,
        location=place(event, recipient),
        text=description(event, recipient),
        url=recipient.personal_url,
    )
    if recipient.email:  # someone reached by letter or chat downloads the file without one
        # RSVP=FALSE: the service reads no calendar replies. An "accept" pressed in Outlook
        # would go to a mailbox nobody reads, so nobody is asked for one; the answer is
        # given on the personal link (DESCRIPTION, URL), which also takes the site or
        # online choice and a stand-in that an iTIP REPLY cannot carry.
        vevent.add(
            "attendee",
            _address(
                recipient.email,
                recipient.name,
                ROLE=recipient.ical_role,
                PARTSTAT=recipient.partstat,
                RSVP="FALSE",
                CUTYPE="INDIVIDUAL",
            ),
        )
    return vevent


def invitation_calendar(event: EventData, recipient: Recipient, method: Method) -> Calendar:
    """The invitation as an icalendar object (see :func:`invitation_ics`)."""
    _check_method(method)
    vevent = _shared_properties(*_invitation_shared(event, recipient, method))
    vevent.update(_recipient_properties(event, recipient))
    cal = _calendar(method)
    cal.add_component(vtimezone(recipient.zone, *_zone_years((event.start_at, event.end_at))))
    cal.add_component(vevent)
    return cal


def invitation_ics(event: EventData, recipient: Recipient, method: Method = "REQUEST") -> bytes:
    """One recipient's calendar file: METHOD REQUEST (invite or update) or CANCEL.

    UID stays the meeting's for every recipient and every resend; an update carries a
    higher SEQUENCE, and calendar clients replace the entry they already hold.
    """
    _check_method(method)
    lines = {
        **_shared_lines(*_invitation_shared(event, recipient, method)),
        **property_lines(_recipient_properties(event, recipient)),
    }
    zone = _vtimezone_ics(recipient.zone, *_zone_years((event.start_at, event.end_at)))
    return _calendar_head(method) + zone + component_ical(Event, lines) + b"END:VCALENDAR\r\n"


def _feed_location(event: EventData) -> str:
    if event.location:
        return event.location
    return f"Daring: {event.online_url}" if event.online_url else ""


def feed_ics(events: Iterable[EventData], *, name: str | None = None) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of several meetings, each in its own zone,
    with one VTIMEZONE per zone used.
    """
    events = list(events)
    cal = _calendar("PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
    # Subscribers poll; ask for hourly refreshes so a moved meeting shows up the same day.
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("x-published-ttl", "PT1H")
    moments: dict[str, list[datetime]] = {}
    for event in events:
        moments.setdefault(event.zone, []).extend((event.start_at, event.end_at))
    for zone, zone_moments in moments.items():
        cal.add_component(vtimezone(zone, *_zone_years(zone_moments)))
    for event in events:
        vevent = _shared_properties(event, event.zone, event.sequence, event.status)
        own = _own_properties(
            event, location=_feed_location(event), text=description(event), url=event.url
        )
        vevent.update(own)
        cal.add_component(vevent)
    return to_ical(cal)
