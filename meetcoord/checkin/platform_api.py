"""The video platform report import as JSON (``/api/v1``).

The same steps as the pages: upload (multipart ``file`` and optional ``zone``) → a draft
with its preview → confirm (or delete the draft); then the participants left unmatched,
each matched to an invitation by hand or dismissed. A refused file is a 422 problem whose
``errors.file`` says why, and nothing is kept.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import fields, validate

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, ApiSchema, File, Int, Text, page_schema, problems
from meetcoord.checkin import platform_import as service
from meetcoord.checkin.platform_models import Outcome, PlatformImport, PlatformParticipant
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.meetings.services import get_meeting

blp = ApiBlueprint(
    "platform_import_api",
    __name__,
    url_prefix="/meetings",
    description="Impor laporan peserta Zoom/Meet/Teams ke daftar hadir.",
)
WRITE = (400, 401, 403, 404, 409, 413, 422)


class PlatformUploadFileSchema(ApiSchema):
    file = File(
        required=True,
        metadata={"description": "Laporan peserta CSV (Zoom, Google Meet, Microsoft Teams)."},
    )


class PlatformUploadArgs(ApiSchema):
    zone = Text(
        load_default=None,
        validate=validate.Length(max=64),
        metadata={"description": "Zona waktu pada laporan (IANA); bawaan: zona tuan rumah."},
    )


class PlatformSummarySchema(ApiSchema):
    participants = fields.Integer()
    matched = fields.Integer()
    already = fields.Integer(metadata={"description": "Sudah hadir (di lokasi atau daring)."})
    unmatched = fields.Integer(metadata={"description": "Belum cocok (tak ada atau ganda)."})
    manual = fields.Integer()
    dismissed = fields.Integer()


class PlatformParticipantOut(ApiSchema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String(allow_none=True)
    joined_at = fields.AwareDateTime()
    left_at = fields.AwareDateTime(allow_none=True)
    minutes = fields.Integer()
    outcome = fields.String(validate=validate.OneOf([o.value for o in Outcome]))
    invitation_id = fields.Integer(allow_none=True)
    attendance_id = fields.Integer(allow_none=True)


class PlatformImportOut(ApiSchema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    state = fields.String(validate=validate.OneOf(["draft", "confirmed"]))
    platform = fields.String(metadata={"description": "zoom, teams, meet atau csv."})
    zone = fields.String()
    filename = fields.String(allow_none=True)
    rows = fields.Integer()
    created_at = fields.AwareDateTime()
    confirmed_at = fields.AwareDateTime(allow_none=True)
    summary = fields.Nested(PlatformSummarySchema)
    participants = fields.List(fields.Nested(PlatformParticipantOut))


class PlatformMatchIn(ApiSchema):
    invitation_id = Int(required=True, validate=validate.Range(min=1))


# A meeting's reports newest first, its waiting participants in the order they joined,
# unless another sort is asked.
IMPORT_SORTS: dict[str, Any] = {
    "id": lambda i: i.id,
    "created_at": lambda i: (i.created_at, i.id),
    "state": lambda i: i.state.value,
    "platform": lambda i: i.platform,
}
PlatformImportListArgs = page_args_schema("PlatformImport", list(IMPORT_SORTS), "id", order="desc")
PARTICIPANT_SORTS: dict[str, Any] = {
    "joined_at": lambda p: (p.joined_at, p.id),
    "name": lambda p: p.name.casefold(),
    "minutes": lambda p: p.minutes,
    "outcome": lambda p: p.outcome.value,
}
PlatformParticipantListArgs = page_args_schema(
    "PlatformParticipant", list(PARTICIPANT_SORTS), "joined_at"
)


def _paged(found: Page[Any], out: Any) -> Page[dict[str, Any]]:
    return Page(
        items=[out(row) for row in found.items],
        page=found.page,
        per_page=found.per_page,
        total=found.total,
    )


def _out(imported: PlatformImport) -> dict[str, Any]:
    return {
        "id": imported.id,
        "meeting_id": imported.meeting_id,
        "state": imported.state.value,
        "platform": imported.platform,
        "zone": imported.zone,
        "filename": imported.filename,
        "rows": imported.rows,
        "created_at": imported.created_at,
        "confirmed_at": imported.confirmed_at,
        "summary": service.summary(imported).as_dict(),
        "participants": [service.participant_dict(p) for p in imported.participants],
    }


@blp.route("/<int:id>/platform-imports")
class PlatformImports(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Impor laporan platform rapat",
        description="Per halaman; bawaan terbaru dahulu.",
    )
    @blp.arguments(PlatformImportListArgs, location="query")
    @blp.response(200, page_schema(PlatformImportOut))
    @problems(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[dict[str, Any]]:
        meeting = get_meeting(id, current_actor())
        service.require_editor(current_actor(), meeting)
        return _paged(page_of(service.imports_of(meeting), args, IMPORT_SORTS), _out)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Unggah laporan peserta (pratinjau)",
        description="Membaca berkas dan menyimpannya sebagai draf dengan pratinjau; "
        "kehadiran belum dicatat sampai dikonfirmasi.",
    )
    @blp.arguments(PlatformUploadArgs, location="query")
    @blp.arguments(PlatformUploadFileSchema, location="files")
    @blp.response(201, PlatformImportOut)
    @problems(blp, *WRITE)
    def post(self, args: dict[str, Any], files: dict[str, Any], id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        limit = current_app.config["CSV_MAX_BYTES"]
        upload = files["file"]
        imported = service.upload(
            current_actor(),
            meeting,
            upload.read(limit + 1),
            filename=upload.filename,
            zone=args.get("zone"),
            max_bytes=limit,
            max_rows=current_app.config["CSV_MAX_ROWS"],
        )
        return _out(imported)


@blp.route("/<int:id>/platform-imports/<int:import_id>")
class PlatformImportItem(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Pratinjau atau hasil satu impor")
    @blp.response(200, PlatformImportOut)
    @problems(blp, 401, 403, 404)
    def get(self, id: int, import_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        service.require_editor(current_actor(), meeting)
        return _out(service.get_import(meeting, import_id))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Batalkan draf impor", description="Hanya draf; tidak ada yang dicatat.")
    @blp.response(204)
    @problems(blp, 401, 403, 404, 409)
    def delete(self, id: int, import_id: int) -> None:
        meeting = get_meeting(id, current_actor())
        service.discard(current_actor(), meeting, service.get_import(meeting, import_id))


@blp.route("/<int:id>/platform-imports/<int:import_id>/confirm")
class PlatformImportConfirm(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Konfirmasi impor",
        description="Peserta yang cocok dicatat hadir daring (waktu bergabung); yang sudah "
        "hadir tidak digandakan; yang belum cocok menunggu sekretariat.",
    )
    @blp.response(200, PlatformImportOut)
    @problems(blp, 401, 403, 404, 409)
    def post(self, id: int, import_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        imported = service.get_import(meeting, import_id)
        service.confirm(current_actor(), meeting, imported)
        return _out(imported)


@blp.route("/<int:id>/platform-participants/unmatched")
class PlatformUnmatched(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Peserta platform yang belum cocok",
        description="Per halaman; bawaan urut waktu bergabung.",
    )
    @blp.arguments(PlatformParticipantListArgs, location="query")
    @blp.response(200, page_schema(PlatformParticipantOut))
    @problems(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[dict[str, Any]]:
        meeting = get_meeting(id, current_actor())
        service.require_editor(current_actor(), meeting)
        waiting: list[PlatformParticipant] = service.waiting(meeting)
        return _paged(page_of(waiting, args, PARTICIPANT_SORTS), service.participant_dict)


@blp.route("/<int:id>/platform-participants/<int:participant_id>/match")
class PlatformMatch(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Cocokkan peserta dengan undangan", description="Dicatat hadir daring.")
    @blp.arguments(PlatformMatchIn)
    @blp.response(200, PlatformParticipantOut)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int, participant_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        found = service.match_by_hand(
            current_actor(), meeting, participant_id, data["invitation_id"]
        )
        return service.participant_dict(found)


@blp.route("/<int:id>/platform-participants/<int:participant_id>/dismiss")
class PlatformDismiss(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Abaikan peserta yang belum cocok")
    @blp.response(200, PlatformParticipantOut)
    @problems(blp, 401, 403, 404, 409)
    def post(self, id: int, participant_id: int) -> dict[str, Any]:
        meeting = get_meeting(id, current_actor())
        return service.participant_dict(service.dismiss(current_actor(), meeting, participant_id))


blueprints = [blp]
