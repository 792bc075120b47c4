"""What a public page shows, built field by field so nothing personal can slip in.

The page and its JSON twin render the same plain dictionary made here. It is assembled
from an explicit list of columns — titles, the institution, dates in the venue's zone,
venue names and towns, agenda titles, decisions, and per action its agency (an
organization), locus, due date, status and progress — never from a model object, so a
template or serializer cannot reach a person's name, position, e-mail or phone, an
invitation's token, an attendance list, an evidence file or an update's note.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.actions.labels import STATUS_LABELS as ACTION_STATUS_LABELS
from meetcoord.actions.models import Action, ActionStatus, ActionUpdate
from meetcoord.core.timezones import format_long_date, format_time_in_zone, zone_label
from meetcoord.directory.models import Forum
from meetcoord.eventreports.publishing import public_report
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionKind
from meetcoord.meetings.labels import KIND_LABELS, STATUS_LABELS
from meetcoord.meetings.models import Meeting, MeetingSite, MeetingStatus, Series
from meetcoord.meetings.zones import host_zone

DECISION_KIND_LABELS = {
    DecisionKind.CONSENSUS: _l("Mufakat"),
    DecisionKind.VOTE: _l("Pemungutan suara"),
    DecisionKind.NOTED: _l("Dicatat"),
    DecisionKind.DEFERRED: _l("Ditunda"),
}
# A series' or forum's page lists what has been announced or held, not drafts in the works.
LISTED = (MeetingStatus.SCHEDULED, MeetingStatus.LIVE, MeetingStatus.CLOSED)
DONE = (ActionStatus.DONE, ActionStatus.VERIFIED)
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _language() -> str:
    return str(get_locale() or "id")


def _meeting_facts(meeting: Meeting) -> dict[str, Any]:
    zone = host_zone(meeting)
    lang = _language()
    start = format_time_in_zone(meeting.start_at, zone, lang)
    end = format_time_in_zone(meeting.end_at, zone, lang)
    return {
        "title": meeting.title,
        "kind": meeting.kind.value,
        "kind_label": str(KIND_LABELS[meeting.kind]),
        "status": meeting.status.value,
        "status_label": str(STATUS_LABELS[meeting.status]),
        "institution": meeting.institution.name,
        "cohost": meeting.cohost_institution.name if meeting.cohost_institution else None,
        "start_at": meeting.start_at,
        "end_at": meeting.end_at,
        "timezone": zone,
        "zone_label": zone_label(zone, meeting.start_at),
        "date_label": format_long_date(meeting.start_at, zone, lang),
        # "09.00–12.00"; the zone's label goes beside it (``zone_label``).
        "time_label": f"{start.rsplit(' ', 1)[0]}–{end.rsplit(' ', 1)[0]}",
    }


def _sites(meeting: Meeting) -> list[dict[str, Any]]:
    return [{"name": s.venue.name, "town": s.venue.city} for s in meeting.sites]


def _decisions(meeting_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Recorded decisions that were not withdrawn, by meeting, in their numbered order."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not meeting_ids:
        return found
    rows = db.session.scalars(
        select(Decision)
        .where(Decision.meeting_id.in_(meeting_ids), Decision.withdrawn_at.is_(None))
        .order_by(Decision.meeting_id, Decision.number)
    )
    for d in rows:
        found.setdefault(d.meeting_id, []).append(
            {
                "number": d.number,
                "text": d.text,
                "kind": d.kind.value,
                "kind_label": str(DECISION_KIND_LABELS[d.kind]),
            }
        )
    return found


def _progress(action_ids: list[int]) -> dict[int, int]:
    """The last percentage reported for each action (its notes stay private)."""
    found: dict[int, int] = {}
    if not action_ids:
        return found
    rows = db.session.execute(
        select(ActionUpdate.action_id, ActionUpdate.percentage)
        .where(ActionUpdate.action_id.in_(action_ids), ActionUpdate.percentage.is_not(None))
        .order_by(ActionUpdate.id)
    )
    for action_id, percentage in rows:
        found[action_id] = percentage
    return found


def _actions(meetings: list[Meeting], today: date) -> list[dict[str, Any]]:
    titles = {m.id: m.title for m in meetings}
    actions = list(
        db.session.scalars(
            select(Action)
            .where(Action.meeting_id.in_(list(titles)), Action.withdrawn_at.is_(None))
            .options(selectinload(Action.organization))
            .order_by(Action.due_on.asc().nulls_last(), Action.id)
        )
    )
    reported = _progress([a.id for a in actions])
    rows = []
    for a in actions:
        percent = 100 if a.status in DONE else reported.get(a.id)
        rows.append(
            {
                "title": a.title,
                "meeting": titles[a.meeting_id],
                "agency": a.organization.name,
                "locus": a.locus,
                "due_on": a.due_on,
                "status": a.status.value,
                "status_label": str(ACTION_STATUS_LABELS[a.status]),
                "progress_percent": percent,
                "overdue": bool(a.due_on and a.status in PENDING and a.due_on < today),
            }
        )
    return rows


def summarize(actions: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by status and the share done (done or verified) of what was not dropped."""
    counts = Counter(row["status"] for row in actions)
    owed = len(actions) - counts[ActionStatus.DROPPED.value]
    done = sum(counts[s.value] for s in DONE)
    return {
        "total": len(actions),
        "by_status": [
            {"status": s.value, "label": str(ACTION_STATUS_LABELS[s]), "count": counts[s.value]}
            for s in ActionStatus
        ],
        "overdue": sum(1 for row in actions if row["overdue"]),
        "done_percent": round(100 * done / owed) if owed else None,
    }


def _meetings_of(subject: Meeting | Series | Forum) -> list[Meeting]:
    if isinstance(subject, Meeting):
        return [subject]
    column = Meeting.series_id if isinstance(subject, Series) else Meeting.forum_id
    return list(
        db.session.scalars(
            select(Meeting)
            .where(column == subject.id, Meeting.status.in_(LISTED))
            .options(
                selectinload(Meeting.sites).selectinload(MeetingSite.venue),
                selectinload(Meeting.agenda),
            )
            .order_by(Meeting.start_at)
        )
    )


def page(kind: str, subject: Meeting | Series | Forum, today: date) -> dict[str, Any]:
    """The whole public page of ``subject`` (a meeting, series or forum)."""
    meetings = _meetings_of(subject)
    decisions = _decisions([m.id for m in meetings])
    listed = []
    for m in meetings:
        listed.append(
            _meeting_facts(m)
            | {
                "sites": _sites(m),
                "agenda": [{"position": i.position, "title": i.title} for i in m.agenda],
                "decisions": decisions.get(m.id, []),
                # A final event report (issue 15), public fields only.
                "report": public_report(m.id) if kind == "meeting" else None,
            }
        )
    actions = _actions(meetings, today) if meetings else []
    title = subject.title if isinstance(subject, Meeting | Series) else subject.name
    return {
        "kind": kind,
        "title": title,
        "institution": subject.institution.name,
        "meetings": listed,
        "actions": actions,
        "progress": summarize(actions),
        "language": _language(),
    }
