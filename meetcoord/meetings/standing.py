"""Standing agenda items of a series' or forum's next meeting (issue 13, carry-over).

A meeting that follows an earlier meeting of the same series, or of the same forum (its
own or its series'), of the same institution, opens with two standing items: approving
the previous meeting's minutes, and reviewing the follow-up actions still open from the
earlier meetings (``actions.carryover`` lists them). They are added when such a meeting
is created, copied, made an occurrence of a series, or scheduled — each kind at most
once, so running the hooks again never doubles them, and an item staff removed comes
back only when they ask for it (:func:`ensure_standing_items`) or at scheduling.

Meetings cannot know actions (actions build on meetings), so this module decides only
*whether* a meeting follows another; the listing lives with the actions.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaItem, AgendaKind, Meeting, MeetingStatus, Series

# Stored titles, in Indonesian whatever the secretary's language: the agenda is printed
# on the invitation letter and in the minutes, formal Indonesian documents.
TITLES = {
    AgendaKind.PREVIOUS_MINUTES: "Persetujuan notulen rapat sebelumnya",
    AgendaKind.ACTION_REVIEW: "Tinjauan tindak lanjut",
}
STANDING_KINDS = (AgendaKind.PREVIOUS_MINUTES, AgendaKind.ACTION_REVIEW)
STANDING_MINUTES = {AgendaKind.PREVIOUS_MINUTES: 10, AgendaKind.ACTION_REVIEW: 30}


def forum_of(meeting: Meeting) -> int | None:
    """The forum a meeting belongs to: its own, else its series'."""
    if meeting.forum_id is not None:
        return meeting.forum_id
    if meeting.series_id is not None:
        series = meeting.series or db.session.get(Series, meeting.series_id)
        return series.forum_id if series is not None else None
    return None


def lineage(meeting: Meeting) -> list[object]:
    """SQL conditions for "an earlier meeting of the same series or forum, same owner".

    Earlier by start; cancelled meetings never held anything to carry. Empty when the
    meeting belongs to neither a series nor a forum (then it follows nothing).
    """
    same: list[object] = []
    if meeting.series_id is not None:
        same.append(Meeting.series_id == meeting.series_id)
    forum_id = forum_of(meeting)
    if forum_id is not None:
        same.append(Meeting.forum_id == forum_id)
        same.append(Meeting.series_id.in_(select(Series.id).where(Series.forum_id == forum_id)))
    if not same:
        return []
    conditions: list[object] = [
        or_(*same),
        Meeting.institution_id == meeting.institution_id,
        Meeting.start_at < meeting.start_at,
        Meeting.status != MeetingStatus.CANCELLED,
    ]
    if meeting.id is not None:
        conditions.append(Meeting.id != meeting.id)
    return conditions


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The latest earlier meeting of the same series or forum, or None."""
    conditions = lineage(meeting)
    if not conditions:
        return None
    return db.session.scalar(
        select(Meeting).where(*conditions).order_by(Meeting.start_at.desc()).limit(1)
    )


def ensure_standing_items(meeting: Meeting) -> list[AgendaItem]:
    """Add the standing items ``meeting`` lacks, first on its agenda; the caller commits.

    Only for a meeting that follows an earlier one and has not been held; a kind already
    on the agenda is never added again. Returns the items added (often none).
    """
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED):
        return []
    present = {item.kind for item in meeting.agenda}
    missing = [kind for kind in STANDING_KINDS if kind not in present]
    if not missing or previous_meeting(meeting) is None:
        return []
    added = [
        AgendaItem(kind=kind, title=TITLES[kind], planned_minutes=STANDING_MINUTES[kind])
        for kind in missing
    ]
    # Standing items open the meeting, in their fixed order, before everything else.
    ordered = sorted(
        [*added, *(i for i in meeting.agenda if i.kind in STANDING_KINDS)],
        key=lambda i: STANDING_KINDS.index(i.kind),
    )
    rest = [i for i in meeting.agenda if i.kind not in STANDING_KINDS]
    for item in added:
        meeting.agenda.append(item)
    for position, item in enumerate([*ordered, *rest], start=1):
        item.position = position
    return added
