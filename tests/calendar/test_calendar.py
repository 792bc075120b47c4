"""Calendar files and links (meetcoord.calendar): pure, no app needed.

Each calendar is parsed back with icalendar, checked against RFC 5545's required and
single-occurrence properties, and its times are compared as UTC instants.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from icalendar import Calendar, Component, Event, Timezone

from meetcoord.calendar import (
    AgendaLine,
    Contact,
    EventData,
    Recipient,
    feed_ics,
    google_calendar_url,
    invitation_ics,
    whatsapp_text,
    whatsapp_url,
)
from meetcoord.calendar.ics import invitation_calendar, vtimezone

# Friday 15 March 2024, 09.00 WITA = 08.00 WIB = 10.00 WIT.
START = datetime(2024, 3, 15, 1, 0, tzinfo=UTC)
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
SITES = {
    "Asia/Jakarta": ("Bappenas", "Bappenas, Jl. Taman Suropati No. 2, Jakarta Pusat"),
    "Asia/Makassar": ("BAPPEDA NTB", "BAPPEDA Provinsi NTB, Jl. Pejanggik No. 12, Mataram"),
    "Asia/Jayapura": ("BAPPEDA Papua", "BAPPEDA Provinsi Papua, Jl. Soa Siu Dok II, Jayapura"),
}


def make_event(**changes: object) -> EventData:
    agenda = (
        AgendaLine("Pembukaan", START, 15, "Kepala BAPPEDA"),
        AgendaLine("Paparan capaian program", START + timedelta(minutes=15), 45, None),
    )
    event = EventData(
        uid="meeting-7@rapat.example.id",
        title="Rapat Koordinasi Forum BangKIT",
        purpose="Menyepakati rencana tindak lanjut; lintas lokasi.",
        start_at=START,
        end_at=START + timedelta(hours=3),
        zone="Asia/Makassar",
        location=SITES["Asia/Makassar"][1],
        online_url="https://meet.example.id/bangkit",
        agenda=agenda,
        site_zones=ZONES,
        organizer=Contact("Sekretariat BAPPEDA NTB", "sekretariat@bappeda.example.id"),
        stamp_at=datetime(2024, 3, 1, 2, 0, tzinfo=UTC),
    )
    return dataclasses.replace(event, **changes)


def make_recipient(zone: str = "Asia/Makassar", *, online: bool = False, **changes: object):
    site, location = SITES[zone]
    recipient = Recipient(
        name="Ni Luh Putu Ayu D'Souza",
        email="niluh@opd.example.id",
        zone=zone,
        personal_url="https://rapat.example.id/i/Abc123tokenXyz",
        role="participant",
        site_name=None if online else site,
        location=None if online else location,
    )
    return dataclasses.replace(recipient, **changes)


def assert_rfc5545(cal: Calendar) -> None:
    """icalendar's own check plus RFC 5545's per-component required/once-only rules."""
    cal.validate()
    for component in cal.walk():
        assert isinstance(component, Component)
        for name in component.required:
            assert name in component, f"{component.name} lacks {name}"
        for name in component.singletons:
            assert not isinstance(component.get(name), list), f"{component.name} repeats {name}"
        if component.exclusive:  # e.g. DTEND and DURATION: not both
            assert sum(name in component for name in component.exclusive) <= 1
        assert component.errors == [], f"{component.name}: {component.errors}"


def parse(data: bytes) -> tuple[Calendar, Event]:
    cal = Calendar.from_ical(data)
    assert_rfc5545(cal)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return cal, events[0]


def test_invitation_parses_with_expected_properties():
    event, recipient = make_event(), make_recipient("Asia/Makassar")
    cal, vevent = parse(invitation_ics(event, recipient, "REQUEST"))
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal["VERSION"]) == "2.0"
    assert "meetcoord" in str(cal["PRODID"])
    assert str(vevent["UID"]) == event.uid
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["LOCATION"]) == SITES["Asia/Makassar"][1]
    assert str(vevent["URL"]) == recipient.personal_url
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:sekretariat@bappeda.example.id"
    assert organizer.params["CN"] == "Sekretariat BAPPEDA NTB"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:niluh@opd.example.id"
    assert attendee.params["CN"] == "Ni Luh Putu Ayu D'Souza"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    # No calendar reply is read, so none is asked for; the answer goes through the link.
    assert attendee.params["RSVP"] == "FALSE"
    text = str(vevent["DESCRIPTION"])
    assert "Konfirmasi kehadiran hanya lewat tautan pribadi Anda" in text
    assert "tidak sampai ke panitia" in text
    assert "Maksud dan tujuan: Menyepakati rencana tindak lanjut; lintas lokasi." in text
    assert "09.00 WITA — Pembukaan (Kepala BAPPEDA, 15 menit)" in text
    assert "09.15 WITA — Paparan capaian program (45 menit)" in text
    assert "08.00 WIB / 09.00 WITA / 10.00 WIT" in text
    assert recipient.personal_url in text


def test_times_carry_the_site_zone_with_its_vtimezone():
    cal, vevent = parse(invitation_ics(make_event(), make_recipient("Asia/Jayapura"), "REQUEST"))
    assert vevent["DTSTART"].params["TZID"] == "Asia/Jayapura"
    assert vevent["DTEND"].params["TZID"] == "Asia/Jayapura"
    assert vevent.decoded("DTSTART").hour == 10
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["Asia/Jayapura"]
    assert (
        "DTSTART;TZID=Asia/Jayapura:20240315T100000"
        in invitation_ics(make_event(), make_recipient("Asia/Jayapura")).decode()
    )


def test_same_meeting_is_the_same_instant_at_every_site():
    event = make_event()
    instants, local_hours = set(), []
    for zone in ZONES:
        cal, vevent = parse(invitation_ics(event, make_recipient(zone), "REQUEST"))
        tzid = vevent["DTSTART"].params["TZID"]
        assert tzid == zone
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [zone]
        # Resolve the local time through the VTIMEZONE the file carries, not our own zone.
        vtz = cal.walk("VTIMEZONE")[0]
        local = vevent.decoded("DTSTART").replace(tzinfo=None)
        offset = vtz.walk("STANDARD")[0]["TZOFFSETTO"].td
        instants.add((local - offset).replace(tzinfo=UTC))
        instants.add(vevent.decoded("DTSTART").astimezone(UTC))
        local_hours.append(local.hour)
    assert instants == {START}
    assert local_hours == [8, 9, 10]


def test_online_attendee_gets_the_link_as_location():
    recipient = make_recipient("Asia/Jakarta", online=True)
    _, vevent = parse(invitation_ics(make_event(), recipient, "REQUEST"))
    assert str(vevent["LOCATION"]) == "Daring: https://meet.example.id/bangkit"


def test_recipient_without_email_gets_no_attendee():
    _, vevent = parse(invitation_ics(make_event(), make_recipient(email=""), "REQUEST"))
    assert "ATTENDEE" not in vevent
    assert str(vevent["URL"]) == "https://rapat.example.id/i/Abc123tokenXyz"


def test_chair_role_and_rsvp_state():
    recipient = make_recipient(role="chair", rsvp="accepted")
    _, vevent = parse(invitation_ics(make_event(), recipient, "REQUEST"))
    assert vevent["ATTENDEE"].params["ROLE"] == "CHAIR"
    assert vevent["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"


def test_cancel_has_method_and_status_cancelled():
    event = make_event(sequence=2)
    cal, vevent = parse(invitation_ics(event, make_recipient(), "CANCEL"))
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == event.uid
    assert int(vevent["SEQUENCE"]) == 2


def test_update_keeps_uid_and_raises_sequence():
    first = parse(invitation_ics(make_event(), make_recipient()))[1]
    moved = make_event(
        start_at=START + timedelta(days=1), end_at=START + timedelta(days=1, hours=3), sequence=1
    )
    update = parse(invitation_ics(moved, make_recipient()))[1]
    assert str(update["UID"]) == str(first["UID"])
    assert int(update["SEQUENCE"]) > int(first["SEQUENCE"])
    # A site change updates only that person: their own SEQUENCE wins over the meeting's.
    personal = parse(invitation_ics(make_event(), make_recipient(sequence=3)))[1]
    assert int(personal["SEQUENCE"]) == 3


def test_dtstamp_is_utc_and_stable_when_given():
    event = make_event()
    data = invitation_ics(event, make_recipient())
    assert b"DTSTAMP:20240301T020000Z" in data
    assert data == invitation_ics(event, make_recipient())


def test_vtimezone_is_built_once_per_zone_and_shared():
    event = make_event(start_at=START.replace(year=2031), end_at=START.replace(year=2031, hour=4))
    before = vtimezone.cache_info()
    calendars = [
        invitation_calendar(event, make_recipient(ZONES[i % 3], email=f"p{i}@x.id"), "REQUEST")
        for i in range(30)
    ]
    after = vtimezone.cache_info()
    assert after.misses - before.misses == 3  # one build per zone
    assert after.hits - before.hits == 27
    jakarta = [c.walk("VTIMEZONE")[0] for c in calendars[::3]]
    assert all(tz is jakarta[0] for tz in jakarta)
    assert isinstance(jakarta[0], Timezone)


def test_feed_holds_several_events_and_each_zone_once():
    events = [
        make_event(uid="m-1@x", zone="Asia/Makassar"),
        make_event(
            uid="m-2@x",
            zone="Asia/Jakarta",
            start_at=START + timedelta(days=7),
            end_at=START + timedelta(days=7, hours=2),
        ),
        make_event(
            uid="m-3@x",
            zone="Asia/Makassar",
            start_at=START + timedelta(days=90),
            end_at=START + timedelta(days=90, hours=2),
            status="CANCELLED",
        ),
    ]
    cal = Calendar.from_ical(feed_ics(events, name="Rapat BAPPEDA NTB"))
    assert_rfc5545(cal)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert cal.refresh_interval == timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed_ics(events)
    assert str(cal["X-WR-CALNAME"]) == "Rapat BAPPEDA NTB"
    vevents = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in vevents] == ["m-1@x", "m-2@x", "m-3@x"]
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == [
        "Asia/Jakarta",
        "Asia/Makassar",
    ]
    assert vevents[1]["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert vevents[0].decoded("DTSTART").astimezone(UTC) == START
    assert str(vevents[2]["STATUS"]) == "CANCELLED"
    assert "ATTENDEE" not in vevents[0]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="after start"):
        make_event(end_at=START - timedelta(hours=1))
    with pytest.raises(ValueError, match="naive"):
        make_event(start_at=datetime(2024, 3, 15, 9, 0))  # noqa: DTZ001 — the point of the test
    with pytest.raises(ValueError, match="REQUEST or CANCEL"):
        invitation_ics(make_event(), make_recipient(), "PUBLISH")  # type: ignore[arg-type]


def test_google_calendar_link_has_utc_dates_and_zone():
    url = google_calendar_url(make_event(), make_recipient("Asia/Jayapura"))
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://calendar.google.com/calendar/render"
    )
    query = parse_qs(parts.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["Rapat Koordinasi Forum BangKIT"]
    assert query["dates"] == ["20240315T010000Z/20240315T040000Z"]
    assert query["ctz"] == ["Asia/Jayapura"]
    assert query["location"] == [SITES["Asia/Jayapura"][1]]
    assert "https://rapat.example.id/i/Abc123tokenXyz" in query["details"][0]


def test_whatsapp_text_shows_every_site_time():
    text = whatsapp_text(make_event(), make_recipient("Asia/Makassar"))
    assert "*Undangan: Rapat Koordinasi Forum BangKIT*" in text
    assert "Jumat, 15 Maret 2024" in text
    assert "08.00 WIB / 09.00 WITA / 10.00 WIT" in text
    assert SITES["Asia/Makassar"][1] in text
    assert "https://rapat.example.id/i/Abc123tokenXyz" in text
    url = whatsapp_url(make_event(), make_recipient("Asia/Makassar"))
    assert url.startswith("https://wa.me/?text=")
    assert " " not in url
    assert "\n" not in url
    assert unquote(url.removeprefix("https://wa.me/?text=")) == text


def test_reader_zone_outside_the_sites_is_added():
    event = make_event(site_zones=("Asia/Jakarta",))
    text = whatsapp_text(event, make_recipient("Asia/Jayapura", online=True))
    assert "08.00 WIB / 10.00 WIT" in text
    assert "Daring: https://meet.example.id/bangkit" in text
