"""Unit tests of meetcoord.core.timezones: pure functions, no app needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from meetcoord.core.timezones import (
    PRIMARY_ZONES,
    UnknownTimeZone,
    format_across_zones,
    format_long_date,
    format_time_in_zone,
    get_zone,
    is_valid_zone,
    offset_label,
    to_zone,
    zone_choices,
    zone_label,
)

# The second BangKIT coordination meeting in Tambolaka: Friday 15 March 2024, 09.00 WITA.
MEETING = datetime(2024, 3, 15, 1, 0, tzinfo=UTC)
INDONESIA = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


def test_long_date_in_indonesian():
    assert format_long_date(MEETING, "Asia/Makassar") == "Jumat, 15 Maret 2024"


def test_long_date_in_english():
    assert format_long_date(MEETING, "Asia/Makassar", "en") == "Friday, 15 March 2024"


def test_long_date_is_the_day_at_the_venue():
    late = datetime(2024, 3, 14, 16, 30, tzinfo=UTC)  # Thursday 23.30 WIB = Friday 00.30 WITA
    assert format_long_date(late, "Asia/Jakarta") == "Kamis, 14 Maret 2024"
    assert format_long_date(late, "Asia/Makassar") == "Jumat, 15 Maret 2024"


def test_long_date_without_zone_uses_the_moment_as_given():
    assert format_long_date(datetime(2023, 5, 16, 10, 0, tzinfo=UTC)) == "Selasa, 16 Mei 2023"


def test_time_in_zone_indonesian_uses_a_dot_and_the_label():
    assert format_time_in_zone(MEETING, "Asia/Makassar") == "09.00 WITA"
    assert format_time_in_zone(MEETING, "Asia/Jakarta") == "08.00 WIB"
    assert format_time_in_zone(MEETING, "Asia/Jayapura") == "10.00 WIT"


def test_time_in_zone_english_uses_a_colon():
    assert format_time_in_zone(MEETING, "Asia/Makassar", "en") == "09:00 WITA"


def test_across_the_three_indonesian_zones():
    moment = datetime(2024, 3, 15, 2, 0, tzinfo=UTC)
    assert format_across_zones(moment, INDONESIA) == "09.00 WIB / 10.00 WITA / 11.00 WIT"
    assert format_across_zones(moment, INDONESIA, "en") == "09:00 WIB / 10:00 WITA / 11:00 WIT"


def test_across_zones_shows_each_site_time_once():
    # Mataram and Selong (both WITA) linked to Jakarta
    zones = ["Asia/Makassar", "Asia/Makassar", "Asia/Jakarta"]
    assert format_across_zones(MEETING, zones) == "09.00 WITA / 08.00 WIB"


def test_indonesian_labels():
    assert zone_label("Asia/Jakarta") == "WIB"
    assert zone_label("Asia/Pontianak") == "WIB"
    assert zone_label("Asia/Makassar") == "WITA"
    assert zone_label("Asia/Jayapura") == "WIT"


def test_labels_for_other_zones_are_utc_offsets():
    winter = datetime(2024, 1, 15, tzinfo=UTC)
    summer = datetime(2024, 7, 15, tzinfo=UTC)
    assert zone_label("Asia/Tokyo", winter) == "UTC+9"
    assert zone_label("Australia/Darwin", winter) == "UTC+9:30"
    assert zone_label("Europe/Amsterdam", winter) == "UTC+1"
    assert zone_label("Europe/Amsterdam", summer) == "UTC+2"
    assert zone_label("America/New_York", winter) == "UTC-5"
    assert zone_label("UTC", winter) == "UTC+0"
    assert format_time_in_zone(MEETING, "Asia/Tokyo") == "10.00 UTC+9"


def test_offset_label():
    assert offset_label(timedelta(hours=8)) == "UTC+8"
    assert offset_label(timedelta(hours=5, minutes=45)) == "UTC+5:45"
    assert offset_label(timedelta(hours=-3, minutes=-30)) == "UTC-3:30"


def test_naive_datetime_is_refused():
    naive = datetime(2024, 3, 15, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="naive"):
        to_zone(naive, "Asia/Makassar")
    with pytest.raises(ValueError, match="naive"):
        format_time_in_zone(naive, "Asia/Makassar")
    with pytest.raises(ValueError, match="naive"):
        format_long_date(naive, "Asia/Makassar")


def test_aware_datetime_in_another_offset_is_converted():
    wita = datetime(2024, 3, 15, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert format_time_in_zone(wita, "Asia/Jayapura") == "10.00 WIT"


@pytest.mark.parametrize("name", ["Asia/Tambolaka", "WITA", "", "../etc/passwd", "Asia/"])
def test_unknown_zone(name):
    assert not is_valid_zone(name)
    with pytest.raises(UnknownTimeZone):
        get_zone(name)
    with pytest.raises(UnknownTimeZone):
        format_time_in_zone(MEETING, name)


def test_unknown_zone_is_a_value_error():
    assert issubclass(UnknownTimeZone, ValueError)


def test_zone_choices_offer_wib_wita_wit_first():
    choices = zone_choices()
    assert [name for name, _ in choices[:3]] == list(PRIMARY_ZONES)
    assert choices[1] == ("Asia/Makassar", "WITA — Asia/Makassar")
    names = [name for name, _ in choices]
    assert "Europe/Amsterdam" in names
    assert len(names) == len(set(names))
