"""Recurrence rules read in a venue's zone (pure)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from dateutil.rrule import rrulestr

from meetcoord.meetings.recurrence import (
    RecurrenceError,
    expand,
    occurrences,
    parse_rule,
    shift,
)

WIT = timezone(timedelta(hours=9))


def test_every_three_months_on_the_second_tuesday_keeps_the_wall_clock():
    first = datetime(2023, 5, 9, 9, 0, tzinfo=WIT)  # a second Tuesday, 09.00 WIT in Ambon
    starts = occurrences("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=4", first, "Asia/Jayapura")
    local = [s.astimezone(WIT) for s in starts]
    assert [d.date().isoformat() for d in local] == [
        "2023-05-09",
        "2023-08-08",
        "2023-11-14",
        "2024-02-13",
    ]
    assert all((d.hour, d.minute, d.weekday()) == (9, 0, 1) for d in local)
    assert all(s.utcoffset() == timedelta(hours=9) for s in starts)


def test_prefix_and_until_accepted():
    first = datetime(2024, 1, 9, 1, 0, tzinfo=UTC)
    starts = occurrences("RRULE:FREQ=WEEKLY;UNTIL=20240130T000000", first, "Asia/Makassar")
    assert len(starts) == 3


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=SOMETIMES;COUNT=2",
        "COUNT=2;BYDAY=XX",
        "FREQ=DAILY;COUNT=500",
    ],
)
def test_unbounded_unreadable_or_huge_rules_refused(rule):
    with pytest.raises(RecurrenceError):
        occurrences(rule, datetime(2024, 1, 1, tzinfo=UTC), "Asia/Jakarta")


def test_naive_start_refused():
    with pytest.raises(RecurrenceError):
        occurrences("FREQ=DAILY;COUNT=2", datetime(2024, 1, 1), "Asia/Jakarta")  # noqa: DTZ001


def test_shift_moves_by_the_same_amount():
    old = datetime(2024, 1, 1, 1, tzinfo=UTC)
    assert shift(datetime(2024, 4, 1, 1, tzinfo=UTC), old, old + timedelta(hours=1)) == datetime(
        2024, 4, 1, 2, tzinfo=UTC
    )


def test_a_first_meeting_off_the_rule_stays_first():
    """The Ambon meeting of Tuesday 16 May 2023 was the third Tuesday, not the second."""
    first = datetime(2023, 5, 16, 9, 0, tzinfo=WIT)
    starts = occurrences("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=3", first, "Asia/Jayapura")
    assert [s.astimezone(WIT).date().isoformat() for s in starts] == [
        "2023-05-16",
        "2023-08-08",
        "2023-11-14",
    ]


# --- issue 11: rules that must not stall the server or answer 500 ------------------------

FIRST = datetime(2026, 3, 10, 9, 0, tzinfo=WIT)  # a Tuesday


def refusal(rule: str, first: datetime = FIRST) -> str:
    with pytest.raises(RecurrenceError) as caught:
        occurrences(rule, first, "Asia/Jayapura")
    return caught.value.code


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2",  # 6 s with dateutil
        "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=3;COUNT=2",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=40;COUNT=2",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20300101T000000",  # UNTIL did not help
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29;COUNT=2",  # never a leap year
    ],
)
def test_a_rule_that_never_matches_is_refused_at_once(rule):
    started = time.perf_counter()
    assert refusal(rule) in ("none", "too_far")
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=DAILY;BYHOUR=25;COUNT=3", "time_part"),
        ("FREQ=DAILY;BYMINUTE=5;COUNT=3", "time_part"),
        ("FREQ=HOURLY;COUNT=3", "frequency"),
        ("FREQ=SECONDLY;COUNT=3", "frequency"),
        ("FREQ=MONTHLY;BYMONTH=13;COUNT=3", "bad_value"),
        ("FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3", "bad_value"),
        ("FREQ=MONTHLY;BYDAY=6TU;COUNT=3", "bad_value"),
        ("FREQ=WEEKLY;BYDAY=2TU;COUNT=3", "bad_value"),
        ("FREQ=MONTHLY;INTERVAL=0;COUNT=3", "bad_value"),
        ("FREQ=MONTHLY;COUNT=99999999999999999999", "bad_value"),
        ("FREQ=MONTHLY;UNTIL=20261399T000000", "bad_value"),
        ("FREQ=MONTHLY;COUNT=3;COUNT=4", "duplicate_part"),
        ("FREQ=MONTHLY;BYWEEKNO=20;COUNT=3", "unknown_part"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20270101", "count_and_until"),
        ("FREQ=MONTHLY;COUNT=61", "too_many"),
        ("FREQ=DAILY;UNTIL=20261231", "too_many"),
        ("FREQ=MONTHLY;UNTIL=20330101", "too_far"),
        ("FREQ=YEARLY;COUNT=7", "too_far"),
        ("FREQ=MONTHLY;COUNT=1", "none"),
        ("FREQ MONTHLY", "syntax"),
    ],
)
def test_unsupported_or_unbounded_parts_are_refused_with_a_reason(rule, code):
    assert refusal(rule) == code


def test_a_day_list_mixing_plain_and_numbered_weekdays_is_their_union():
    """Every Monday and the second Tuesday (dateutil found nothing, after 2 s)."""
    first = datetime(2026, 3, 2, 9, 0, tzinfo=WIT)
    starts = occurrences("FREQ=MONTHLY;BYDAY=MO,2TU;COUNT=6", first, "Asia/Jayapura")
    assert [s.date().isoformat() for s in starts] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-10",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ]


def test_until_in_utc_is_converted_to_the_venues_wall_clock():
    # 09.00 WIT is 00.00 UTC: an UNTIL of 00.00 UTC on the 24th keeps the 24th.
    starts = occurrences("FREQ=WEEKLY;UNTIL=20260324T000000Z", FIRST, "Asia/Jayapura")
    assert [s.date().isoformat() for s in starts] == ["2026-03-10", "2026-03-17", "2026-03-24"]


def _random_rule(rng: random.Random) -> str:
    """Rules that always match within a year, so that dateutil finishes as well."""
    freq = rng.choice(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}", f"INTERVAL={rng.randint(1, 2 if freq == 'YEARLY' else 3)}"]
    day = rng.choice(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
    choice = rng.randint(0, 3)
    if choice == 1 and freq != "WEEKLY":
        parts.append(f"BYMONTHDAY={rng.choice([1, 5, 15, 28, -1, -7])}")
    elif choice == 2 and freq in ("MONTHLY", "YEARLY"):
        parts.append(f"BYDAY={rng.choice([1, 2, 4, -1])}{day}")
        if freq == "YEARLY":
            parts.append(f"BYMONTH={rng.randint(1, 12)},{rng.randint(1, 12)}")
    elif choice == 3:
        parts.append(f"BYDAY={day},{rng.choice(['MO', 'FR'])}")
        parts.append(f"BYSETPOS={rng.choice([1, -1])}")
    parts.append(f"COUNT={rng.randint(2, 4 if freq == 'YEARLY' else 12)}")
    return ";".join(parts)


def test_expansion_agrees_with_dateutil_on_rules_it_can_finish():
    rng = random.Random(11)  # noqa: S311 - reproducible test data, not secrets
    for _ in range(300):
        rule = _random_rule(rng)
        wall_clock = datetime(2024, 1, 1, 9, 0)  # noqa: DTZ001 - the venue's wall clock
        start = wall_clock + timedelta(days=rng.randint(0, 800))
        expected = list(rrulestr(rule, dtstart=start))
        try:
            got: list[datetime] | str = expand(parse_rule(rule, "Asia/Jakarta"), start)
        except RecurrenceError as exc:
            got = exc.code
        if got == "too_far":  # dateutil's COUNT-th is indeed more than five years away
            assert expected[-1] > start.replace(year=start.year + 5), rule
        else:
            assert got == expected, (rule, start)
