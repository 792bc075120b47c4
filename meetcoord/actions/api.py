"""Follow-up actions as JSON under ``/api/v1/actions``: the tracker's list, one action
with its history, a status step or a new due date, a progress update with evidence
files, and an evidence file itself.

Handlers parse, call one service and return; the workflow, reasons and evidence checks
are the services', so the pages and the API refuse the same input the same way.
"""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.access.scope import NOT_FOUND
from meetcoord.actions import agency, exports, queries, services
from meetcoord.actions import schemas as s
from meetcoord.actions.models import Action, ActionUpdate, AgencyLink
from meetcoord.actions.queries import TrackerQuery
from meetcoord.actions.views import file_response, upload_limit
from meetcoord.actions.workflow import parse_status
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.pagination import Page
from meetcoord.core.tabular import MIMETYPES
from meetcoord.core.uploads import body_limit
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings import links

blp = ApiBlueprint(
    "actions_api",
    __name__,
    url_prefix="/actions",
    description="Tindak lanjut rapat: status, perkembangan, tenggat dan bukti.",
)
FILE = {"type": "string", "format": "binary"}
ID_FILTERS = ("institution_id", "forum_id", "series_id", "meeting_id", "organization_id")

_actor = resolve.account


@blp.route("")
class Actions(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Daftar tindak lanjut",
        description="Semua tindak lanjut dari rapat yang boleh dilihat, dengan saringan.",
    )
    @blp.arguments(s.ActionListArgs, location="query")
    @blp.response(200, page_schema(s.ActionSchema))
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Page[Action]:
        return queries.list_actions(_actor(), _tracker_query(args))


def _tracker_query(args: dict[str, Any]) -> TrackerQuery:
    """The tracker's query from the API's parsed arguments (an export has no page)."""
    return TrackerQuery(
        q=args["q"],
        locus=args["locus"],
        status=parse_status(args.get("status")),
        due_from=args.get("due_from"),
        due_to=args.get("due_to"),
        overdue=args["overdue"],
        sort=args["sort"],
        descending=args["order"] == "desc",
        page=args.get("page", 1),
        per_page=args.get("per_page", 1),
        person_id=args.get("person_id"),
        **{name: args.get(name) for name in ID_FILTERS},
    )


@blp.route("/export")
class ActionsExport(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Ekspor tindak lanjut (CSV/XLSX)",
        description="Semua tindak lanjut yang cocok dengan saringan dan urutan yang sama "
        "dengan daftar, tanpa halaman. CSV UTF-8 dengan BOM dan `;`; judul kolom dalam "
        "bahasa pembaca (Accept-Language). Teks yang diawali = + - @ diberi tanda '.",
        responses={
            "200": {
                "description": "Berkas lampiran.",
                "content": {MIMETYPES[fmt].split(";")[0]: {"schema": FILE} for fmt in MIMETYPES},
            }
        },
    )
    @blp.arguments(s.ActionExportArgs, location="query")
    @problems(blp, 401, 422)
    def get(self, args: dict[str, Any]) -> Response:
        return exports.download(_actor(), _tracker_query(args), args["format"])


@blp.route("/<int:id>")
class ActionItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Satu tindak lanjut", description="Dengan riwayat lengkap dan bukti.")
    @blp.response(200, s.ActionDetailSchema)
    @problems(blp, 401, 404)
    def get(self, id: int) -> Action:
        return queries.get_action(_actor(), id)

    @requires(Permission.ACTION_UPDATE)
    @blp.doc(
        summary="Ubah status atau tenggat",
        description="`status`: langkah alur (open → in_progress → done → verified, atau "
        "dropped dengan `reason`); verified dan dropped hanya oleh sekretariat. `due_on`: "
        "tenggat baru dengan `reason` (sekretariat); tenggat semula disimpan. Satu "
        "perubahan per permintaan.",
    )
    @blp.arguments(s.ActionPatchSchema)
    @blp.response(200, s.ActionDetailSchema)
    @problems(blp, 400, 401, 403, 404, 409, 422)
    def patch(self, data: dict[str, Any], id: int) -> Action:
        action = queries.get_action(_actor(), id)
        if "status" in data and "due_on" in data:
            message = _l("Ubah status atau tenggat, satu per permintaan.")
            raise ValidationError(message, errors={"due_on": [message]})
        if "due_on" in data:
            services.change_due(_actor(), action, data)
        else:
            services.change_status(_actor(), action, data)
        return action


@blp.route("/<int:id>/updates")
class ActionUpdates(MethodView):
    @requires(Permission.ACTION_UPDATE)
    @body_limit(upload_limit)
    @blp.doc(
        summary="Laporkan perkembangan",
        description="multipart/form-data: catatan, persentase (0–100) atau tonggak, "
        "status, dan berkas `evidence` (PDF, PNG, JPEG, XLSX, DOCX; diperiksa dari isinya).",
    )
    @blp.arguments(s.UpdateMultipartSchema, location="files")
    @blp.response(201, s.ActionUpdateSchema)
    @problems(blp, 400, 401, 403, 404, 409, 413, 422)
    def post(self, files: dict[str, Any], id: int) -> Any:
        action = queries.get_action(_actor(), id)
        data = ApiBlueprint.ARGUMENTS_PARSER.parse(s.UpdateFormSchema(), location="form")
        uploads = [services.read_upload(f.stream, f.filename) for f in files.get("evidence", [])]
        row: ActionUpdate = services.add_update(_actor(), action, data, uploads)
        return row, 201, {"Location": url_for("actions_api.ActionItem", id=action.id)}


@blp.route("/<int:id>/evidence/<int:evidence_id>")
class ActionEvidenceFile(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Berkas bukti", description="Sebagai lampiran (attachment).")
    @blp.response(200, FILE, content_type="application/octet-stream")
    @problems(blp, 401, 404)
    def get(self, id: int, evidence_id: int) -> Response:
        return file_response(queries.get_evidence(_actor(), id, evidence_id))


# --- standing agency links -------------------------------------------------------------


def _organization(org_id: int) -> Organization:
    found = db.session.get(Organization, org_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


# An organization's standing links, newest first unless another sort is asked.
LINK_SORTS: dict[str, Any] = {
    "created_at": lambda link: (link.created_at, link.id),
    "label": lambda link: link.label,
    "last_used_at": lambda link: link.last_used_at,
    "update_count": lambda link: link.update_count,
}
AgencyLinkListArgs = page_args_schema("AgencyLink", list(LINK_SORTS), "created_at", order="desc")


@blp.route("/agency-links/<int:org_id>")
class AgencyLinks(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Tautan tetap instansi",
        description="Daftar tautan tetap tindak lanjut sebuah instansi, tanpa tokennya; "
        "per halaman, bawaan terbaru dulu.",
    )
    @blp.arguments(AgencyLinkListArgs, location="query")
    @blp.response(200, page_schema(s.AgencyLinkSchema))
    @problems(blp, 401, 403, 404, 422)
    def get(self, args: dict[str, Any], org_id: int) -> Page[AgencyLink]:
        return page_of(agency.links_of(_actor(), _organization(org_id).id), args, LINK_SORTS)

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Buat tautan tetap instansi",
        description="Untuk kepala instansi: semua tindak lanjut instansi tanpa akun. Token "
        "dan alamatnya hanya ada dalam jawaban ini (yang disimpan hanya hash-nya).",
    )
    @blp.arguments(s.AgencyLinkNewSchema)
    @blp.response(201, s.AgencyLinkIssuedSchema)
    @problems(blp, 400, 401, 403, 404, 422)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        link, token = agency.issue(_actor(), _organization(org_id), data.get("label"))
        url = links.absolute(url_for("portal.agency_page", agency_token=token))
        fields = s.AgencyLinkSchema().fields
        body = {name: getattr(link, name) for name in fields} | {"token": token, "url": url}
        return body, 201, {"Cache-Control": "no-store"}


@blp.route("/agency-links/<int:org_id>/<int:link_id>/revoke")
class AgencyLinkRevoke(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Cabut tautan tetap", description="Tautan langsung tidak berlaku (404).")
    @blp.response(200, s.AgencyLinkSchema)
    @problems(blp, 401, 403, 404)
    def post(self, org_id: int, link_id: int) -> AgencyLink:
        return agency.revoke(_actor(), agency.get_link(org_id, link_id))


blueprints = [blp]
