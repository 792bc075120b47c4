"""Indonesian time zones and their labels; pure functions, no Flask.

Indonesia has three zones that people name by their abbreviation (WIB, WITA, WIT), not by
their IANA id, so every time the product shows carries that label. Zones elsewhere get
their UTC offset as a label ("UTC+10").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date, format_time

INDONESIAN_ZONES: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

# The zones offered first in a venue form, in west-to-east order.
PRIMARY_ZONES: tuple[str, ...] = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


class UnknownTimeZone(ValueError):
    """The name is not an IANA time zone this machine knows."""


@cache
def get_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZone(name) from None


def is_valid_zone(name: str) -> bool:
    try:
        get_zone(name)
    except UnknownTimeZone:
        return False
    return True


def offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(name: str, at: datetime | None = None) -> str:
    """WIB / WITA / WIT for Indonesian zones, otherwise the UTC offset at ``at``."""
    if name in INDONESIAN_ZONES:
        return INDONESIAN_ZONES[name]
    zone = get_zone(name)
    moment = at or datetime.now(zone)
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return offset_label(offset)


def zone_choices() -> list[tuple[str, str]]:
    """(IANA id, display) pairs: WIB/WITA/WIT first, then every other known zone."""
    first = [(name, f"{INDONESIAN_ZONES[name]} — {name}") for name in PRIMARY_ZONES]
    rest = sorted(available_timezones() - set(PRIMARY_ZONES) - {"localtime", "Factory"})
    return first + [(name, name) for name in rest]


def to_zone(moment: datetime, zone_name: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: cannot place it in a zone")
    return moment.astimezone(get_zone(zone_name))


def format_time_in_zone(moment: datetime, zone_name: str, locale: str = "id") -> str:
    """ "09.00 WIB" in Indonesian, "09:00 WIB" in English."""
    local = to_zone(moment, zone_name)
    pattern = "HH.mm" if locale.startswith("id") else "HH:mm"
    return f"{format_time(local, pattern, locale=locale)} {zone_label(zone_name, moment)}"


def format_long_date(
    moment: datetime | date, zone_name: str | None = None, locale: str = "id"
) -> str:
    """ "Jumat, 15 Maret 2024": the day as the reader's calendar shows it at the venue.

    A plain ``date`` (a decree date) has no zone and is shown as it is.
    """
    if not isinstance(moment, datetime):
        return format_date(moment, "EEEE, d MMMM y", locale=locale)
    local = to_zone(moment, zone_name) if zone_name else moment
    return format_date(local.date(), "EEEE, d MMMM y", locale=locale)


def format_across_zones(moment: datetime, zone_names: list[str], locale: str = "id") -> str:
    """ "09.00 WIB / 10.00 WITA / 11.00 WIT" for the same instant at several sites."""
    seen: list[str] = []
    for name in zone_names:
        text = format_time_in_zone(moment, name, locale)
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)
