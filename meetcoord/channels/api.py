"""A meeting's online channels as JSON: ``/api/v1/meetings/{id}/channels``.

The API twin of the meeting page's "Saluran daring" section; every rule (https only, who
may change them, the meeting's video link following its first video channel) lives in
``channels.services``. A channel is looked up through its meeting: another meeting's id
is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Int,
    Text,
    choice_of,
    page_schema,
    problems,
)
from meetcoord.channels import services
from meetcoord.channels.models import (
    LABEL_MAX,
    PASSCODE_MAX,
    URL_MAX,
    ChannelAudience,
    ChannelKind,
    MeetingChannel,
)
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.meetings import services as meetings

blp = ApiBlueprint(
    "meeting_channels_api",
    __name__,
    url_prefix="/meetings",
    description="Saluran daring rapat: tautan rapat video, siaran langsung dan rekaman.",
)

LOCATION_HEADER = {
    "Location": {"description": "URL data yang baru dibuat.", "schema": {"type": "string"}}
}
WRITE = (400, 401, 403, 404, 409, 422)


class ChannelInSchema(ApiSchema):
    kind = choice_of(
        [k.value for k in ChannelKind],
        required=True,
        metadata={"description": "Rapat video, siaran langsung, atau rekaman (sesudahnya)."},
    )
    label = Text(required=True, metadata={"maxLength": LABEL_MAX})
    url = Text(
        required=True,
        metadata={"maxLength": URL_MAX, "format": "uri", "description": "Hanya https://."},
    )
    audience = choice_of(
        [a.value for a in ChannelAudience],
        allow_none=True,
        metadata={"description": "Kosong: semua peserta."},
    )
    audience_site_id = Int(
        allow_none=True, metadata={"description": "Lokasi rapat ini, bila audience 'site'."}
    )
    passcode = Text(allow_none=True, metadata={"maxLength": PASSCODE_MAX})


class ChannelPatchSchema(ChannelInSchema):
    """Only the fields sent change."""


class ChannelOutSchema(ChannelInSchema):
    id = fields.Integer(dump_only=True)
    meeting_id = fields.Integer(dump_only=True)
    reaches = fields.Function(
        lambda channel: channel.reaches.value, dump_only=True, metadata={"type": "string"}
    )


# A meeting's channels in the order they were added unless another sort is asked.
CHANNEL_SORTS: dict[str, Any] = {
    "id": lambda channel: channel.id,
    "kind": lambda channel: channel.kind.value,
    "label": lambda channel: channel.label,
}
ChannelListArgs = page_args_schema("MeetingChannel", list(CHANNEL_SORTS), "id")


@blp.route("/<int:id>/channels")
class Channels(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Saluran daring rapat", description="Per halaman; bawaan urutan dibuat.")
    @blp.arguments(ChannelListArgs, location="query")
    @blp.response(200, page_schema(ChannelOutSchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[MeetingChannel]:
        return page_of(services.list_channels(current_actor(), id), args, CHANNEL_SORTS)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Tambah saluran daring",
        description="Rapat video pertama menjadi tautan daring undangan dan kalender.",
    )
    @blp.arguments(ChannelInSchema)
    @blp.response(201, ChannelOutSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> tuple[MeetingChannel, dict[str, str]]:
        meeting = meetings.get_meeting(id, current_actor())
        channel = services.add_channel(resolve.account(), meeting, data)
        location = url_for("meeting_channels_api.ChannelItem", id=id, channel_id=channel.id)
        return channel, {"Location": location}


@blp.route("/<int:id>/channels/<int:channel_id>")
class ChannelItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Satu saluran daring")
    @blp.response(200, ChannelOutSchema)
    @problems(blp, 401, 404)
    def get(self, id: int, channel_id: int) -> MeetingChannel:
        return services.get_channel(current_actor(), id, channel_id)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Ubah saluran daring")
    @blp.arguments(ChannelPatchSchema(partial=True))
    @blp.response(200, ChannelOutSchema)
    @problems(blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int, channel_id: int) -> MeetingChannel:
        channel = services.get_channel(current_actor(), id, channel_id)
        return services.update_channel(resolve.account(), channel, data)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Hapus saluran daring")
    @blp.response(204)
    @problems(blp, 400, 401, 403, 404, 409)
    def delete(self, id: int, channel_id: int) -> None:
        services.remove_channel(
            resolve.account(), services.get_channel(current_actor(), id, channel_id)
        )


blueprints: list[ApiBlueprint] = [blp]
