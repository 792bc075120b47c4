"""The participant's own door to the API: the personal token is the credential.

A participant has no account, so these two endpoints sit on a blueprint without the staff
authentication check (``register_public_api_blueprint``). A token is a secret of 128 bits
or more, but guessing is still throttled per address; a forged or withdrawn token is a
404, saying no more than that the link is not valid.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, Text, choice_of, problems
from meetcoord.core.errors import Conflict, NotFound
from meetcoord.core.timezones import zone_label
from meetcoord.extensions import limiter
from meetcoord.meetings import opening
from meetcoord.meetings.agenda import agenda_schedule
from meetcoord.meetings.invitations import invitation_by_token, respond
from meetcoord.meetings.links import personal_link_limit
from meetcoord.meetings.models import Invitation, InviteeRole, MeetingStatus, Rsvp
from meetcoord.meetings.schemas import (
    Computed,
    ComputedOne,
    LocalTimeSchema,
    _attendance,
    _derived,
    _values,
    local_times,
)
from meetcoord.meetings.zones import reader_zone

# --- schemas ----------------------------------------------------------------------------


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
    status = fields.String(metadata={"enum": _values(MeetingStatus)})
    start_at = fields.DateTime()
    end_at = fields.DateTime()
    online_url = fields.String(allow_none=True)
    sites = fields.List(fields.Nested(ParticipantSiteSchema))
    agenda = Computed(agenda_schedule, fields.Nested(AgendaSlotSchema))


class ParticipantInvitationSchema(ApiSchema):
    """The invitation as its participant sees it through the personal link."""

    person_name = _derived(lambda inv: inv.person.name, "string")
    role = fields.String(dump_only=True, metadata={"enum": _values(InviteeRole)})
    rsvp = fields.String(dump_only=True, metadata={"enum": _values(Rsvp)})
    attendance = _derived(_attendance, "string")
    site_name = _derived(
        lambda inv: inv.site.venue.name if inv.site else None, "string", nullable=True
    )
    zone = _derived(reader_zone, "string")
    times = Computed(
        lambda inv: local_times(inv.meeting.start_at, [reader_zone(inv)]),
        fields.Nested(LocalTimeSchema),
        metadata={"description": "Mulai rapat di zona peserta."},
    )
    stand_in_name = fields.String(dump_only=True, allow_none=True)
    meeting = ComputedOne(lambda inv: inv.meeting, ParticipantMeetingSchema)


# --- endpoints --------------------------------------------------------------------------

PUBLIC = [{}]  # OpenAPI: no security scheme needed; the token in the path is the secret


participant_blp = ApiBlueprint(
    "participant_api",
    __name__,
    url_prefix="/invitations/by-token",
    description="Untuk peserta tanpa akun: token tautan pribadi adalah kuncinya.",
)
limiter.shared_limit(personal_link_limit, scope="personal-link")(participant_blp)


@participant_blp.route("/<token>")
class ParticipantInvitation(MethodView):
    @requires(Permission.LINK)
    @participant_blp.doc(
        summary="Undangan saya", description="Rapat di zona peserta.", security=PUBLIC
    )
    @participant_blp.response(200, ParticipantInvitationSchema)
    @problems(participant_blp, 404, 429)
    def get(self, token: str) -> Invitation:
        return invitation_by_token(token)


class JoinedSchema(ApiSchema):
    online_url = fields.String()
    status = fields.String(metadata={"enum": ["checked_in", "already"]})
    message = fields.String()
    at = fields.String(allow_none=True, metadata={"format": "date-time"})


@participant_blp.route("/<token>/join")
class ParticipantJoin(MethodView):
    @requires(Permission.LINK)
    @participant_blp.doc(
        summary="Ikut daring",
        description="Mencatat kehadiran daring (dalam jendela registrasi) dan memberi tautan "
        "rapat daring; di luar jendela 409 dengan kapan registrasi dibuka.",
        security=PUBLIC,
    )
    @participant_blp.response(200, JoinedSchema)
    @problems(participant_blp, 404, 409, 429)
    def post(self, token: str) -> dict[str, Any]:
        from meetcoord.checkin import selfservice  # checkin builds on meetings

        invitation = invitation_by_token(token)
        if not invitation.meeting.online_url:
            raise NotFound(_l("Rapat ini tidak punya tautan daring."))
        result = selfservice.record_online(invitation)
        if result.status == "refused":
            closed = result.reason in opening.WINDOW_REASONS
            raise (opening.OutsideCheckinWindow if closed else Conflict)(result.message)
        return {"online_url": invitation.meeting.online_url, **result.as_dict()}


@participant_blp.route("/<token>/rsvp")
class ParticipantRsvp(MethodView):
    @requires(Permission.LINK)
    @participant_blp.doc(
        summary="Jawab undangan",
        description="Hadir, tidak hadir atau mungkin; boleh sekaligus pindah lokasi atau daring.",
        security=PUBLIC,
    )
    @participant_blp.arguments(RsvpSchema)
    @participant_blp.response(200, ParticipantInvitationSchema)
    @problems(participant_blp, 400, 404, 409, 422, 429)
    def post(self, data: dict[str, Any], token: str) -> Invitation:
        return respond(invitation_by_token(token), data)
