"""Occurrences of a recurring meeting; pure functions, no Flask.

A forum's evaluation "every 3 months on the second Tuesday" is an RFC 5545 rule
(``FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU``) read in the zone of the forum's venue: the wall
clock time stays 09.00 WITA at every occurrence, whatever that is in UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.rrule import rrulestr

from meetcoord.core.timezones import get_zone

MAX_OCCURRENCES = 60  # five years of monthly meetings; more is a mistake, not a plan


class RecurrenceError(ValueError):
    """The rule cannot be read, or it yields no or too many occurrences."""


def occurrences(
    rule: str, first_start: datetime, zone_name: str, *, limit: int = MAX_OCCURRENCES
) -> list[datetime]:
    """Start instants of every occurrence, the first meeting's own start first.

    The rule must be bounded with COUNT or UNTIL: an unbounded series would create meetings
    without end.
    """
    if first_start.tzinfo is None:
        raise RecurrenceError("naive datetime: give the first start with its zone")
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    upper = text.upper()
    if "COUNT=" not in upper and "UNTIL=" not in upper:
        raise RecurrenceError("the rule needs COUNT or UNTIL")
    zone = get_zone(zone_name)
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    try:
        parsed = rrulestr(text, dtstart=local_start, ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"unreadable rule: {exc}") from None
    locals_: list[datetime] = []
    for local in parsed:
        if len(locals_) >= limit:
            raise RecurrenceError(f"more than {limit} occurrences")
        locals_.append(local)
    # The meeting the series is made from is its first occurrence even when its date does
    # not fit the rule (RFC 5545 leaves that case undefined; dateutil would drop it).
    if not locals_ or locals_[0] != local_start:
        locals_ = [local_start, *(local for local in locals_ if local > local_start)]
        count = getattr(parsed, "_count", None)  # COUNT counts the first meeting too
        if count:
            locals_ = locals_[:count]
    if len(locals_) < 2:
        raise RecurrenceError("the rule yields no occurrence after the first meeting")
    return [local.replace(tzinfo=zone).astimezone(first_start.tzinfo) for local in locals_]


def shift(moment: datetime, old_first: datetime, new_first: datetime) -> datetime:
    """Move an occurrence by the same amount the series' first start moved."""
    delta: timedelta = new_first - old_first
    return moment + delta
