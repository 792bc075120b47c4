"""Reading a video platform's participant report: Zoom, Google Meet, Microsoft Teams.

Pure functions, no Flask or database: the service runs :func:`parse_report` in a real
thread (``core.offload.off_hub``) after ending its read transaction, so a 2 MB report does
not hold the live room or the database turn while it is read.

Each platform, and each of its languages, names the columns its own way ("Name (Original
Name)", "Full Name", "First name" + "Last name", "Nama (Nama Asli)"), so a column is known
by any of a set of aliases, compared case-insensitively. Times are written without a zone
(the exporting computer's clock) in the American or the Indonesian order, or as ISO; they
are read in the zone the secretariat picks. Someone who dropped out and rejoined appears
on several lines: they become one participant (earliest join, latest leave, the minutes
summed). Any line that cannot be read refuses the whole file: a report is machine-written,
so one unreadable time means the file is not what it seems.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from meetcoord.core.cleaning import name_key
from meetcoord.directory.csvimport import UnreadableCsv, open_csv

#: Column aliases (lower case, spaces collapsed) → field.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "name (original name)",
        "name",
        "full name",
        "display name",
        "participant",
        "participant name",
        "nama (nama asli)",
        "nama",
        "nama lengkap",
        "nama tampilan",
        "peserta",
        "nama peserta",
    ),
    "first_name": ("first name", "given name", "nama depan"),
    "last_name": ("last name", "surname", "family name", "nama belakang"),
    "email": (
        "user email",
        "email",
        "e-mail",
        "email address",
        "alamat email",
        "email pengguna",
        "surel",
    ),
    "joined": (
        "join time",
        "first join",
        "time joined",
        "joined",
        "joined at",
        "waktu bergabung",
        "waktu gabung",
        "bergabung pertama",
        "gabung pertama",
        "jam masuk",
        "waktu masuk",
    ),
    "left": (
        "leave time",
        "last leave",
        "time exited",
        "left",
        "left at",
        "waktu keluar",
        "keluar terakhir",
        "jam keluar",
        "waktu meninggalkan",
    ),
    "minutes": (
        "duration (minutes)",
        "duration (mins)",
        "duration",
        "in-meeting duration",
        "attendance duration",
        "durasi (menit)",
        "durasi",
        "durasi dalam rapat",
        "durasi dalam rapat (menit)",
    ),
}
_LOOKUP = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
_PLATFORM_HINTS = {
    "zoom": {"name (original name)", "user email", "duration (minutes)", "nama (nama asli)"},
    "teams": {"first join", "last leave", "full name", "in-meeting duration", "bergabung pertama"},
    "meet": {"first name", "time joined", "time exited", "nama depan"},
}
MAX_ROW_ERRORS = 10


def _key(title: str) -> str:
    return " ".join(title.replace("_", " ").strip().lower().split())


def header_map(header: list[str]) -> dict[int, str]:
    """Column index → field; the first column of a field wins (Teams repeats the e-mail)."""
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        found = _LOOKUP.get(_key(title))
        if found and found not in mapping.values():
            mapping[index] = found
    return mapping


def is_header(row: list[str]) -> bool:
    """A participants' header: a name column and a join-time column."""
    fields = set(header_map(row).values())
    return bool(fields & {"name", "first_name"}) and "joined" in fields


def platform_of(header: list[str]) -> str:
    keys = {_key(title) for title in header}
    for platform, hints in _PLATFORM_HINTS.items():
        if keys & hints:
            return platform
    return "csv"


# --- times ------------------------------------------------------------------------------

_SLASH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_TIME = re.compile(
    r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|pagi|siang|sore|malam)?$",
    re.IGNORECASE,
)
_PM = {"pm", "p.m.", "siang", "sore", "malam"}


class BadTime(ValueError):
    pass


def _clock(text: str) -> tuple[int, int, int]:
    match = _TIME.match(text.strip())
    if not match:
        raise BadTime(text)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    marker = (match[4] or "").lower()
    if marker:
        if not 1 <= hour <= 12:
            raise BadTime(text)
        hour = hour % 12 + (12 if marker in _PM else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise BadTime(text)
    return hour, minute, second


def slash_order(values: list[str]) -> bool:
    """True when the file's dd/mm dates put the day first (Indonesian), False for the
    American mm/dd: decided by any date whose first or second part exceeds 12."""
    for value in values:
        match = _SLASH.match(value.replace(",", " ").split(" ")[0].strip())
        if match:
            first, second = int(match[1]), int(match[2])
            if first > 12:
                return True
            if second > 12:
                return False
    return False


def parse_time(text: str, zone: ZoneInfo, day: date, *, day_first: bool) -> datetime:
    """One time as a platform writes it → an aware UTC datetime.

    ISO with an offset keeps its offset; anything without one is read in ``zone``; a bare
    clock time ("9:02 AM", Google Meet) is on ``day`` (the meeting's date in ``zone``).
    """
    value = " ".join(text.replace(",", " ").split())
    if not value:
        raise BadTime(text)
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        try:
            parsed = datetime.fromisoformat(value.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            raise BadTime(text) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(UTC)
    date_part, _sep, time_part = value.partition(" ")
    match = _SLASH.match(date_part)
    if match:
        a, b, year = int(match[1]), int(match[2]), int(match[3])
        month, dom = (b, a) if day_first else (a, b)
        year += 2000 if year < 100 else 0
        try:
            on = date(year, month, dom)
        except ValueError:
            raise BadTime(text) from None
    else:
        on, time_part = day, value
    hour, minute, second = _clock(time_part)
    local = datetime(on.year, on.month, on.day, hour, minute, second, tzinfo=zone)
    return local.astimezone(UTC)


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hour|hours|j|jam|m|min|mins|minute|minutes|mnt|menit|"
    r"s|sec|secs|second|seconds|d|dtk|detik)\b",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"h": 60.0, "j": 60.0, "m": 1.0, "s": 1 / 60, "d": 1 / 60}


def parse_minutes(text: str) -> float | None:
    """ "65", "1h 5m 3s", "1 jam 5 menit", "01:05:03" → minutes; None when unreadable."""
    value = text.strip().lower()
    if not value:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return float(value.replace(",", "."))
    if re.fullmatch(r"\d{1,3}:\d{2}(:\d{2})?", value):
        parts = [int(p) for p in value.split(":")]
        if len(parts) == 2:
            return parts[0] + parts[1] / 60
        return parts[0] * 60 + parts[1] + parts[2] / 60
    found = _DURATION_PART.findall(value)
    if not found:
        return None
    total = 0.0
    for number, unit in found:
        first = unit[0]
        if unit in ("min", "mins", "minute", "minutes", "mnt", "menit"):
            first = "m"
        total += float(number.replace(",", ".")) * _UNIT_MINUTES[first]
    return total


# --- the report -------------------------------------------------------------------------


@dataclass
class Participant:
    """One person of the report, their rejoins merged."""

    name: str
    email: str | None
    joined_at: datetime  # UTC
    left_at: datetime | None
    minutes: int
    lines: list[int] = field(default_factory=list)


@dataclass
class ParsedReport:
    platform: str = "csv"
    rows: int = 0
    participants: list[Participant] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _merge_key(name: str, email: str | None) -> str:
    return f"e:{email}" if email else f"n:{name_key(name)}"


def parse_report(
    raw: bytes, *, zone: str, day: date, max_bytes: int, max_rows: int
) -> ParsedReport:
    """Read, bound and merge a participant report; ``errors`` says why it was refused."""
    report = ParsedReport()
    try:
        header, reader = open_csv(raw, max_bytes=max_bytes, is_header=is_header, utf16=True)
    except UnreadableCsv as refused:
        report.errors.append(str(refused))
        if str(refused) == str(_l("Baris judul kolom tidak terbaca.")):
            report.errors.append(_missing_columns())
        return report
    mapping = header_map(header)
    report.platform = platform_of(header)
    where = ZoneInfo(zone)
    lines: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(cell.strip() for cell in values):
                if lines:
                    break  # Teams and Zoom put further sections after a blank line
                continue
            report.rows += 1
            if report.rows > max_rows:
                report.errors.append(
                    str(_l("Terlalu banyak baris; paling banyak %(n)d per impor.", n=max_rows))
                )
                return report
            row = {name: values[i].strip() for i, name in mapping.items() if i < len(values)}
            lines.append((reader.line_num, row))
    except csv.Error as exc:
        report.errors.append(
            str(_l("CSV rusak di baris %(line)d: %(error)s", line=reader.line_num, error=str(exc)))
        )
        return report
    day_first = slash_order([row.get("joined", "") for _line, row in lines])
    merged: dict[str, Participant] = {}
    bad: list[str] = []
    for line, row in lines:
        name = row.get("name") or " ".join(
            part for part in (row.get("first_name"), row.get("last_name")) if part
        )
        name = " ".join(name.split())[:200]
        email = (row.get("email") or "").strip().lower()[:254] or None
        if email is not None and "@" not in email:
            email = None
        try:
            joined = parse_time(row.get("joined", ""), where, day, day_first=day_first)
            left = (
                parse_time(row["left"], where, day, day_first=day_first)
                if row.get("left")
                else None
            )
        except BadTime as exc:
            bad.append(
                str(
                    _l(
                        "Baris %(line)d: waktu tidak terbaca: %(value)s",
                        line=line,
                        value=str(exc)[:40],
                    )
                )
            )
            continue
        if not name and not email:
            bad.append(str(_l("Baris %(line)d: nama dan email kosong.", line=line)))
            continue
        if left is not None and left < joined:
            left = left + timedelta(days=1) if left + timedelta(days=1) > joined else None
        minutes = parse_minutes(row.get("minutes", ""))
        if minutes is None:
            minutes = (left - joined).total_seconds() / 60 if left else 0.0
        key = _merge_key(name, email)
        found = merged.get(key)
        if found is None:
            merged[key] = Participant(name or email or "", email, joined, left, 0, [line])
            found = merged[key]
        else:
            found.lines.append(line)
            found.joined_at = min(found.joined_at, joined)
            if left is not None:
                found.left_at = max(found.left_at, left) if found.left_at else left
        found.minutes += round(minutes)
    if bad:
        report.errors.extend(bad[:MAX_ROW_ERRORS])
        if len(bad) > MAX_ROW_ERRORS:
            report.errors.append("…")
        return report
    if not merged:
        report.errors.append(str(_l("Tidak ada baris data.")))
        return report
    report.participants = sorted(merged.values(), key=lambda p: (p.joined_at, p.name))
    return report


def _missing_columns() -> str:
    return str(
        _l(
            "Kolom wajib tidak ada: nama (Name, Full Name, First name) dan waktu bergabung "
            "(Join Time, First Join, Time joined)."
        )
    )
