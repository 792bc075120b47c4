"""What the participant API shows: the invitation and its meeting as the holder sees them.

The meeting's own schemas (``meetings.schemas``) are the staff's view; these keep to what a
participant may read through their link, times in their zone.
"""

from __future__ import annotations

from marshmallow import fields

from meetcoord.api.schemas import ApiSchema, Text, choice_of
from meetcoord.core.timezones import zone_label
from meetcoord.meetings.agenda import agenda_schedule
from meetcoord.meetings.models import InviteeRole, MeetingStatus, Rsvp
from meetcoord.meetings.schemas import (
    Computed,
    ComputedOne,
    LocalTimeSchema,
    attendance_key,
    derived,
    enum_values,
    local_times,
)
from meetcoord.meetings.zones import reader_zone


class RsvpSchema(ApiSchema):
    rsvp = choice_of(
        [Rsvp.ACCEPTED.value, Rsvp.DECLINED.value, Rsvp.TENTATIVE.value], required=True
    )
    attendance = Text(
        allow_none=True,
        metadata={"description": "'online', atau id lokasi rapat ini (sebagai teks)."},
    )


class ParticipantSiteSchema(ApiSchema):
    id = fields.Integer()
    venue_name = fields.Function(lambda site: site.venue.name, metadata={"type": "string"})
    zone_label = fields.Function(
        lambda site: zone_label(site.venue.timezone), metadata={"type": "string"}
    )


class AgendaSlotSchema(ApiSchema):
    title = fields.Function(lambda slot: slot.item.title, metadata={"type": "string"})
    presenter = fields.Function(
        lambda slot: slot.item.presenter, metadata={"type": "string", "nullable": True}
    )
    start_at = fields.DateTime()
    end_at = fields.DateTime()


class ParticipantMeetingSchema(ApiSchema):
    title = fields.String()
    purpose = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": enum_values(MeetingStatus)})
    start_at = fields.DateTime()
    end_at = fields.DateTime()
    online_url = fields.String(allow_none=True)
    sites = fields.List(fields.Nested(ParticipantSiteSchema))
    agenda = Computed(agenda_schedule, fields.Nested(AgendaSlotSchema))


class ParticipantInvitationSchema(ApiSchema):
    """The invitation as its participant sees it through the personal link."""

    person_name = derived(lambda inv: inv.person.name, "string")
    role = fields.String(dump_only=True, metadata={"enum": enum_values(InviteeRole)})
    rsvp = fields.String(dump_only=True, metadata={"enum": enum_values(Rsvp)})
    attendance = derived(attendance_key, "string")
    site_name = derived(
        lambda inv: inv.site.venue.name if inv.site else None, "string", nullable=True
    )
    zone = derived(reader_zone, "string")
    times = Computed(
        lambda inv: local_times(inv.meeting.start_at, [reader_zone(inv)]),
        fields.Nested(LocalTimeSchema),
        metadata={"description": "Mulai rapat di zona peserta."},
    )
    stand_in_name = fields.String(dump_only=True, allow_none=True)
    meeting = ComputedOne(lambda inv: inv.meeting, ParticipantMeetingSchema)


class JoinedSchema(ApiSchema):
    online_url = fields.String()
    status = fields.String(metadata={"enum": ["checked_in", "already"]})
    message = fields.String()
    at = fields.String(allow_none=True, metadata={"format": "date-time"})
