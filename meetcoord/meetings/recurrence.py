"""Occurrences of a recurring meeting; pure functions, no Flask.

A forum's evaluation "every 3 months on the second Tuesday" is an RFC 5545 rule
(``FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU``) read in the zone of the forum's venue: the wall
clock time stays 09.00 WITA at every occurrence, whatever that is in UTC.

Why the rule is expanded here and not by dateutil: dateutil looks for the next
occurrence period after period until the year 9999 and checks UNTIL only against an
occurrence it found, so a rule that never matches (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``,
or ``BYDAY=MO,2TU``, which it reads as Mondays that are second Tuesdays) kept the server
busy for 2-6 s whatever its COUNT or UNTIL. Here the periods end where the series must
end, :data:`MAX_YEARS` after the first meeting, so the work is bounded by the calendar
(at most 5 × 366 days looked at) and not by what the rule says.

Only what a series of meetings needs is accepted: FREQ of DAILY, WEEKLY, MONTHLY or
YEARLY, INTERVAL, COUNT or UNTIL (one of them, within :data:`MAX_OCCURRENCES` meetings
and :data:`MAX_YEARS` years), BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS and WKST; BYHOUR and
its kin are refused (the time is the first meeting's). Each refusal is a
:class:`RecurrenceError` whose ``code`` the service turns into a message.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from meetcoord.core.timezones import get_zone

MAX_OCCURRENCES = 60  # five years of monthly meetings; more is a mistake, not a plan
MAX_YEARS = 5
MAX_RULE_LENGTH = 300  # the column's width
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS")
_BYDAY = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"(\d{8})(?:T(\d{6})(Z?))?")


class RecurrenceError(ValueError):
    """The rule cannot be read, or is not one a series may have; ``code`` says which."""

    def __init__(self, code: str, detail: str, **params: object):
        super().__init__(detail)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Rule:
    freq: str
    interval: int = 1
    count: int | None = None
    until: datetime | None = None  # local wall-clock time, inclusive
    bymonth: frozenset[int] = frozenset()
    bymonthday: frozenset[int] = frozenset()
    byday: tuple[tuple[int, int | None], ...] = ()  # (weekday 0=MO, ordinal or None)
    bysetpos: tuple[int, ...] = ()
    wkst: int = 0


def _numbers(part: str, value: str, low: int, high: int, *, signed: bool = False) -> list[int]:
    numbers = []
    for item in value.split(","):
        if not re.fullmatch(r"[+-]?\d{1,3}" if signed else r"\d{1,4}", item):
            raise RecurrenceError("bad_value", f"{part}={value}", part=part)
        number = int(item)
        if not low <= abs(number) <= high:
            raise RecurrenceError("bad_value", f"{part}={value}", part=part)
        numbers.append(number)
    return numbers


def _listed(parts: dict[str, str], part: str, high: int, *, signed: bool = False) -> list[int]:
    return _numbers(part, parts[part], 1, high, signed=signed) if part in parts else []


def _until(value: str, zone_name: str) -> datetime:
    match = _UNTIL.fullmatch(value)
    if match is None:
        raise RecurrenceError("bad_value", f"UNTIL={value}", part="UNTIL")
    day, clock, utc = match.groups()
    try:
        # Wall-clock times at the venue, like every time the expansion works with.
        if clock is None:  # a date: the whole day
            day_only = datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007
            return datetime.combine(day_only, time(23, 59, 59))
        moment = datetime.strptime(day + clock, "%Y%m%d%H%M%S")  # noqa: DTZ007
    except ValueError:
        raise RecurrenceError("bad_value", f"UNTIL={value}", part="UNTIL") from None
    if utc:
        return moment.replace(tzinfo=UTC).astimezone(get_zone(zone_name)).replace(tzinfo=None)
    return moment


def _byday(value: str, freq: str) -> tuple[tuple[int, int | None], ...]:
    days = []
    for item in value.split(","):
        match = _BYDAY.fullmatch(item)
        if match is None:
            raise RecurrenceError("bad_value", f"BYDAY={value}", part="BYDAY")
        sign, number, weekday = match.groups()
        ordinal = None
        if number is not None:
            # RFC 5545: an ordinal only with MONTHLY (within the month) or YEARLY.
            limit = {"MONTHLY": 5, "YEARLY": 53}.get(freq, 0)
            if not 1 <= int(number) <= limit:
                raise RecurrenceError("bad_value", f"BYDAY={value}", part="BYDAY")
            ordinal = -int(number) if sign == "-" else int(number)
        elif sign:
            raise RecurrenceError("bad_value", f"BYDAY={value}", part="BYDAY")
        days.append((WEEKDAYS.index(weekday), ordinal))
    return tuple(days)


def _split(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, equals, value = item.partition("=")
        name = name.strip().upper()
        if not equals or not name or not value.strip():
            raise RecurrenceError("syntax", f"not NAME=VALUE: {item!r}")
        if name in TIME_PARTS:
            raise RecurrenceError("time_part", f"{name} is not used", part=name)
        if name not in (*_PARTS, "WKST"):
            raise RecurrenceError("unknown_part", f"{name} is not supported", part=name[:20])
        if name in parts:
            raise RecurrenceError("duplicate_part", f"{name} twice", part=name)
        parts[name] = value.strip().upper()
    return parts


def parse_rule(rule: str, zone_name: str) -> Rule:
    """Read and check ``rule`` (with or without ``RRULE:``) without expanding it."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > MAX_RULE_LENGTH:
        raise RecurrenceError("syntax", "empty or too long")
    parts = _split(text)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise RecurrenceError("frequency", f"FREQ={freq}")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise RecurrenceError("unbounded", "the rule needs COUNT or UNTIL")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("count_and_until", "COUNT and UNTIL together")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise RecurrenceError("bad_value", "BYMONTHDAY with WEEKLY", part="BYMONTHDAY")
    if "BYSETPOS" in parts and not {"BYMONTH", "BYMONTHDAY", "BYDAY"} & set(parts):
        raise RecurrenceError("bad_value", "BYSETPOS alone", part="BYSETPOS")
    wkst = parts.get("WKST", "MO")
    if wkst not in WEEKDAYS:
        raise RecurrenceError("bad_value", f"WKST={wkst}", part="WKST")
    count = _numbers("COUNT", parts["COUNT"], 1, 9999)[0] if "COUNT" in parts else None
    if count is not None and count > MAX_OCCURRENCES:
        raise RecurrenceError("too_many", f"COUNT={count}", n=MAX_OCCURRENCES)
    return Rule(
        freq=freq,
        interval=_numbers("INTERVAL", parts.get("INTERVAL", "1"), 1, 999)[0],
        count=count,
        until=_until(parts["UNTIL"], zone_name) if "UNTIL" in parts else None,
        bymonth=frozenset(_listed(parts, "BYMONTH", 12)),
        bymonthday=frozenset(_listed(parts, "BYMONTHDAY", 31, signed=True)),
        byday=_byday(parts["BYDAY"], freq) if "BYDAY" in parts else (),
        bysetpos=tuple(_listed(parts, "BYSETPOS", 366, signed=True)),
        wkst=WEEKDAYS.index(wkst),
    )


# --- expansion ----------------------------------------------------------------------------


def _with_defaults(rule: Rule, start: date) -> Rule:
    """RFC 5545: what the first meeting's date fills in when the rule does not say."""
    if rule.byday or rule.bymonthday:
        return rule
    if rule.freq == "YEARLY":
        months = rule.bymonth or frozenset({start.month})
        return replace(rule, bymonth=months, bymonthday=frozenset({start.day}))
    if rule.freq == "MONTHLY":
        return replace(rule, bymonthday=frozenset({start.day}))
    if rule.freq == "WEEKLY":
        return replace(rule, byday=((start.weekday(), None),))
    return rule


def _periods(rule: Rule, start: date, last: date) -> Iterator[list[date]]:
    """The days of each period (year, month, week or day) from the first meeting's to the
    one that contains ``last``, every INTERVAL-th."""
    step = rule.interval
    if rule.freq == "DAILY":
        day = start
        while day <= last:
            yield [day]
            day += timedelta(days=step)
    elif rule.freq == "WEEKLY":
        week = start - timedelta(days=(start.weekday() - rule.wkst) % 7)
        first = True
        while week <= last:
            days = [week + timedelta(days=i) for i in range(7)]
            yield [d for d in days if d >= start] if first else days
            week += timedelta(weeks=step)
            first = False
    else:
        months = 12 * step if rule.freq == "YEARLY" else step
        index = start.year * 12 + start.month - 1
        if rule.freq == "YEARLY":
            index -= start.month - 1
        while date(index // 12, index % 12 + 1, 1) <= last:
            year, month = divmod(index, 12)
            span = 12 if rule.freq == "YEARLY" else 1
            yield [
                date(year, month + 1 + m, d)
                for m in range(span)
                for d in range(1, calendar.monthrange(year, month + 1 + m)[1] + 1)
            ]
            index += months


def _nth_weekday(day: date, ordinal: int, within_year: bool) -> bool:
    """``day`` is the ``ordinal``-th (from the end when negative) of its weekday in its
    month, or in its year when ``within_year``."""
    if within_year:
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
    else:
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if ordinal > 0:
        return (day - first).days // 7 + 1 == ordinal
    return (last - day).days // 7 + 1 == -ordinal


def _matches(rule: Rule, day: date) -> bool:
    if rule.bymonth and day.month not in rule.bymonth:
        return False
    if rule.bymonthday:
        length = calendar.monthrange(day.year, day.month)[1]
        if day.day not in rule.bymonthday and day.day - length - 1 not in rule.bymonthday:
            return False
    if rule.byday:
        within_year = rule.freq == "YEARLY" and not rule.bymonth
        return any(
            weekday == day.weekday()
            and (ordinal is None or _nth_weekday(day, ordinal, within_year))
            for weekday, ordinal in rule.byday
        )
    return True


def expand(rule: Rule, local_start: datetime) -> list[datetime]:
    """Wall-clock starts from ``local_start`` on, per the rule, within :data:`MAX_YEARS`.

    Raises ``too_far`` when COUNT is not reached by then (``none`` when nothing after the
    first meeting is). Occurrences before the first
    meeting are dropped, after BYSETPOS has picked from the whole period, as RFC 5545 says.
    """
    start = local_start.date()
    horizon = _years_later(local_start, MAX_YEARS)
    last = min(rule.until, horizon) if rule.until else horizon
    rule = _with_defaults(rule, start)
    found: list[datetime] = []
    for days in _periods(rule, start, last.date()):
        chosen = [d for d in days if _matches(rule, d)]
        if rule.bysetpos:
            chosen = sorted(
                {chosen[p - 1 if p > 0 else p] for p in rule.bysetpos if abs(p) <= len(chosen)}
            )
        for day in chosen:
            moment = datetime.combine(day, local_start.time())
            if moment < local_start:
                continue
            if moment > last:
                break
            found.append(moment)
            if rule.count is not None and len(found) == rule.count:
                return found
            if len(found) > MAX_OCCURRENCES:
                raise RecurrenceError("too_many", "too many occurrences", n=MAX_OCCURRENCES)
    if rule.count is not None:  # not reached in time: too far, or (nothing after) never
        code = "too_far" if any(moment > local_start for moment in found) else "none"
        raise RecurrenceError(code, f"COUNT not reached in {MAX_YEARS} years", years=MAX_YEARS)
    return found


def _years_later(moment: datetime, years: int) -> datetime:
    year = min(moment.year + years, 9999)  # meetings are dated sanely; this is the calendar's
    try:
        return moment.replace(year=year)
    except ValueError:  # 29 February
        return moment.replace(year=year, day=28)


def occurrences(
    rule: str, first_start: datetime, zone_name: str, *, limit: int = MAX_OCCURRENCES
) -> list[datetime]:
    """Start instants of every occurrence, the first meeting's own start first.

    The rule must be bounded with COUNT or UNTIL: an unbounded series would create meetings
    without end; and the series must end within :data:`MAX_YEARS` years.
    """
    if first_start.tzinfo is None:
        raise RecurrenceError("naive", "naive datetime: give the first start with its zone")
    zone = get_zone(zone_name)
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    parsed = parse_rule(rule, zone_name)
    if parsed.until is not None and parsed.until > _years_later(local_start, MAX_YEARS):
        raise RecurrenceError("too_far", "UNTIL too far", years=MAX_YEARS)
    try:
        locals_ = expand(parsed, local_start)
    except RecurrenceError:
        raise
    except (ValueError, OverflowError) as exc:  # the calendar's end, a date that is not
        raise RecurrenceError("unusable", f"{type(exc).__name__}: {exc}") from None
    # The meeting the series is made from is its first occurrence even when its date does
    # not fit the rule (RFC 5545 leaves that case undefined; dateutil would drop it).
    if not locals_ or locals_[0] != local_start:
        locals_ = [local_start, *(local for local in locals_ if local > local_start)]
        if parsed.count:  # COUNT counts the first meeting too
            locals_ = locals_[: parsed.count]
    if len(locals_) > limit:
        raise RecurrenceError("too_many", f"more than {limit} occurrences", n=limit)
    if len(locals_) < 2:
        raise RecurrenceError("none", "no occurrence after the first meeting", years=MAX_YEARS)
    return [local.replace(tzinfo=zone).astimezone(first_start.tzinfo) for local in locals_]


def shift(moment: datetime, old_first: datetime, new_first: datetime) -> datetime:
    """Move an occurrence by the same amount the series' first start moved."""
    delta: timedelta = new_first - old_first
    return moment + delta
