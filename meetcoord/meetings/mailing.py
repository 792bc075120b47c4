"""From meetings to mail in the outbox: invitations, updates and cancellations.

Translates models into the calendar package's plain records, renders each recipient's
message and adds it to the outbox in the caller's transaction. The meeting's shared part
(:class:`EventData`) is built once per meeting, not once per recipient: a secretariat
inviting a forum of 200 waits for the rendering, so it must stay cheap.

Updates and cancellations go only to invitations whose invitation was mailed
(``Invitation.sent_at``): someone scheduled "without sending" has no calendar entry to
change or cancel, and their first mail, whenever it is sent, already carries the current
time and place, as an invitation rather than a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

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
from meetcoord.core.errors import ValidationError
from meetcoord.core.errors import field_errors as fe
from meetcoord.core.places import join_place
from meetcoord.extensions import db
from meetcoord.jobs.models import Job
from meetcoord.jobs.services import new_job
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite, MeetingStatus
from meetcoord.meetings.zones import DEFAULT_ZONE, reader_zone

KINDS = {"REQUEST": "invitation", "CANCEL": "cancellation"}
SEND_KIND = "invitation_send"  # the job kind (``meetings.sending.run_batch`` runs it)
INLINE_MAX = 50  # invitations mailed inside the request; more go to a job (202)
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
            first=invitation.sent_at is None,
        )
        message = compose_invitation(mail)
        outbox.enqueue(
            kind="update" if mail.is_update else KINDS[method],
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


def was_sent(invitation: Invitation) -> bool:
    """Their invitation was mailed: a change or a cancellation must reach them too."""
    return invitation.sent_at is not None


def queue_cancellations(invitations: Iterable[Invitation]) -> int:
    """Cancellations for those whose invitation was mailed; nobody else knows of it."""
    return _queue([inv for inv in invitations if was_sent(inv)], "CANCEL")


def queue_meeting_update(meeting: Meeting) -> int:
    """The new time or place for every active invitee already mailed; the others get it
    with their first mail (``meetings.sending``)."""
    active = [inv for inv in meeting.invitations if inv.withdrawn_at is None]
    return _queue([inv for inv in active if was_sent(inv)], "REQUEST")


# --- sending: inline when few, a job when many -------------------------------------------


def unsent(meeting: Meeting, ids: Sequence[int] | None = None) -> list[Invitation]:
    """Active invitations of ``meeting`` not yet mailed (only those in ``ids`` if given).

    An id that is not an active invitation of this meeting is refused, so a typo never
    silently sends to fewer people than asked.
    """
    active = {inv.id: inv for inv in meeting.invitations if inv.withdrawn_at is None}
    if ids is not None:
        unknown = sorted(set(ids) - set(active))
        if unknown:
            message = _l("Ada id undangan yang bukan undangan rapat ini.")
            raise ValidationError(message, errors=fe(invitation_ids=message))
        chosen = [active[i] for i in dict.fromkeys(ids)]
    else:
        chosen = list(active.values())
    return [inv for inv in chosen if inv.sent_at is None]


def send_job(actor: Any, meeting: Meeting, invitations: list[Invitation]) -> Job:
    """A queued job mailing ``invitations`` (the caller commits it with its change)."""
    return new_job(
        SEND_KIND,
        meeting.institution_id,
        actor,
        len(invitations),
        {"meeting_id": meeting.id, "invitation_ids": [inv.id for inv in invitations]},
    )


def send_invitations(actor: Any, meeting: Meeting) -> Job | None:
    """Every invitation of ``meeting`` not yet mailed: at most :data:`INLINE_MAX` in the
    caller's transaction (None), more through a job the worker runs (returned).

    The one way scheduling sends, whoever schedules (a page, the API, a seed or a test):
    303 invitations rendered inside a request took 4.6 s.
    """
    pending = unsent(meeting)
    if len(pending) > INLINE_MAX:
        db.session.flush()  # the ids the job names
        return send_job(actor, meeting, pending)
    queue_invitations(pending)
    return None
