"""What the participant API shows: the invitation and its meeting as the holder sees them.

The meeting's own schemas (``meetings.schemas``) are the staff's view; these keep to what a
participant may read through their link, times in their zone.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from meetcoord.api.schemas import ApiSchema, Int, choice_of
from meetcoord.checkin import keys
from meetcoord.core.timezones import zone_label
from meetcoord.meetings import opening, windows
from meetcoord.meetings.agenda import agenda_schedule
from meetcoord.meetings.models import Invitation, InviteeRole, MeetingStatus, Rsvp
from meetcoord.meetings.schemas import (
    Computed,
    ComputedOne,
    LocalTimeSchema,
    derived,
    enum_values,
    local_times,
)
from meetcoord.meetings.zones import reader_zone


class RsvpSchema(ApiSchema):
    rsvp = choice_of(
        [Rsvp.ACCEPTED.value, Rsvp.DECLINED.value, Rsvp.TENTATIVE.value], required=True
    )
    site_id = Int(
        allow_none=True,
        metadata={
            "description": "Pindah ke lokasi rapat ini (id), atau null untuk daring; "
            "tanpa kunci ini tempat tetap."
        },
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


class ParticipantCredentialSchema(ApiSchema):
    credential = fields.String(
        metadata={"description": "Isi QR pribadi (MC1.<muatan>.<tanda tangan>), untuk meja."}
    )
    valid_from = fields.DateTime(metadata={"description": "Registrasi dibuka (UTC)."})
    valid_until = fields.DateTime(metadata={"description": "Registrasi ditutup (UTC)."})


def checkin_credential(invitation: Invitation) -> dict[str, Any]:
    """The personal QR's text and the check-in window it is accepted in."""
    opens_at, closes_at = windows.checkin_window(invitation.meeting, opening.rule())
    return {
        "credential": keys.credential_for(invitation),
        "valid_from": opens_at,
        "valid_until": closes_at,
    }


class ParticipantInvitationSchema(ApiSchema):
    """The invitation as its participant sees it through the personal link."""

    person_name = derived(lambda inv: inv.person.name, "string")
    role = fields.String(dump_only=True, metadata={"enum": enum_values(InviteeRole)})
    rsvp = fields.String(dump_only=True, metadata={"enum": enum_values(Rsvp)})
    site_id = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "null: daring."}
    )
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
    stand_in_position = fields.String(dump_only=True, allow_none=True)
    has_stand_in_letter = derived(lambda inv: bool(inv.stand_in_letter), "boolean")
    meeting = ComputedOne(lambda inv: inv.meeting, ParticipantMeetingSchema)
    checkin = ComputedOne(
        checkin_credential,
        ParticipantCredentialSchema,
        metadata={
            "description": "Kartu undangan sebagai data: teks yang sama dengan isi QR pribadi. "
            "Kredensial pembawa: siapa pun yang memegangnya bisa didaftarkan hadir."
        },
    )


class JoinedSchema(ApiSchema):
    online_url = fields.String()
    status = fields.String(metadata={"enum": ["checked_in", "already"]})
    message = fields.String()
    at = fields.String(allow_none=True, metadata={"format": "date-time"})
