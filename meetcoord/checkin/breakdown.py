"""Who attended one meeting, counted by site, mode, province, stakeholder category, gender.

For the attendance page, the dashboards and the event report (laporan kegiatan). A
person's province is derived, not stored (``Person.province``: their own region, else
their organization's chain), so it cannot be a ``GROUP BY``: the attendances are loaded
with their people and organizations in three queries (``selectinload``) and counted here.
A webinar of 500 attendees takes a few milliseconds; nothing is loaded per person.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.checkin.models import Attendance
from meetcoord.directory.models import Gender, Organization, Person, StakeholderCategory, Venue
from meetcoord.directory.regions import province_label
from meetcoord.extensions import db
from meetcoord.meetings.models import MeetingSite

MODES = ("site", "online")
GENDERS = [g.value for g in Gender] + ["unknown"]
CATEGORIES = [c.value for c in StakeholderCategory]
UNKNOWN_PROVINCE = {"id": "Tidak diketahui", "en": "Unknown"}


def province_rows(counts: Counter[str | None], language: str = "id") -> list[dict[str, Any]]:
    """``[{"province": key, "name": label, "count": n}]``, most first, unknown last."""
    rows = [
        {
            "province": key,
            "name": province_label(key) if key else UNKNOWN_PROVINCE.get(language, "Unknown"),
            "count": n,
        }
        for key, n in counts.items()
    ]
    rows.sort(key=lambda r: (r["province"] is None, -r["count"], r["name"]))
    return rows


def attendances(meeting_id: int) -> list[Attendance]:
    """The meeting's attendances with their people and organizations (three queries)."""
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting_id)
            .options(
                selectinload(Attendance.person)
                .selectinload(Person.organization)
                .selectinload(Organization.parent)
            )
            .order_by(Attendance.id)
        )
    )


def province_counts(meeting_id: int) -> Counter[str | None]:
    """Attendances per province (canonical lower-case name; None: unknown)."""
    return Counter(a.person.province for a in attendances(meeting_id))


def attendance_breakdown(meeting_id: int, language: str = "id") -> dict[str, Any]:
    """Every attendance of the meeting (those who have left included), counted.

    Returns ``total``; ``by_site`` (``[{"site_id", "name", "count"}]`` in the meeting's
    site order, online last with ``site_id`` None, named "Daring"/"Online"); ``by_mode``
    (``{"site": n, "online": n}``); ``by_province`` (see :func:`province_rows`; key None
    for unknown); ``by_category`` (every stakeholder category, stored values); and
    ``by_gender`` (``male``, ``female``, ``unknown``). ``language`` ("id"/"en") names the
    unknown province and the online "site".
    """
    present = attendances(meeting_id)
    sites = db.session.execute(
        select(MeetingSite.id, Venue.name)
        .join(Venue, Venue.id == MeetingSite.venue_id)
        .where(MeetingSite.meeting_id == meeting_id)
        .order_by(MeetingSite.id)
    ).all()
    per_site: Counter[int | None] = Counter(a.site_id for a in present)
    provinces: Counter[str | None] = Counter()
    categories: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    for attendance in present:
        person = attendance.person
        provinces[person.province] += 1
        categories[getattr(person.category, "value", person.category)] += 1
        genders[getattr(person.gender, "value", person.gender) or "unknown"] += 1
    by_site = [{"site_id": sid, "name": name, "count": per_site.get(sid, 0)} for sid, name in sites]
    online = per_site.get(None, 0)
    if online:
        name = "Online" if language == "en" else "Daring"
        by_site.append({"site_id": None, "name": name, "count": online})
    return {
        "meeting_id": meeting_id,
        "total": len(present),
        "by_site": by_site,
        "by_mode": {"site": len(present) - online, "online": online},
        "by_province": province_rows(provinces, language),
        "by_category": {c: categories.get(c, 0) for c in CATEGORIES},
        "by_gender": {g: genders.get(g, 0) for g in GENDERS},
    }
