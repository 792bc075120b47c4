"""Speakers' upload links as JSON: the twin of the materials page's link forms.

``POST /meetings/<id>/agenda/<item_id>/speaker-links`` issues a link for one agenda item
and mails it through the outbox; ``GET /meetings/<id>/speaker-links`` lists a meeting's
links; ``DELETE /meetings/<id>/speaker-links/<link_id>`` revokes one. The same services
and permissions as the page (``materials.views``).

The token is the speaker's credential, not the secretariat's: it goes to the speaker's
address and never into an answer here. The page shows a link once to the staff member
who issued it without an address (to hand over in person); an integrator has no person
in the room, so the API asks for the address and refuses a link it could not deliver.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Int,
    QueryInt,
    Text,
    page_schema,
    problems,
)
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound, ValidationError, field_errors
from meetcoord.core.pagination import Page
from meetcoord.extensions import db
from meetcoord.materials import services
from meetcoord.materials.models import SpeakerLink
from meetcoord.meetings import services as meetings
from meetcoord.meetings.models import AgendaItem, Meeting

blp = ApiBlueprint(
    "speaker_links_api",
    __name__,
    url_prefix="/meetings",
    description="Tautan unggah pribadi pembicara per mata acara: terbitkan (dikirim lewat "
    "surel), daftar, cabut. Tokennya hanya untuk pembicara, tidak pernah dalam jawaban.",
)
_actor = resolve.account
LOCATION_HEADER = {
    "Location": {"description": "URL tautan yang baru dibuat.", "schema": {"type": "string"}}
}
STATUSES = ["active", "expired", "revoked"]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def link_status(link: SpeakerLink) -> str:
    """What the page's status column says: revoked, expired or active."""
    if link.revoked_at is not None:
        return "revoked"
    return "active" if _aware(link.expires_at) > utcnow() else "expired"


class SpeakerLinkSchema(ApiSchema):
    """A speaker's link as the secretariat sees it: never its token (only its hash is
    kept, and the token belongs to the speaker)."""

    id = fields.Integer()
    agenda_item_id = fields.Integer()
    agenda_item_title = fields.Function(lambda link: link.item.title, metadata={"type": "string"})
    name = fields.String(metadata={"description": "Nama pembicara."})
    email = fields.String(allow_none=True, metadata={"description": "Alamat kiriman tautan."})
    status = fields.Function(link_status, metadata={"type": "string", "enum": STATUSES})
    expires_at = fields.DateTime()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class SpeakerLinkNewSchema(ApiSchema):
    name = Text(
        validate=validate.Length(max=services.NAME_MAX),
        metadata={"description": "Nama pembicara; bawaan: penyaji mata acara."},
    )
    email = Text(
        required=True,
        metadata={
            "description": "Wajib: tautan hanya dikirim ke pembicara, tidak pernah "
            "dikembalikan dalam jawaban.",
            "example": "bupati@example.go.id",
        },
    )
    days = Int(
        validate=validate.Range(min=1, max=services.LINK_DAYS_MAX),
        metadata={"description": f"Masa berlaku (bawaan {services.LINK_DAYS_DEFAULT} hari)."},
    )


LINK_SORTS: dict[str, Any] = {
    "created_at": lambda link: (link.created_at, link.id),
    "expires_at": lambda link: (link.expires_at, link.id),
    "name": lambda link: link.name.casefold(),
}
SpeakerLinkListArgs = page_args_schema(
    "SpeakerLink",
    list(LINK_SORTS),
    "created_at",
    {
        "agenda_item_id": QueryInt(metadata={"description": "Hanya tautan mata acara ini."}),
        "status": Text(
            validate=validate.OneOf(STATUSES, error=_l("Pilih active, expired atau revoked.")),
            metadata={"description": "active, expired atau revoked."},
        ),
    },
    order="desc",
)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(_l("Butir agenda tidak ditemukan."))
    return item


def _link(meeting_id: int, link_id: int) -> SpeakerLink:
    """A link of a meeting the actor may see (another institution's: the meeting's 404)."""
    meeting = meetings.get_meeting(meeting_id, _actor())
    found = db.session.get(SpeakerLink, link_id)
    if found is None or found.meeting_id != meeting.id:
        raise NotFound(_l("Tautan tidak ditemukan."))
    return found


@blp.route("/<int:id>/agenda/<int:item_id>/speaker-links")
class ItemSpeakerLinks(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Terbitkan tautan pembicara",
        description="Tautan pribadi `/s/<token>` untuk mengunggah bahan mata acara ini, "
        "dikirim ke `email` lewat kotak keluar. Jawaban tanpa token.",
    )
    @blp.arguments(SpeakerLinkNewSchema)
    @blp.response(201, SpeakerLinkSchema, headers=LOCATION_HEADER)
    @problems(blp, 400, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], id: int, item_id: int) -> Any:
        meeting = meetings.get_meeting(id, _actor())
        item = _item(meeting, item_id)
        if not str(data.get("email") or "").strip():
            message = _l("Isi alamat email pembicara: tautan hanya dikirim kepadanya.")
            raise ValidationError(message, errors=field_errors(email=message))
        link, _token = services.issue_link(_actor(), item, data)
        location = url_for("speaker_links_api.SpeakerLinkItem", id=id, link_id=link.id)
        return link, 201, {"Location": location}


@blp.route("/<int:id>/speaker-links")
class SpeakerLinks(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Daftar tautan pembicara",
        description="Tautan pembicara rapat ini per halaman, tanpa token; bawaan terbaru dulu.",
    )
    @blp.arguments(SpeakerLinkListArgs, location="query")
    @blp.response(200, page_schema(SpeakerLinkSchema))
    @problems(blp, 400, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[SpeakerLink]:
        found = services.links_of(meetings.get_meeting(id, _actor()))
        if args.get("agenda_item_id") is not None:
            found = [link for link in found if link.agenda_item_id == args["agenda_item_id"]]
        if args.get("status"):
            found = [link for link in found if link_status(link) == args["status"]]
        return page_of(found, args, LINK_SORTS)


@blp.route("/<int:id>/speaker-links/<int:link_id>")
class SpeakerLinkItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Satu tautan pembicara", description="Tanpa token.")
    @blp.response(200, SpeakerLinkSchema)
    @problems(blp, 401, 404)
    def get(self, id: int, link_id: int) -> SpeakerLink:
        return _link(id, link_id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Cabut tautan pembicara",
        description="Tautan langsung tidak berlaku (404 bagi pembicara); mengulang aman "
        "(204 lagi, waktu pencabutan pertama tetap).",
    )
    @blp.response(204)
    @problems(blp, 401, 403, 404)
    def delete(self, id: int, link_id: int) -> None:
        services.revoke_link(_actor(), _link(id, link_id))


blueprints: list[ApiBlueprint] = [blp]
