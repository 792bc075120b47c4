"""Which zone a participant reads a meeting's times in: decided here, and only here.

Every place a participant reads a time — the invitation mail (text and HTML), its calendar
file, the agenda, the personal page ``/i/<token>``, the phone during the meeting, the
Google Calendar and WhatsApp links, their calendar feed, the minutes' comment deadline —
asks :func:`reader_zone`, so that none of them can disagree. Before this, online invitees
were shown the host's zone: a webinar hosted in Jakarta told readers in Ambon "09.00 WIB".

The rule:

- at a site: the site venue's zone (they sit in that room, whatever their own zone);
- online: the person's own zone, else their organization's region's zone
  (``Person.zone``), else the host venue's;
- no host either: :data:`DEFAULT_ZONE`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meetcoord.directory.models import Organization
    from meetcoord.meetings.models import Invitation, Meeting

DEFAULT_ZONE = "Asia/Jakarta"


def host_zone(meeting: Meeting) -> str:
    """The host venue's zone: how the meeting's own time was typed and is filed."""
    return meeting.host_venue.timezone if meeting.host_venue else DEFAULT_ZONE


def reader_zone(invitation: Invitation) -> str:
    """The zone this invitee reads the meeting's times in (see the module's rule)."""
    if invitation.site is not None:
        return invitation.site.venue.timezone
    return invitation.person.zone or host_zone(invitation.meeting)


def organization_zone(organization: Organization | None, meeting: Meeting) -> str:
    """An organization's calendar feed: its region's zone, else the meeting's host's."""
    zone = organization.zone if organization is not None else None
    return zone or host_zone(meeting)
