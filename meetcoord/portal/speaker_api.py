"""A speaker's upload link as JSON: the twin of the speaker's page (``/s/<speaker_token>``).

``GET /api/v1/s/<speaker_token>`` says what the link is for — one agenda item of one
meeting, its times in the host's zone as the page shows them, the files already there, the
accepted kinds and the size limit — and ``POST /api/v1/s/<speaker_token>/materials``
uploads one file to that item (multipart ``file``).

The token in the path is the credential (no account, no invitation), resolved by
``materials.services.speaker_link``: unknown, expired and revoked links answer the same
404. The upload is the page's: the body is refused unread above the limit (413), the file
is typed from its bytes (422 naming the accepted kinds) and copied off the hub
(``materials.storage``). The blueprint shares the personal-link rate limit and private
headers (``portal.links.guard``).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import fields

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, File, problems
from meetcoord.core.timezones import zone_label
from meetcoord.core.uploads import body_limit
from meetcoord.documents.api import PUBLIC
from meetcoord.materials import queries, services, storage
from meetcoord.materials.models import Material, SpeakerLink
from meetcoord.meetings.schemas import LocalTimeSchema, local_times
from meetcoord.meetings.zones import host_zone
from meetcoord.portal.links import guard

blp = guard(
    ApiBlueprint(
        "portal_speaker_api",
        __name__,
        description="Untuk pembicara tanpa akun: token tautan unggah pribadi adalah kuncinya. "
        "Satu mata acara: lihat, unggah bahan paparan.",
    )
)


class SpeakerMaterialSchema(ApiSchema):
    id = fields.Integer()
    filename = fields.String()
    kind = fields.String(metadata={"description": "pdf, pptx, xlsx, docx, png, jpg"})
    size = fields.Integer(metadata={"description": "Bytes."})
    uploaded_at = fields.DateTime()
    from_speaker = fields.Function(
        lambda m: m.speaker_link_id is not None, metadata={"type": "boolean"}
    )


class SpeakerItemSchema(ApiSchema):
    id = fields.Integer()
    title = fields.String()
    presenter = fields.String(allow_none=True)


class SpeakerMeetingSchema(ApiSchema):
    title = fields.String()
    start_at = fields.DateTime()
    end_at = fields.DateTime()
    start_local = fields.Nested(LocalTimeSchema, metadata={"description": "Di zona tuan rumah."})


class SpeakerUploadViewSchema(ApiSchema):
    """What a speaker's link opens: the page's content as data."""

    name = fields.String(metadata={"description": "Untuk siapa tautan ini."})
    zone = fields.String(metadata={"example": "Asia/Jakarta"})
    zone_label = fields.String(metadata={"example": "WIB"})
    expires_at = fields.DateTime()
    expires_local = fields.Nested(LocalTimeSchema)
    meeting = fields.Nested(SpeakerMeetingSchema)
    agenda_item = fields.Nested(SpeakerItemSchema)
    materials = fields.List(fields.Nested(SpeakerMaterialSchema))
    accepted_kinds = fields.List(fields.String(), metadata={"example": ["pdf", "pptx"]})
    max_bytes = fields.Integer(metadata={"description": "Ukuran berkas terbesar."})


class SpeakerUploadSchema(ApiSchema):
    file = File(required=True, metadata={"description": "PDF, PPTX, XLSX, DOCX, PNG, JPEG."})


def _local(moment: Any, zone: str) -> dict[str, str]:
    return local_times(moment, [zone])[0]


def upload_view(link: SpeakerLink) -> dict[str, Any]:
    item = link.item
    meeting = item.meeting
    zone = host_zone(meeting)
    return {
        "name": link.name,
        "zone": zone,
        "zone_label": zone_label(zone, meeting.start_at),
        "expires_at": link.expires_at,
        "expires_local": _local(link.expires_at, zone),
        "meeting": {
            "title": meeting.title,
            "start_at": meeting.start_at,
            "end_at": meeting.end_at,
            "start_local": _local(meeting.start_at, zone),
        },
        "agenda_item": item,
        "materials": queries.by_item(meeting.id).get(item.id, []),
        "accepted_kinds": [kind.extension for kind in storage.KINDS],
        "max_bytes": services.max_bytes(),
    }


@blp.route("/s/<speaker_token>")
@requires(Permission.MATERIAL_SPEAKER)
class SpeakerUploadView(MethodView):
    @blp.doc(
        summary="Tautan unggah saya (pembicara)",
        description="Mata acara tautan ini, bahannya, jenis dan ukuran berkas yang diterima; "
        "waktu di zona tuan rumah. Tautan kedaluwarsa atau dicabut: 404.",
        security=PUBLIC,
    )
    @blp.response(200, SpeakerUploadViewSchema)
    @problems(blp, 404, 429)
    def get(self, speaker_token: str) -> dict[str, Any]:
        return upload_view(services.speaker_link(speaker_token))


@blp.route("/s/<speaker_token>/materials")
@requires(Permission.MATERIAL_SPEAKER)
class SpeakerMaterials(MethodView):
    @body_limit(services.body_limit_for)  # refused unread: never spooled to disk
    @blp.doc(
        summary="Unggah bahan paparan (pembicara)",
        description="multipart/form-data: `file` (PDF, PPTX, XLSX, DOCX, PNG, JPEG; diperiksa "
        "dari isinya, bukan dari namanya). Terlalu besar: 413; jenis lain: 422.",
        security=PUBLIC,
    )
    @blp.arguments(SpeakerUploadSchema, location="files")
    @blp.response(201, SpeakerMaterialSchema)
    @problems(blp, 400, 404, 413, 422, 429)
    def post(self, files: dict[str, Any], speaker_token: str) -> Any:
        link = services.speaker_link(speaker_token)
        sent = files["file"]
        material: Material = services.upload(None, link.item, sent.stream, sent.filename, link=link)
        return material, 201


blueprints: list[ApiBlueprint] = [blp]
