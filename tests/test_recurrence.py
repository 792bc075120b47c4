"""Recurrence rules read in a venue's zone (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from meetcoord.meetings.recurrence import RecurrenceError, occurrences, shift

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
