"""Double bookings; the overlap rule is pure, the search asks the database.

Conflicts are warnings, not refusals: a chair may well open one meeting and hand over to a
deputy for another. Intervals are compared as UTC instants, so a meeting at 09.00 WIB in
Jakarta and one at 10.00 WITA in Tambolaka are seen to overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from meetcoord.extensions import db
from meetcoord.meetings.models import (
    Invitation,
    InviteeRole,
    Meeting,
    MeetingSite,
    MeetingStatus,
)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a meeting ending at 10.00 does not clash with one starting then."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class Conflict:
    kind: str  # "venue", "chair" or "invitee"
    subject: str  # the venue's or the person's name
    other_id: int
    other_title: str
    other_start_at: datetime


def find_conflicts(meeting: Meeting) -> list[Conflict]:
    """Other live or planned meetings that share a venue, the chair or an invitee."""
    others = list(
        db.session.scalars(
            select(Meeting).where(
                Meeting.id != meeting.id,
                Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.CLOSED]),
                Meeting.start_at < meeting.end_at,
                Meeting.end_at > meeting.start_at,
            )
        )
    )
    if not others:
        return []
    found: list[Conflict] = []
    venues = {site.venue_id: site.venue.name for site in meeting.sites}
    if meeting.host_venue is not None:
        venues.setdefault(meeting.host_venue.id, meeting.host_venue.name)
    people = {
        inv.person_id: (inv.person.name, inv.role)
        for inv in meeting.invitations
        if inv.withdrawn_at is None
    }
    other_ids = [other.id for other in others]
    busy_venues = {
        (row.meeting_id, row.venue_id)
        for row in db.session.execute(
            select(MeetingSite.meeting_id, MeetingSite.venue_id).where(
                MeetingSite.meeting_id.in_(other_ids)
            )
        )
    }
    busy_people = {
        (row.meeting_id, row.person_id)
        for row in db.session.execute(
            select(Invitation.meeting_id, Invitation.person_id).where(
                Invitation.meeting_id.in_(other_ids), Invitation.withdrawn_at.is_(None)
            )
        )
    }
    for other in others:
        other_venues = {v for (m, v) in busy_venues if m == other.id}
        if other.host_venue_id is not None:
            other_venues.add(other.host_venue_id)
        for venue_id in sorted(venues.keys() & other_venues):
            found.append(Conflict("venue", venues[venue_id], other.id, other.title, other.start_at))
        for person_id in sorted(people.keys() & {p for (m, p) in busy_people if m == other.id}):
            name, role = people[person_id]
            kind = "chair" if role is InviteeRole.CHAIR else "invitee"
            found.append(Conflict(kind, name, other.id, other.title, other.start_at))
    return found
