"""Our RFC 5545 line folding (meetcoord.calendar.folding) against icalendar's own.

The calendars must stay byte for byte what ``Component.to_ical()`` writes, so every rule is
checked against icalendar's ``_foldline`` on lines built to put each hard case — a
multi-byte character, an emoji, a backslash or caret escape — at or near every cut.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from icalendar import Calendar, Event, vCalAddress
from icalendar.parser.string import _foldline

from meetcoord.calendar import ics, invitation_ics
from meetcoord.calendar.folding import (
    LINE_OCTETS,
    component_ical,
    fold,
    head,
    property_lines,
    to_ical,
)
from meetcoord.calendar.ics import invitation_calendar
from tests.calendar.test_calendar import make_event, make_recipient

PIECES = ("a", "Z", " ", ";", ",", ":", '"', "é", "ñ", "—", "漢", "😀", "🇮🇩", "\u0301")
ESCAPES = ("\\n", "\\,", "\\;", "\\\\", "^n", "^^", "^'")


def icalendar_fold(line: str) -> bytes:
    return _foldline(line).encode("utf-8")


def generated_lines(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    lines = []
    for _ in range(count):
        parts = [rnd.choice(("DESCRIPTION:", "ATTENDEE;CN=", "X-A:", ""))]
        for _ in range(rnd.randint(0, 120)):
            parts.append(rnd.choice(ESCAPES) if rnd.random() < 0.15 else rnd.choice(PIECES))
        lines.append("".join(parts))
    return lines


def boundary_lines() -> list[str]:
    """Every special piece placed so that it ends at, straddles or follows each cut."""
    lines = []
    for piece in (*PIECES, *ESCAPES, "é\\n", "😀^n", "\\\\\\n"):
        for pad in range(LINE_OCTETS - 6, LINE_OCTETS + 3):
            for tail in ("", "x", "é" * 40, piece * 30):
                lines.append("p" * pad + piece + tail)
                lines.append("é" * (pad // 2) + piece + "q" * pad + piece + tail)
    return lines


@pytest.mark.parametrize("line", ["", "a", "x" * 74, "x" * 75, "é" * 37, "é" * 38, "\\" * 200])
def test_edges_fold_as_icalendar_does(line: str):
    assert fold(line) == icalendar_fold(line)


def test_lines_with_escapes_and_multibyte_characters_at_every_cut():
    lines = boundary_lines() + generated_lines(3000, seed=5545)
    differ = [line for line in lines if fold(line) != icalendar_fold(line)]
    assert differ == []


def test_folded_lines_keep_the_limits():
    for line in generated_lines(500, seed=7):
        physical = fold(line).split(b"\r\n")
        assert all(len(p) <= LINE_OCTETS + 1 for p in physical)
        assert all(p.startswith(b" ") for p in physical[1:])
        for p in physical:
            p.decode("utf-8")  # never a cut inside a character
        if "\\\\" not in line and "^^" not in line:  # a doubled escape may be cut in two
            assert not any(p.endswith((b"\\", b"^")) for p in physical[:-1])


def test_whole_calendars_are_byte_for_byte_icalendars():
    recipient = make_recipient(name="Zoë \\ Ñañez^Sitompul; 😀 " * 3, location="Jl. é, " * 20)
    event = make_event(title="Rapat \\n ^ koordinasi — " * 6, purpose="Tujuan; é, 😀\n" * 30)
    cal = invitation_calendar(event, recipient, "REQUEST")
    assert to_ical(cal) == cal.to_ical()
    assert invitation_ics(event, recipient) == cal.to_ical()
    loose = Calendar()
    loose.add_component(Event())
    assert to_ical(loose) == loose.to_ical()
    assert head(loose) == b"BEGIN:VCALENDAR\r\n"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
@pytest.mark.parametrize("email", ["niluh@opd.example.id", ""])
def test_invitation_files_are_their_calendar_objects_serialised(method, zone, email):
    """The head and VTIMEZONE written once per method and zone are the object's own."""
    event, recipient = make_event(), make_recipient(zone, email=email)
    for _ in range(2):  # the second time from the caches
        data = invitation_ics(event, recipient, method)
        assert data == invitation_calendar(event, recipient, method).to_ical()


def test_a_component_put_together_from_parts_is_written_as_a_whole():
    """Properties serialised in two groups, at different times, join in icalendar's order
    (canonical first, then by name), repeated properties keeping all their lines."""
    whole = invitation_calendar(make_event(), make_recipient(), "REQUEST").walk("VEVENT")[0]
    whole.add("attendee", vCalAddress("mailto:kedua@opd.example.id"))
    whole.add("x-meetcoord-note", "catatan")
    whole.add("categories", ["Rapat", "Koordinasi"])
    names = list(whole)
    rnd = random.Random(3)  # noqa: S311 - reproducible test data, not secrets
    for _ in range(20):
        first, second = Event(), Event()
        for name in names:
            (first if rnd.random() < 0.5 else second)[name] = whole[name]
        lines = {**property_lines(first), **property_lines(second)}
        assert component_ical(Event, lines) == whole.to_ical()


def test_the_shared_event_lines_do_not_freeze_dtstamp(monkeypatch: pytest.MonkeyPatch):
    """DTSTAMP says when the file was written: it is not among the lines kept per meeting."""

    class Clock(datetime):
        moment = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)

        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return cls.moment

    monkeypatch.setattr(ics, "datetime", Clock)
    event = make_event(stamp_at=None)
    assert b"DTSTAMP:20240301T020000Z" in invitation_ics(event, make_recipient())
    Clock.moment = datetime(2024, 3, 2, 5, 30, tzinfo=UTC)
    again = invitation_ics(event, make_recipient())
    assert b"DTSTAMP:20240302T053000Z" in again
    assert again == invitation_calendar(event, make_recipient(), "REQUEST").to_ical()
