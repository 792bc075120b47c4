"""When a meeting reminder is due, in the reader's own zone: pure functions, no Flask.

Two reminders per meeting and invitee:

- the day before, from :data:`DAY_BEFORE_FROM` (08.00) on the reader's calendar day
  before the meeting's day — "besok" is the reader's tomorrow, not the host's;
- on the morning of the meeting, from :data:`MORNING_FROM` (06.00), only while the meeting
  is still ahead that day.

Before those hours nothing is due (nobody wants a reminder at 01.00 because a worker
happened to run then); after the meeting has started nothing is due either. The window
closes by itself: the day-before reminder is no longer due once the meeting's day has
come, the morning one then takes over.
"""

from __future__ import annotations

import enum
from datetime import datetime, time, timedelta

from meetcoord.core.timezones import to_zone

DAY_BEFORE_FROM = time(8, 0)
MORNING_FROM = time(6, 0)
#: The furthest ahead a meeting can be when a reminder is due: 08.00 the day before a
#: meeting at 23.59 is under 40 hours away, in any zone.
LOOKAHEAD = timedelta(hours=48)


class ReminderKind(enum.StrEnum):
    MEETING_DAY_BEFORE = "meeting_day_before"
    MEETING_MORNING = "meeting_morning"


def due_meeting_reminder(start_at: datetime, now: datetime, zone: str) -> ReminderKind | None:
    """The meeting reminder due at ``now`` for a reader in ``zone``, if any."""
    if now >= start_at:
        return None
    local_now = to_zone(now, zone)
    meeting_day = to_zone(start_at, zone).date()
    if local_now.date() == meeting_day:
        return ReminderKind.MEETING_MORNING if local_now.time() >= MORNING_FROM else None
    if local_now.date() == meeting_day - timedelta(days=1):
        return ReminderKind.MEETING_DAY_BEFORE if local_now.time() >= DAY_BEFORE_FROM else None
    return None


def occasion(start_at: datetime) -> str:
    """The reminder key's occasion for a meeting: its start as a UTC ISO string.

    A rescheduled meeting has a new occasion, so its invitees are reminded of the new time.
    """
    return to_zone(start_at, "UTC").strftime("%Y-%m-%dT%H:%MZ")
