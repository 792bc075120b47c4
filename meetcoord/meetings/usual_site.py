"""Where a member of a forum or an agency usually attends: their "usual site".

A forum invite of forty people to one site would send the Ambon office's staff to
Tambolaka; each member should stay where they normally sit. The directory has no such
field, so it is derived, in this order:

1. the site (by venue) they were invited to at the latest earlier meeting of the same
   forum or series, when that venue is a site of this meeting;
2. a site whose venue belongs to their own organization (or one of its parents);
3. a site whose venue lies in their province (their region, else their organization's);
4. the meeting's main site (the host venue's), else online.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from meetcoord.directory.models import Person, Venue
from meetcoord.directory.regions import province_of
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite

USUAL = "usual"  # the site_id value that asks for each person's usual site


def _previous_venues(meeting: Meeting, person_ids: list[int]) -> dict[int, int]:
    """person id → the venue of their invitation at the latest earlier related meeting."""
    related = []
    if meeting.forum_id is not None:
        related.append(Meeting.forum_id == meeting.forum_id)
    if meeting.series_id is not None:
        related.append(Meeting.series_id == meeting.series_id)
    if not related or not person_ids:
        return {}
    rows = db.session.execute(
        select(Invitation.person_id, MeetingSite.venue_id)
        .join(Meeting, Invitation.meeting_id == Meeting.id)
        .join(MeetingSite, Invitation.site_id == MeetingSite.id)
        .where(
            or_(*related),
            Meeting.id != meeting.id,
            Meeting.start_at < meeting.start_at,
            Invitation.person_id.in_(person_ids),
            Invitation.withdrawn_at.is_(None),
        )
        .order_by(Meeting.start_at)
    ).all()
    return dict(rows)  # the latest wins


def _venue_province(venue: Venue) -> str | None:
    text = ", ".join(part for part in (venue.address, venue.city) if part)
    found = province_of(text)
    if found is None and venue.organization is not None:
        found = province_of(venue.organization.region)
    return found


def _organization_ids(person: Person) -> set[int]:
    ids: set[int] = set()
    org = person.organization
    for _ in range(8):  # as in Person.province: a cycle must not loop forever
        if org is None:
            break
        ids.add(org.id)
        org = org.parent
    return ids


def main_site(meeting: Meeting) -> MeetingSite | None:
    """The host venue's site, else the first one; None for an online-only meeting."""
    host = next((s for s in meeting.sites if s.venue_id == meeting.host_venue_id), None)
    return host or (meeting.sites[0] if meeting.sites else None)


def usual_sites(meeting: Meeting, people: list[Person]) -> dict[int, MeetingSite | None]:
    """Each person's usual site at ``meeting`` (see the module's rules), by person id."""
    by_venue = {site.venue_id: site for site in meeting.sites}
    previous = _previous_venues(meeting, [p.id for p in people])
    provinces = {site.id: _venue_province(site.venue) for site in meeting.sites}
    fallback = main_site(meeting)
    chosen: dict[int, MeetingSite | None] = {}
    for person in people:
        site = by_venue.get(previous.get(person.id, -1))
        if site is None:
            own = _organization_ids(person)
            site = next((s for s in meeting.sites if s.venue.organization_id in own), None)
        if site is None and (province := person.province) is not None:
            site = next((s for s in meeting.sites if provinces[s.id] == province), None)
        chosen[person.id] = site or fallback
    return chosen
