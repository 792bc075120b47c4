"""Materials as JSON under ``/api/v1/meetings/<id>/materials``: the list, an upload
(multipart), a file, and removal.

The same services as the pages: the file is typed by its content, the size is limited
before the body is parsed, a refusal is a problem body naming the accepted kinds.
"""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from marshmallow import fields

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    File,
    QueryInt,
    choice_of,
    page_schema,
    problems,
)
from meetcoord.core.errors import ValidationError, field_errors
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.materials import queries, services
from meetcoord.materials.models import Material
from meetcoord.materials.views import file_response
from meetcoord.meetings import services as meetings

blp = ApiBlueprint(
    "materials_api",
    __name__,
    url_prefix="/meetings",
    description="Bahan paparan mata acara: daftar, unggah, unduh, hapus.",
)
FILE = {"type": "string", "format": "binary"}
_actor = resolve.account


class MaterialOut(ApiSchema):
    id = fields.Integer()
    agenda_item_id = fields.Integer()
    filename = fields.String()
    kind = fields.String(metadata={"description": "pdf, pptx, xlsx, docx, png, jpg"})
    size = fields.Integer(metadata={"description": "Bytes."})
    after_start = fields.Boolean()
    uploaded_at = fields.DateTime()
    from_speaker = fields.Function(lambda m: m.speaker_link_id is not None)
    url = fields.Function(
        lambda m: url_for("materials_api.MaterialFile", id=m.meeting_id, material_id=m.id)
    )


class MaterialUploadForm(ApiSchema):
    """The text parts of an upload (multipart/form-data)."""

    agenda_item_id = QueryInt(required=True)
    after_start = choice_of(["true", "false"])


class MaterialUploadFiles(ApiSchema):
    file = File(required=True, metadata={"description": "PDF, PPTX, XLSX, DOCX, PNG, JPEG."})


class MaterialUpload(MaterialUploadFiles):
    """The whole multipart body, for the document: flask-smorest documents one body per
    operation, so the text parts are parsed apart (``MaterialUploadForm``, which requires
    the item) and are optional here, where only the files are read."""

    agenda_item_id = QueryInt(metadata={"description": "Wajib: butir agenda rapat ini."})
    after_start = choice_of(["true", "false"])


MATERIAL_SORTS: dict[str, Any] = {
    "filename": lambda m: m.filename,
    "kind": lambda m: m.kind,
    "size": lambda m: m.size,
    "uploaded_at": lambda m: (m.uploaded_at, m.id),
}
MaterialListArgs = page_args_schema("Material", ["agenda", *MATERIAL_SORTS], "agenda")


@blp.route("/<int:id>/materials")
class Materials(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Daftar bahan paparan",
        description="Bahan rapat per halaman; bawaan urut agenda, lalu urutan unggah.",
    )
    @blp.arguments(MaterialListArgs, location="query")
    @blp.response(200, page_schema(MaterialOut))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Material]:
        meeting = meetings.get_meeting(id, _actor())
        grouped = queries.by_item(meeting.id)
        # Already in agenda order, then upload order: "agenda" keeps it (a stable sort).
        found = [m for item in meeting.agenda for m in grouped.get(item.id, [])]
        rank = {m.id: n for n, m in enumerate(found)}
        return page_of(found, args, {**MATERIAL_SORTS, "agenda": lambda m: rank[m.id]})

    @requires(Permission.MEETING_ARRANGE)
    @body_limit(services.body_limit_for)
    @blp.doc(
        summary="Unggah bahan paparan",
        description="multipart/form-data: `agenda_item_id`, `file` (PDF, PPTX, XLSX, DOCX, "
        "PNG, JPEG; diperiksa dari isinya), `after_start` (true: peserta mengunduh setelah "
        "mata acara dimulai).",
    )
    @blp.arguments(MaterialUpload, location="files")
    @blp.response(201, MaterialOut)
    @problems(blp, 400, 401, 403, 404, 413, 422)
    def post(self, files: dict[str, Any], id: int) -> Any:
        meeting = meetings.get_meeting(id, _actor())
        data = ApiBlueprint.ARGUMENTS_PARSER.parse(MaterialUploadForm(), location="form")
        item = next((i for i in meeting.agenda if i.id == data["agenda_item_id"]), None)
        if item is None:
            message = services.item_missing()
            raise ValidationError(message, errors=field_errors(agenda_item_id=message))
        sent = files.get("file")
        material = services.upload(
            _actor(),
            item,
            sent.stream if sent is not None else None,
            sent.filename if sent is not None else None,
            after_start=data.get("after_start") == "true",
        )
        location = url_for("materials_api.MaterialFile", id=id, material_id=material.id)
        return material, 201, {"Location": location}


@blp.route("/<int:id>/materials/<int:material_id>")
class MaterialFile(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Berkas bahan", description="Sebagai lampiran; mendukung Range.")
    @blp.response(200, FILE, content_type="application/octet-stream")
    @problems(blp, 401, 404)
    def get(self, id: int, material_id: int) -> Response:
        return file_response(queries.get_material(_actor(), id, material_id))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Hapus bahan", description="Menghapus bahan dan berkasnya (tercatat).")
    @blp.response(204)
    @problems(blp, 401, 403, 404)
    def delete(self, id: int, material_id: int) -> None:
        material = queries.get_material(_actor(), id, material_id)
        services.delete(_actor(), material)


blueprints: list[ApiBlueprint] = [blp]
