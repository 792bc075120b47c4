"""When a meeting takes attendance and when its live room may open; pure, no Flask.

One rule for every door — the desk (live and offline uploads), the kiosk and self check-in,
the online "join" link and the live room's "open" command — so that none of them can
accept a click eight days early and print it in the daftar hadir under the meeting's date.

Check-in opens ``opens_before`` ahead of the start (people arrive early and queue at the
desk) and closes ``grace`` after the planned end (meetings run over; late arrivals still
sign). The live room opens from the same moment and has no closing time: a meeting that
started late must still be opened, and closing it is the chair's act.

A desk that scanned offline reports when it scanned, by its own clock. That time must lie
inside the window too, and may not lie in the future; ``SCAN_CLOCK_SKEW`` (five minutes)
is allowed either way, because a tablet's clock is seldom exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

DEFAULT_OPENS_BEFORE_MINUTES = 120
DEFAULT_GRACE_MINUTES = 60
SCAN_CLOCK_SKEW = timedelta(minutes=5)


class Timed(Protocol):
    """Anything with a planned start and end (a Meeting; a row of a Core query)."""

    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class WindowRule:
    opens_before: timedelta = timedelta(minutes=DEFAULT_OPENS_BEFORE_MINUTES)
    grace: timedelta = timedelta(minutes=DEFAULT_GRACE_MINUTES)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WindowRule:
        """From ``MEETCOORD_CHECKIN_OPENS_BEFORE_MINUTES`` / ``_GRACE_MINUTES`` (config.py)."""
        return cls(
            timedelta(
                minutes=config.get("CHECKIN_OPENS_BEFORE_MINUTES", DEFAULT_OPENS_BEFORE_MINUTES)
            ),
            timedelta(minutes=config.get("CHECKIN_GRACE_MINUTES", DEFAULT_GRACE_MINUTES)),
        )


class OutsideWindow(Exception):
    """``moment`` is outside the window: ``why`` is "early", "late" or "future"."""

    def __init__(self, why: str, moment: datetime, opens_at: datetime, closes_at: datetime):
        super().__init__(why)
        self.why = why
        self.moment = moment
        self.opens_at = opens_at
        self.closes_at = closes_at


def checkin_window(meeting: Timed, rule: WindowRule | None = None) -> tuple[datetime, datetime]:
    """``(opens_at, closes_at)`` of check-in, in UTC like the meeting's own times."""
    rule = rule or WindowRule()
    return meeting.start_at - rule.opens_before, meeting.end_at + rule.grace


def check_open(
    meeting: Timed,
    now: datetime,
    rule: WindowRule | None = None,
    *,
    until_close: bool = True,
) -> None:
    """Raise :class:`OutsideWindow` unless check-in (or, with ``until_close=False``, the
    live room) is open at ``now``."""
    opens_at, closes_at = checkin_window(meeting, rule)
    if now < opens_at:
        raise OutsideWindow("early", now, opens_at, closes_at)
    if until_close and now > closes_at:
        raise OutsideWindow("late", now, opens_at, closes_at)


def check_scan_time(
    meeting: Timed, scanned_at: datetime, now: datetime, rule: WindowRule | None = None
) -> None:
    """A scan time a desk reports: inside the window and not ahead of ``now``, each give
    or take ``SCAN_CLOCK_SKEW``."""
    opens_at, closes_at = checkin_window(meeting, rule)
    if scanned_at > now + SCAN_CLOCK_SKEW:
        raise OutsideWindow("future", scanned_at, opens_at, closes_at)
    if scanned_at < opens_at - SCAN_CLOCK_SKEW:
        raise OutsideWindow("early", scanned_at, opens_at, closes_at)
    if scanned_at > closes_at + SCAN_CLOCK_SKEW:
        raise OutsideWindow("late", scanned_at, opens_at, closes_at)


def is_open(meeting: Timed, moment: datetime, rule: WindowRule | None = None) -> bool:
    """The same test without the exception, for a hot path (a desk's fast admit)."""
    opens_at, closes_at = checkin_window(meeting, rule)
    return opens_at <= moment <= closes_at
