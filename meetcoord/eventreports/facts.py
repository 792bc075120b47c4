"""The facts of a meeting an event report prints, read from the data (never typed).

``build`` returns a plain, JSON-ready dictionary (the report keeps it as its ``facts``
snapshot): who organized it, when it was in each of Indonesia's three zones, what it was
for, who presented what, how many attended — by site, by mode, by province, by stakeholder
category and by gender —, the questions answered, and the decisions and actions. Labels are
Indonesian: the report is a formal Indonesian document; stored keys sit beside them so a
page in English can show its own words.

Aggregates only: the report may be published, so no attendee is named here, only the
speakers (from the agenda) and the organizers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.actions.models import Action
from meetcoord.checkin import breakdown
from meetcoord.core.timezones import (
    PRIMARY_ZONES,
    format_long_date,
    format_time_in_zone,
    zone_label,
)
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.directory.models import StakeholderCategory
from meetcoord.directory.regions import province_label
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionKind
from meetcoord.materials import queries as material_queries
from meetcoord.meetings.labels import KIND_LABELS
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.zones import host_zone
from meetcoord.questions import queries as question_queries

UNKNOWN_PROVINCE = "Tidak diketahui"
UNKNOWN_GENDER = "unknown"
ONLINE = "Daring"
DECISION_KINDS = {
    DecisionKind.CONSENSUS: "Mufakat",
    DecisionKind.VOTE: "Pemungutan suara",
    DecisionKind.NOTED: "Dicatat",
    DecisionKind.DEFERRED: "Ditunda",
}


def materials_of(meeting: Meeting) -> list[dict[str, Any]]:
    """Each agenda item's uploaded materials (agenda_item_id, item_title, item_position,
    presenter, filename, kind, size, uploaded_at)."""
    return material_queries.for_meeting(meeting.id)


def questions_of(meeting: Meeting) -> list[dict[str, Any]]:
    """The participants' questions that were answered (agenda_item_id, item_title,
    item_position, text, asker, votes, answer, answered_at): the report is a formal
    Indonesian document, so an anonymous asker is "Anonim" whatever the reader's language.
    """
    rows = question_queries.answered_for_meeting(meeting.id, anonymous_label="Anonim")
    return [{**row, "answer": row.get("answer_note")} for row in rows]


def times(meeting: Meeting) -> list[dict[str, str]]:
    """The meeting's day and hours in WIB, WITA and WIT, each with its label."""
    rows = []
    for zone in PRIMARY_ZONES:
        start = format_time_in_zone(meeting.start_at, zone, "id").rsplit(" ", 1)[0]
        end = format_time_in_zone(meeting.end_at, zone, "id").rsplit(" ", 1)[0]
        label = zone_label(zone, meeting.start_at)
        rows.append(
            {
                "zone": zone,
                "label": label,
                "date": format_long_date(meeting.start_at, zone, "id"),
                "time": f"{start}–{end} {label}",
            }
        )
    return rows


def _rows(counter: Counter[str], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [{"key": key, "label": labels.get(key, key), "count": n} for key, n in counter.items()]


def attendance(meeting: Meeting) -> dict[str, Any]:
    """Who attended, counted: by site (online last), mode, province, category and gender."""
    present = breakdown.attendances(meeting.id)
    invited = db.session.scalar(
        select(db.func.count(Invitation.id)).where(
            Invitation.meeting_id == meeting.id, Invitation.withdrawn_at.is_(None)
        )
    )
    sites = Counter(a.site_id for a in present)
    by_site = [
        {"key": str(s.id), "label": s.venue.name, "count": sites.get(s.id, 0)}
        for s in meeting.sites
    ]
    if sites.get(None) or meeting.online_url:
        by_site.append({"key": "online", "label": ONLINE, "count": sites.get(None, 0)})
    provinces = Counter(a.person.province or "" for a in present)
    by_province = sorted(
        (
            {"key": p, "label": province_label(p) or UNKNOWN_PROVINCE, "count": n}
            for p, n in provinces.items()
        ),
        key=lambda row: (row["key"] == "", -row["count"], row["label"]),
    )
    categories = Counter(a.person.category.value for a in present)
    genders = Counter(a.person.gender.value if a.person.gender else UNKNOWN_GENDER for a in present)
    category_labels = {c.value: str(label) for c, label in CATEGORY_LABELS.items()}
    gender_labels = {g.value: str(label) for g, label in GENDER_LABELS.items()}
    gender_labels[UNKNOWN_GENDER] = "Tidak diisi"
    return {
        "invited": invited or 0,
        "present": len(present),
        "by_site": by_site,
        "by_mode": [
            {"key": "site", "label": "Luring (di lokasi)", "count": len(present) - sites[None]},
            {"key": "online", "label": ONLINE, "count": sites[None]},
        ],
        "by_province": by_province,
        "by_category": [
            row
            for row in _rows(
                Counter({c.value: categories[c.value] for c in StakeholderCategory}),
                category_labels,
            )
            if row["count"]
        ],
        "by_gender": _rows(
            Counter({g: genders[g] for g in [*gender_labels] if genders[g]}), gender_labels
        ),
    }


def decisions(meeting: Meeting) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.withdrawn_at.is_(None))
        .order_by(Decision.number)
    )
    return [
        {
            "number": d.number,
            "text": d.text,
            "kind": d.kind.value,
            "kind_label": DECISION_KINDS[d.kind],
        }
        for d in rows
    ]


def actions(meeting: Meeting) -> list[dict[str, Any]]:
    """Follow-up actions by agency (an organization, never a person)."""
    rows = db.session.scalars(
        select(Action)
        .where(Action.meeting_id == meeting.id, Action.withdrawn_at.is_(None))
        .options(selectinload(Action.organization))
        .order_by(Action.due_on.asc().nulls_last(), Action.id)
    )
    return [
        {
            "title": a.title,
            "agency": a.organization.name,
            "locus": a.locus,
            "due_on": format_long_date(a.due_on, None, "id") if a.due_on else None,
        }
        for a in rows
    ]


def build(meeting: Meeting) -> dict[str, Any]:
    """Every fact of ``meeting`` the report prints, as plain JSON-ready values."""
    with force_locale("id"):
        zone = host_zone(meeting)
        organizers = [meeting.institution.name]
        if meeting.cohost_institution is not None:
            organizers.append(meeting.cohost_institution.name)
        return {
            "title": meeting.title,
            "kind": str(KIND_LABELS[meeting.kind]),
            "organizers": organizers,
            "host_zone": zone,
            "date": format_long_date(meeting.start_at, zone, "id"),
            "times": times(meeting),
            "purpose": meeting.purpose or "",
            "venues": [{"name": s.venue.name, "city": s.venue.city or ""} for s in meeting.sites],
            "online": bool(meeting.online_url),
            "agenda": [
                {
                    "id": item.id,
                    "position": item.position,
                    "title": item.title,
                    "presenter": item.presenter or "",
                }
                for item in meeting.agenda
            ],
            "speakers": [
                {"position": item.position, "title": item.title, "presenter": item.presenter}
                for item in meeting.agenda
                if item.presenter
            ],
            "materials": [_plain(row) for row in materials_of(meeting)],
            "questions": [_plain(row) for row in questions_of(meeting)],
            "attendance": attendance(meeting),
            "decisions": decisions(meeting),
            "actions": actions(meeting),
        }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A material's or question's row with its times as text (the snapshot is JSON)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
