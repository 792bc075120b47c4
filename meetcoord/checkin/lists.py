"""Attendance lists (daftar hadir): the rows of each site and of the whole meeting, with totals.

``attendance_lists(meeting)`` reads the attendances once and composes plain data: one list
per site (and one for online participants when there are any) plus the combined list,
each numbered from 1 in order of arrival, with times in the site's own zone and its label
("09.05 WITA") — and the date in front ("14-03-2024 23.50 WITA") when that is not the
meeting's own day in that zone, so a time never stands under a day it does not belong
to. Totals count by stakeholder category and gender, plus people with a disability,
walk-ins and stand-ins. The screen, the API and the CSV/XLSX/PDF documents all
show this same data, so they cannot disagree.

Document text (times, labels) is Indonesian: the daftar hadir is a formal Indonesian form
whoever downloads it. ``compose`` is a pure function of the attendances it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.core.timezones import format_long_date, format_time_in_zone, to_zone, zone_label
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite
from meetcoord.meetings.zones import host_zone

ONLINE = "Daring"
COMBINED = "Gabungan semua lokasi"

CATEGORY_ID = {
    StakeholderCategory.GOVERNMENT: "Pemerintah",
    StakeholderCategory.NGO: "LSM",
    StakeholderCategory.ACADEMIA: "Akademisi",
    StakeholderCategory.RELIGIOUS_LEADER: "Tokoh agama",
    StakeholderCategory.WOMEN_LEADER: "Tokoh perempuan",
    StakeholderCategory.YOUTH_LEADER: "Tokoh pemuda",
    StakeholderCategory.COMMUNITY_LEADER: "Tokoh masyarakat",
    StakeholderCategory.PRIVATE_SECTOR: "Swasta / perbankan",
    StakeholderCategory.MEDIA: "Media",
    StakeholderCategory.FACILITATOR: "Fasilitator",
}
GENDER_SHORT = {Gender.MALE: "L", Gender.FEMALE: "P"}
GENDER_ID = {"male": "Laki-laki", "female": "Perempuan", "unknown": "Tidak diisi"}
METHOD_ID = {
    CheckinMethod.KIOSK: "Kios QR",
    CheckinMethod.KIOSK_CONFIRMED: "Kios QR (konfirmasi)",
    CheckinMethod.DESK: "Meja registrasi",
    CheckinMethod.DESK_OFFLINE: "Meja registrasi (luring)",
    CheckinMethod.MANUAL: "Manual oleh petugas",
    CheckinMethod.ONLINE: "Daring",
    CheckinMethod.WALK_IN: "Tanpa undangan",
    CheckinMethod.LIVE_VIEW: "Daring (tampilan langsung)",
    CheckinMethod.PLATFORM: "Laporan platform video",
}


@dataclass(frozen=True)
class Row:
    number: int
    attendance_id: int
    person_id: int
    invitation_id: int | None
    name: str
    organization: str | None
    position: str | None
    category: str
    category_label: str
    gender: str | None  # male | female | None
    gender_short: str  # L | P | ""
    has_disability: bool
    site_id: int | None  # None: online
    site_name: str
    zone: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    time_in: str  # "09.05 WITA"
    time_out: str | None
    method: str
    method_label: str
    is_walk_in: bool
    stand_in_name: str | None
    stand_in_position: str | None

    @property
    def stand_in(self) -> str | None:
        """ "diwakili oleh Drs. Umbu Rehi (Sekretaris Dinas)" or None."""
        if not self.stand_in_name:
            return None
        position = f" ({self.stand_in_position})" if self.stand_in_position else ""
        return f"diwakili oleh {self.stand_in_name}{position}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checked_in_at"] = self.checked_in_at.isoformat()
        data["checked_out_at"] = self.checked_out_at.isoformat() if self.checked_out_at else None
        data["stand_in"] = self.stand_in
        return data


@dataclass(frozen=True)
class Totals:
    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)  # category value → count
    by_gender: dict[str, int] = field(default_factory=dict)  # male | female | unknown
    disability: int = 0
    walk_ins: int = 0
    stand_ins: int = 0
    checked_out: int = 0

    def category_rows(self) -> list[tuple[str, int]]:
        """(Indonesian label, count) for every category with someone present."""
        return [
            (CATEGORY_ID.get(StakeholderCategory(key), key), n)
            for key, n in self.by_category.items()
            if n
        ]

    def gender_rows(self) -> list[tuple[str, int]]:
        return [(GENDER_ID[key], n) for key, n in self.by_gender.items() if n or key != "unknown"]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AttendanceList:
    """One daftar hadir: a site's (or online, or combined) rows with their heading."""

    meeting_id: int
    meeting_title: str
    site_id: int | None
    site_key: str  # "<site id>", "online" or "all"
    site_name: str
    zone: str
    zone_label: str
    day: str  # "Jumat, 15 Maret 2024" in the site's zone
    time: str  # "09.00–12.00 WITA"
    rows: list[Row]
    totals: Totals

    @property
    def combined(self) -> bool:
        return self.site_key == "all"

    def as_dict(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "meeting_title": self.meeting_title,
            "site_id": self.site_id,
            "site_key": self.site_key,
            "site_name": self.site_name,
            "zone": self.zone,
            "zone_label": self.zone_label,
            "day": self.day,
            "time": self.time,
            "rows": [row.as_dict() for row in self.rows],
            "totals": self.totals.as_dict(),
        }


@dataclass(frozen=True)
class Lists:
    sites: list[AttendanceList]  # the online list is among them when anyone is online
    combined: AttendanceList
    online: AttendanceList

    def by_key(self, key: str) -> AttendanceList | None:
        if key == "all":
            return self.combined
        if key == "online":
            return self.online
        return next((lst for lst in self.sites if lst.site_key == key), None)


def _zone(meeting: Meeting, site: MeetingSite | None) -> str:
    return site.venue.timezone if site is not None else host_zone(meeting)


def attendance_time(moment: datetime, zone: str, meeting_start: datetime) -> str:
    """ "09.05 WITA" on the meeting's day (in ``zone``), "14-03-2024 23.50 WITA" on any other."""
    text = format_time_in_zone(moment, zone)
    local = to_zone(moment, zone)
    if local.date() == to_zone(meeting_start, zone).date():
        return text
    return f"{local:%d-%m-%Y} {text}"


def _row(number: int, a: Attendance, zone: str, meeting_start: datetime) -> Row:
    person: Person = a.person
    organization = (
        a.walk_in_organization
        if a.is_walk_in or person.organization is None
        else person.organization.name
    )
    category = StakeholderCategory(person.category)
    return Row(
        number=number,
        attendance_id=a.id,
        person_id=person.id,
        invitation_id=a.invitation_id,
        name=person.name,
        organization=organization,
        position=person.position,
        category=category.value,
        category_label=CATEGORY_ID[category],
        gender=person.gender.value if person.gender else None,
        gender_short=GENDER_SHORT.get(person.gender, "") if person.gender else "",
        has_disability=bool(person.has_disability),
        site_id=a.site_id,
        site_name=a.site.venue.name if a.site else ONLINE,
        zone=zone,
        checked_in_at=a.checked_in_at,
        checked_out_at=a.checked_out_at,
        time_in=attendance_time(a.checked_in_at, zone, meeting_start),
        time_out=attendance_time(a.checked_out_at, zone, meeting_start)
        if a.checked_out_at
        else None,
        method=CheckinMethod(a.method).value,
        method_label=METHOD_ID[CheckinMethod(a.method)],
        is_walk_in=bool(a.is_walk_in),
        stand_in_name=a.stand_in_name,
        stand_in_position=a.stand_in_position,
    )


def totals(rows: Iterable[Row]) -> Totals:
    by_category = {c.value: 0 for c in StakeholderCategory}
    by_gender = {"male": 0, "female": 0, "unknown": 0}
    total = disability = walk_ins = stand_ins = out = 0
    for row in rows:
        total += 1
        by_category[row.category] += 1
        by_gender[row.gender or "unknown"] += 1
        disability += row.has_disability
        walk_ins += row.is_walk_in
        stand_ins += bool(row.stand_in_name)
        out += row.checked_out_at is not None
    return Totals(total, by_category, by_gender, disability, walk_ins, stand_ins, out)


def _heading(meeting: Meeting, zone: str) -> tuple[str, str]:
    day = format_long_date(meeting.start_at, zone)
    start = format_time_in_zone(meeting.start_at, zone).split(" ")[0]
    return day, f"{start}–{format_time_in_zone(meeting.end_at, zone)}"


def _make(
    meeting: Meeting,
    site: MeetingSite | None,
    key: str,
    name: str,
    attendances: list[Attendance],
    zone: str,
) -> AttendanceList:
    rows = [
        _row(n, a, _zone(meeting, a.site), meeting.start_at)
        for n, a in enumerate(attendances, start=1)
    ]
    day, time = _heading(meeting, zone)
    return AttendanceList(
        meeting.id,
        meeting.title,
        site.id if site else None,
        key,
        name,
        zone,
        zone_label(zone, meeting.start_at),
        day,
        time,
        rows,
        totals(rows),
    )


def compose(meeting: Meeting, attendances: Iterable[Attendance]) -> Lists:
    """Per-site lists (sites in the meeting's order, then online) and the combined list."""
    ordered = sorted(attendances, key=lambda a: (a.checked_in_at, a.id))
    sites = []
    for site in meeting.sites:
        mine = [a for a in ordered if a.site_id == site.id]
        sites.append(_make(meeting, site, str(site.id), site.venue.name, mine, site.venue.timezone))
    online = [a for a in ordered if a.site_id is None]
    online_list = _make(meeting, None, "online", ONLINE, online, host_zone(meeting))
    if online:
        sites.append(online_list)
    combined = _make(meeting, None, "all", COMBINED, ordered, host_zone(meeting))
    return Lists(sites, combined, online_list)


def load_attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id)
            .options(
                selectinload(Attendance.person).selectinload(Person.organization),
                selectinload(Attendance.site).selectinload(MeetingSite.venue),
                selectinload(Attendance.invitation).selectinload(Invitation.person),
            )
        )
    )


def attendance_lists(meeting: Meeting) -> Lists:
    return compose(meeting, load_attendances(meeting))


def absent_invitees(meeting: Meeting, attendances: Iterable[Attendance]) -> list[Invitation]:
    """Invitations (not withdrawn) whose person has no attendance yet: manual check-in."""
    present = {a.person_id for a in attendances}
    return [
        inv
        for inv in meeting.invitations
        if inv.withdrawn_at is None and inv.person_id not in present
    ]
