"""The check-in window applied: the configured rule, whose zone, and what people are told.

``windows`` decides (pure); this module reads the rule from the configuration and words
the refusal for the person who meets it — in their zone, with its label: "Registrasi
kehadiran dibuka Senin, 7 Desember 2026 pukul 07.00 WITA." Every door calls one of
:func:`checkin_refusal` (check-in answers are data: a desk shows them) or
:func:`require_open` (join and the live room refuse with an error).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict
from meetcoord.core.i18n import current_language
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.meetings import windows, zones
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite

# The reasons a check-in answer gives when the window is shut (checkin_refusal).
REASONS = {"early": "not_open_yet", "late": "checkin_closed", "future": "scan_in_future"}
WINDOW_REASONS = frozenset(REASONS.values())


class OutsideCheckinWindow(Conflict):
    """Too early (or too late) for this meeting; the message says when it opens."""

    code = "outside_window"


def rule() -> windows.WindowRule:
    return windows.WindowRule.from_config(current_app.config)


def answer_zone(
    meeting: Meeting, site: MeetingSite | None = None, invitation: Invitation | None = None
) -> str:
    """Who reads the answer: the screen at ``site`` (desk, kiosk), else the invitee in
    their own zone (``zones.reader_zone``), else the host."""
    if site is not None:
        return str(site.venue.timezone)
    if invitation is not None and invitation.meeting_id == meeting.id:
        return zones.reader_zone(invitation)
    return zones.host_zone(meeting)


def _when(moment: datetime, zone: str) -> str:
    """ "Senin, 7 Desember 2026 pukul 07.00 WITA" in the reader's language."""
    locale = current_language()
    return _(
        "%(day)s pukul %(time)s",
        day=format_long_date(moment, zone, locale),
        time=format_time_in_zone(moment, zone, locale),
    )


def _message(outside: windows.OutsideWindow, zone: str, *, room: bool = False) -> str:
    opens, closes = _when(outside.opens_at, zone), _when(outside.closes_at, zone)
    if room:
        return _("Ruang rapat baru dapat dibuka mulai %(when)s.", when=opens)
    if outside.why == "future":
        return _(
            "Waktu pindai %(when)s belum tiba; periksa jam perangkat meja.",
            when=_when(outside.moment, zone),
        )
    if outside.why == "early":
        return _("Registrasi kehadiran baru dibuka pada %(when)s.", when=opens)
    return _("Registrasi kehadiran sudah ditutup pada %(when)s.", when=closes)


def checkin_refusal(
    meeting: Meeting,
    *,
    site: MeetingSite | None = None,
    invitation: Invitation | None = None,
    scanned_at: datetime | None = None,
) -> tuple[str, str] | None:
    """``(reason, message)`` when check-in is closed now — or, for a time a desk reports
    (``scanned_at``), when that scan lies outside the window; None when it is open."""
    try:
        if scanned_at is None:
            windows.check_open(meeting, utcnow(), rule())
        else:
            windows.check_scan_time(meeting, scanned_at, utcnow(), rule())
    except windows.OutsideWindow as outside:
        return REASONS[outside.why], _message(outside, answer_zone(meeting, site, invitation))
    return None


def require_open(
    meeting: Meeting,
    invitation: Invitation | None = None,
    *,
    room: bool = False,
    now: datetime | None = None,
) -> None:
    """Raise :class:`OutsideCheckinWindow` unless check-in (``room``: the live room) is
    open now; worded for ``invitation``'s holder, or the host site when None."""
    try:
        windows.check_open(meeting, now or utcnow(), rule(), until_close=not room)
    except windows.OutsideWindow as outside:
        zone = answer_zone(meeting, None, invitation)
        raise OutsideCheckinWindow(_message(outside, zone, room=room)) from None


def desk_window(meeting: Meeting, site: MeetingSite) -> dict[str, str]:
    """The window for an offline desk's bundle: the bounds and what to say outside them
    (worded here, in the site's zone, so the desk refuses as the server would)."""
    opens_at, closes_at = windows.checkin_window(meeting, rule())
    zone = answer_zone(meeting, site)
    return {
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
        "early": _message(windows.OutsideWindow("early", opens_at, opens_at, closes_at), zone),
        "late": _message(windows.OutsideWindow("late", closes_at, opens_at, closes_at), zone),
    }
