"""When a meeting reminder is due, in the reader's zone: pure functions, no app."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetcoord.reminders.timing import ReminderKind, due_meeting_reminder, occasion

DAY, MORNING = ReminderKind.MEETING_DAY_BEFORE, ReminderKind.MEETING_MORNING
# 09.00 WITA on 15 March 2027 = 01.00 UTC = 08.00 WIB = 10.00 WIT.
START = datetime(2027, 3, 15, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        # 08.00 the day before, on each reader's own clock
        (datetime(2027, 3, 13, 22, 59, tzinfo=UTC), "Asia/Jayapura", None),  # 07.59 WIT
        (datetime(2027, 3, 13, 23, 0, tzinfo=UTC), "Asia/Jayapura", DAY),  # 08.00 WIT
        (datetime(2027, 3, 13, 23, 0, tzinfo=UTC), "Asia/Makassar", None),  # 07.00 WITA
        (datetime(2027, 3, 14, 0, 0, tzinfo=UTC), "Asia/Makassar", DAY),  # 08.00 WITA
        (datetime(2027, 3, 14, 0, 30, tzinfo=UTC), "Asia/Jakarta", None),  # 07.30 WIB
        (datetime(2027, 3, 14, 1, 0, tzinfo=UTC), "Asia/Jakarta", DAY),  # 08.00 WIB
        (datetime(2027, 3, 14, 16, 59, tzinfo=UTC), "Asia/Jakarta", DAY),  # 23.59 WIB
        # the morning: from 06.00 while the meeting is ahead
        (datetime(2027, 3, 14, 17, 0, tzinfo=UTC), "Asia/Jakarta", None),  # 00.00 WIB
        (datetime(2027, 3, 14, 23, 0, tzinfo=UTC), "Asia/Jakarta", MORNING),  # 06.00 WIB
        (datetime(2027, 3, 14, 20, 59, tzinfo=UTC), "Asia/Jayapura", None),  # 05.59 WIT
        (datetime(2027, 3, 14, 21, 0, tzinfo=UTC), "Asia/Jayapura", MORNING),  # 06.00 WIT
        (datetime(2027, 3, 15, 0, 59, tzinfo=UTC), "Asia/Makassar", MORNING),  # 08.59 WITA
        # started, or far ahead: nothing
        (START, "Asia/Makassar", None),
        (datetime(2027, 3, 13, 1, 0, tzinfo=UTC), "Asia/Makassar", None),
    ],
)
def test_due_in_the_readers_zone(now, zone, expected):
    assert due_meeting_reminder(START, now, zone) is expected


def test_a_meeting_past_midnight_for_one_reader_is_their_next_day():
    # 23.30 WIB on the 15th is 01.30 WIT on the 16th: the WIT reader's "day before" is the 15th.
    start = datetime(2027, 3, 15, 16, 30, tzinfo=UTC)
    now = datetime(2027, 3, 15, 0, 0, tzinfo=UTC)  # 07.00 WIB / 09.00 WIT on the 15th
    assert due_meeting_reminder(start, now, "Asia/Jayapura") is DAY
    assert due_meeting_reminder(start, now, "Asia/Jakarta") is MORNING


def test_occasion_is_the_start_in_utc():
    assert occasion(START) == "2027-03-15T01:00Z"


@pytest.mark.parametrize(
    ("today", "days_before", "every", "expected"),
    [
        ("2027-03-11", 3, 7, None),  # four days ahead
        ("2027-03-12", 3, 7, "due:2027-03-15"),
        ("2027-03-15", 3, 7, "due:2027-03-15"),  # due today: still ahead
        ("2027-03-14", 0, 7, None),  # 0: no advance reminder
        ("2027-03-16", 0, 7, "overdue:2027-03-15:0"),  # first overdue day
        ("2027-03-22", 3, 7, "overdue:2027-03-15:0"),  # day 7: the same period
        ("2027-03-23", 3, 7, "overdue:2027-03-15:1"),  # a week after the first
        ("2027-03-18", 3, 2, "overdue:2027-03-15:1"),
    ],
)
def test_action_occasion(today, days_before, every, expected):
    from datetime import date

    from meetcoord.reminders.timing import action_occasion

    day = date.fromisoformat(today)
    assert action_occasion(date(2027, 3, 15), day, days_before, every) == expected


def test_digest_day_and_iso_week():
    from datetime import date

    from meetcoord.reminders.timing import digest_day, iso_week

    assert digest_day(datetime(2027, 3, 14, 0, 59, tzinfo=UTC), "Asia/Jakarta") is None
    assert digest_day(datetime(2027, 3, 14, 1, 0, tzinfo=UTC), "Asia/Jakarta") == date(2027, 3, 14)
    assert iso_week(date(2027, 3, 22)) == "2027-W12"
