"""What a subscribable calendar feed holds: each meeting as its owner should read it.

A person's feed shows each meeting at their own site and in their own zone
(``zones.reader_zone``), as their invitation does: a Jakarta invitee of a meeting hosted in
Tambolaka reads "Gedung Bappenas, 09.00 WIB", not "Tambolaka, 10.00 WITA". An
organization's feed (its members may sit at different sites) shows each meeting at the
host in the organization's region's zone. A feed never carries a personal link: the
secretariat can read feed addresses, and a personal link is for its holder only.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from meetcoord.calendar.data import EventData
from meetcoord.extensions import db
from meetcoord.meetings import invitations, mailing, services
from meetcoord.meetings.models import CalendarFeed, Invitation, Meeting, MeetingStatus
from meetcoord.meetings.zones import organization_zone


def _events_of_person(person_id: int) -> list[EventData]:
    invitations = db.session.scalars(
        select(Invitation)
        .join(Meeting)
        .where(
            Invitation.person_id == person_id,
            Invitation.withdrawn_at.is_(None),
            or_(Meeting.status.in_(services.ACTIVE), Meeting.status == MeetingStatus.CANCELLED),
        )
        .options(selectinload(Invitation.site), selectinload(Invitation.meeting))
        .order_by(Meeting.start_at, Meeting.id)
    )
    return [
        mailing.reader_event(invitation, mailing.event_data(invitation.meeting))
        for invitation in invitations
    ]


def feed_events(feed: CalendarFeed) -> list[EventData]:
    """The feed's meetings (scheduled, live or cancelled), soonest first."""
    if feed.person_id is not None:
        return _events_of_person(feed.person_id)
    organization = feed.organization
    events = []
    for meeting in services.search_people_meetings(invitations.feed_people(feed)):
        event = mailing.event_data(meeting)
        events.append(replace(event, zone=organization_zone(organization, meeting)))
    return events
