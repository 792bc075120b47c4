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
from datetime import date, datetime, time, timedelta

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


# --- follow-up actions -------------------------------------------------------------------

#: A digest goes out from 08.00 on the reader's own clock, once per day at most.
DIGEST_FROM = time(8, 0)


def digest_day(now: datetime, zone: str) -> date | None:
    """The reader's calendar day at ``now`` once it is 08.00 there, else None (too early)."""
    local = to_zone(now, zone)
    return local.date() if local.time() >= DIGEST_FROM else None


def action_occasion(due_on: date, today: date, days_before: int, every: int) -> str | None:
    """The occasion an action not yet done is reminded of on ``today``, if any.

    - ``due:<due_on>`` from ``days_before`` days before the due date up to the day itself
      (0: no reminder before). Keyed to the date, so a moved due date is reminded again.
    - ``overdue:<due_on>:<n>`` from the first day after the due date, the n-th period of
      ``every`` days while it stays overdue: day 1 is period 0, day 1 + ``every`` period 1.
      A run that missed a day still sends the period's reminder on the next one.
    """
    if today <= due_on:
        left = (due_on - today).days
        return f"due:{due_on.isoformat()}" if days_before > 0 and left <= days_before else None
    period = ((today - due_on).days - 1) // max(every, 1)
    return f"overdue:{due_on.isoformat()}:{period}"


def iso_week(day: date) -> str:
    """ "2027-W11": the occasion of a weekly summary."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
