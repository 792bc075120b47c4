"""The check-in window as a pure rule (meetings.windows): no app, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from meetcoord.meetings import windows
from meetcoord.meetings.windows import OutsideWindow, WindowRule

START = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 09.00 WITA
MINUTE = timedelta(minutes=1)


@dataclass
class Meeting:
    start_at: datetime = START
    end_at: datetime = START + timedelta(hours=3)


def test_default_window_opens_two_hours_ahead_and_closes_an_hour_after_the_end():
    assert windows.checkin_window(Meeting()) == (
        START - timedelta(hours=2),
        START + timedelta(hours=4),
    )
    rule = WindowRule.from_config({"CHECKIN_OPENS_BEFORE_MINUTES": 30, "CHECKIN_GRACE_MINUTES": 0})
    assert windows.checkin_window(Meeting(), rule) == (START - 30 * MINUTE, START + 3 * 60 * MINUTE)


def test_check_open_at_its_edges():
    opens_at, closes_at = windows.checkin_window(Meeting())
    windows.check_open(Meeting(), opens_at)
    windows.check_open(Meeting(), closes_at)
    with pytest.raises(OutsideWindow) as early:
        windows.check_open(Meeting(), opens_at - timedelta(seconds=1))
    assert (early.value.why, early.value.opens_at) == ("early", opens_at)
    eight_days_early = START - timedelta(days=8)
    with pytest.raises(OutsideWindow, match="early"):
        windows.check_open(Meeting(), eight_days_early)
    with pytest.raises(OutsideWindow, match="late"):
        windows.check_open(Meeting(), closes_at + timedelta(seconds=1))
    # The live room: from the same moment, and no closing time (a late start still opens).
    windows.check_open(Meeting(), closes_at + timedelta(days=1), until_close=False)
    with pytest.raises(OutsideWindow, match="early"):
        windows.check_open(Meeting(), opens_at - MINUTE, until_close=False)


@pytest.mark.parametrize(
    ("scanned_at", "why"),
    [
        (datetime(1990, 1, 1, tzinfo=UTC), "early"),
        (START - timedelta(hours=2) - 6 * MINUTE, "early"),
        (START + timedelta(hours=4) + 6 * MINUTE, "late"),
        (START + 30 * MINUTE + 6 * MINUTE, "future"),  # ahead of the server's clock
    ],
)
def test_a_reported_scan_time_is_bounded(scanned_at, why):
    now = START + (30 * MINUTE if why == "future" else timedelta(days=1))
    with pytest.raises(OutsideWindow) as outside:
        windows.check_scan_time(Meeting(), scanned_at, now)
    assert (outside.value.why, outside.value.moment) == (why, scanned_at)


def test_a_desk_clock_a_little_off_is_tolerated():
    now = START + timedelta(hours=5)  # after the window: an offline desk uploading late
    skew = windows.SCAN_CLOCK_SKEW - MINUTE
    windows.check_scan_time(Meeting(), START - timedelta(hours=2) - skew, now)
    windows.check_scan_time(Meeting(), START + timedelta(hours=4) + skew, now)
    desk_ahead = START + timedelta(hours=1)  # the desk's clock runs ahead of the server's
    windows.check_scan_time(Meeting(), desk_ahead, desk_ahead - skew)
    assert windows.is_open(Meeting(), START)
    assert not windows.is_open(Meeting(), START - timedelta(hours=3))
