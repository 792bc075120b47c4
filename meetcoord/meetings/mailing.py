"""From meetings to mail in the outbox: invitations, updates and cancellations.

Translates models into the calendar package's plain records, renders each recipient's
message and adds it to the outbox in the caller's transaction. The meeting's shared part
(:class:`EventData`) is built once per meeting, not once per recipient: a secretariat
inviting a forum of 200 waits for the rendering, so it must stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from flask import current_app

from meetcoord.access.institutions import letterhead_for
from meetcoord.calendar.compose import compose_invitation
from meetcoord.calendar.data import (
    AgendaLine,
    Contact,
    EventData,
    InvitationMail,
    Method,
    Recipient,
)
from meetcoord.core import outbox
from meetcoord.core.db import utcnow
from meetcoord.core.places import join_place
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite, MeetingStatus
from meetcoord.meetings.zones import DEFAULT_ZONE, reader_zone

KINDS = {"REQUEST": "invitation", "CANCEL": "cancellation"}
WEST_TO_EAST = {"Asia/Jakarta": 0, "Asia/Pontianak": 0, "Asia/Makassar": 1, "Asia/Jayapura": 2}


def _place(site: MeetingSite) -> str:
    venue = site.venue
    return join_place(venue.name, venue.address, venue.city)


def organizer(meeting: Meeting) -> Contact:
    """The meeting's institution as the calendar's ORGANIZER and the mail's From name."""
    return Contact(letterhead_for(meeting).sender_name, current_app.config["MAIL_FROM"])


def event_data(meeting: Meeting) -> EventData:
    host = meeting.host_venue
    zones = sorted(
        {site.venue.timezone for site in meeting.sites},
        key=lambda zone: (WEST_TO_EAST.get(zone, 9), zone),
    )
    agenda, cursor = [], meeting.start_at
    for item in meeting.agenda:
        agenda.append(AgendaLine(item.title, cursor, item.planned_minutes, item.presenter))
        cursor += timedelta(minutes=item.planned_minutes)
    host_site = next((s for s in meeting.sites if host and s.venue_id == host.id), None)
    return EventData(
        uid=meeting.uid,
        title=meeting.title,
        start_at=meeting.start_at,
        end_at=meeting.end_at,
        zone=host.timezone if host else (zones[0] if zones else DEFAULT_ZONE),
        organizer=organizer(meeting),
        purpose=meeting.purpose or "",
        location=_place(host_site) if host_site else (meeting.online_url or ""),
        online_url=meeting.online_url,
        agenda=tuple(agenda),
        site_zones=tuple(zones),
        sequence=meeting.sequence,
        status="CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED",
    )


def recipient(invitation: Invitation, event: EventData) -> Recipient:
    """The invitee as their mail, calendar file, page and links address them: in their
    own zone (``zones.reader_zone``), at their own site or online.
    """
    site = invitation.site
    person = invitation.person
    return Recipient(
        name=person.name,
        email=person.email or "",
        zone=reader_zone(invitation),
        personal_url=links.personal_url(invitation),
        role=invitation.role.value,
        site_name=site.venue.name if site else None,
        location=_place(site) if site else None,
        rsvp=invitation.rsvp.value,
        # a meeting-wide change and a personal one (a new site) both raise it
        sequence=invitation.meeting.sequence + invitation.sequence,
    )


def reader_event(invitation: Invitation, event: EventData) -> EventData:
    """The meeting as this invitee's calendar feed shows it: in their zone, at their site
    (the online link when they attend online), not the host's.
    """
    site = invitation.site
    return replace(event, zone=reader_zone(invitation), location=_place(site) if site else "")


def _queue(invitations: Iterable[Invitation], method: Method) -> int:
    """Render and enqueue one message per invitee with an e-mail address."""
    events: dict[int, tuple[EventData, str]] = {}
    queued = 0
    for invitation in invitations:
        if not invitation.person.email:
            continue  # reached by WhatsApp or letter; the secretariat sees who has no e-mail
        cached = events.get(invitation.meeting_id)
        if cached is None:
            meeting = invitation.meeting
            cached = (event_data(meeting), letterhead_for(meeting).name)
            events[invitation.meeting_id] = cached
        event, institution = cached
        mail = InvitationMail(
            event=event,
            recipient=recipient(invitation, event),
            sender=event.organizer,  # the meeting's institution, from MAIL_FROM
            institution=institution,
            method=method,
        )
        message = compose_invitation(mail)
        outbox.enqueue(
            kind=KINDS[method] if mail.sequence == 0 or method == "CANCEL" else "update",
            recipient=invitation.person.email,
            subject=str(message["Subject"]),
            message=message.as_bytes(),
            ref_type="invitation",
            ref_id=invitation.id,
        )
        queued += 1
    return queued


def queue_invitations(invitations: Iterable[Invitation]) -> int:
    """Invitation mails (or updates) for each invitee with an address, marked ``sent_at``
    in the caller's transaction: a send job skips them (``meetings.sending``)."""
    batch = list(invitations)
    queued = _queue(batch, "REQUEST")
    now = utcnow()
    for invitation in batch:
        if invitation.person.email:
            invitation.sent_at = now
    return queued


def queue_cancellations(invitations: Iterable[Invitation]) -> int:
    return _queue(invitations, "CANCEL")


def queue_meeting_update(meeting: Meeting) -> int:
    return _queue([inv for inv in meeting.invitations if inv.withdrawn_at is None], "REQUEST")
