"""The agency's follow-up actions as JSON: the twin of ``portal.agency_views``.

``/api/v1/i/<token>/actions`` (the responsible person's personal link: their agency's
actions) and ``/api/v1/a/<agency_token>/actions`` (a standing agency link): the list, and
a progress update or a step up to done with evidence files, and the agency's own evidence
files to download (served as the staff tracker serves them). The token in the path is the
credential; the blueprint shares the personal-link budget and private headers
(``portal.links.guard``) and every rule is ``actions.agency``'s and ``actions.services``'.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from meetcoord.access import resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.actions import agency, services
from meetcoord.actions import schemas as s
from meetcoord.actions.models import Action
from meetcoord.actions.views import file_response, upload_limit
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.documents.api import PUBLIC
from meetcoord.portal.links import guard

blp = guard(
    ApiBlueprint(
        "portal_agency_api",
        __name__,
        description="Tindak lanjut instansi tanpa akun: lewat tautan pribadi penanggung "
        "jawab atau tautan tetap instansi. Status hanya sampai selesai.",
    )
)

READ = (404, 429)
LIST = (404, 422, 429)
FILE = {"type": "string", "format": "binary"}
FILE_DOC = "Sebagai lampiran (attachment). Bukti tindak lanjut instansi lain: 404."
WRITE = (400, 404, 409, 413, 422, 429)
UPDATE_DOC = (
    "multipart/form-data: catatan, persentase (0–100) atau tonggak, `status` "
    "(in_progress atau done saja) dan berkas `evidence` (PDF, PNG, JPEG, XLSX, DOCX; "
    "diperiksa dari isinya). Tindak lanjut instansi lain: 404."
)


# The agency's actions by due date (none last), as the tracker lists them, unless another
# sort is asked.
AGENCY_ACTION_SORTS: dict[str, Any] = {
    "due_on": lambda a: None if a.due_on is None else (a.due_on, a.id),
    "status": lambda a: a.status.value,
    "meeting": lambda a: (a.meeting.start_at, a.id),
    "title": lambda a: a.title.casefold(),
}
AgencyActionListArgs = page_args_schema("AgencyAction", list(AGENCY_ACTION_SORTS), "due_on")


def _update(actor: Actor, id: int, files: dict[str, Any]) -> Action:
    action = agency.action_of(actor, id)
    data = ApiBlueprint.ARGUMENTS_PARSER.parse(s.UpdateFormSchema(), location="form")
    uploads = [services.read_upload(f.stream, f.filename) for f in files.get("evidence", [])]
    agency.update(actor, action, data, uploads)
    return action


@blp.route("/i/<token>/actions")
@requires(Permission.AGENCY_ACTIONS)
class PersonalAgencyActions(MethodView):
    @blp.doc(
        summary="Tindak lanjut instansi saya (tautan pribadi)",
        description="Tindak lanjut instansi penanggung jawab dari semua rapat, per halaman; "
        "bawaan urut tenggat (tanpa tenggat terakhir).",
        security=PUBLIC,
    )
    @blp.arguments(AgencyActionListArgs, location="query")
    @blp.response(200, page_schema(s.AgencyActionSchema))
    @problems(blp, *LIST)
    def get(self, args: dict[str, Any], token: str) -> Page[Action]:
        return page_of(agency.actions_of(resolve.agency_view(token)), args, AGENCY_ACTION_SORTS)


@blp.route("/i/<token>/actions/<int:id>/updates")
@requires(Permission.AGENCY_ACTIONS)
class PersonalAgencyUpdate(MethodView):
    @body_limit(upload_limit)
    @blp.doc(
        summary="Laporkan perkembangan (tautan pribadi)", description=UPDATE_DOC, security=PUBLIC
    )
    @blp.arguments(s.UpdateMultipartSchema, location="files")
    @blp.response(200, s.ActionSchema)
    @problems(blp, *WRITE)
    def post(self, files: dict[str, Any], token: str, id: int) -> Action:
        return _update(resolve.agency_view(token), id, files)


@blp.route("/a/<agency_token>/actions")
@requires(Permission.AGENCY_ACTIONS)
class StandingAgencyActions(MethodView):
    @blp.doc(
        summary="Tindak lanjut instansi (tautan tetap)",
        description="Tindak lanjut instansi pemegang tautan tetap, per halaman; bawaan urut "
        "tenggat (tanpa tenggat terakhir).",
        security=PUBLIC,
    )
    @blp.arguments(AgencyActionListArgs, location="query")
    @blp.response(200, page_schema(s.AgencyActionSchema))
    @problems(blp, *LIST)
    def get(self, args: dict[str, Any], agency_token: str) -> Page[Action]:
        actions = agency.actions_of(resolve.agency_link(agency_token))
        return page_of(actions, args, AGENCY_ACTION_SORTS)


@blp.route("/a/<agency_token>/actions/<int:id>/updates")
@requires(Permission.AGENCY_ACTIONS)
class StandingAgencyUpdate(MethodView):
    @body_limit(upload_limit)
    @blp.doc(
        summary="Laporkan perkembangan (tautan tetap)", description=UPDATE_DOC, security=PUBLIC
    )
    @blp.arguments(s.UpdateMultipartSchema, location="files")
    @blp.response(200, s.ActionSchema)
    @problems(blp, *WRITE)
    def post(self, files: dict[str, Any], agency_token: str, id: int) -> Action:
        return _update(resolve.agency_link(agency_token), id, files)


@blp.route("/i/<token>/actions/<int:id>/evidence/<int:evidence_id>")
@requires(Permission.AGENCY_ACTIONS)
class PersonalAgencyEvidence(MethodView):
    @blp.doc(summary="Berkas bukti (tautan pribadi)", description=FILE_DOC, security=PUBLIC)
    @blp.response(200, FILE, content_type="application/octet-stream")
    @problems(blp, *READ)
    def get(self, token: str, id: int, evidence_id: int) -> Response:
        return file_response(agency.evidence_of(resolve.agency_view(token), id, evidence_id))


@blp.route("/a/<agency_token>/actions/<int:id>/evidence/<int:evidence_id>")
@requires(Permission.AGENCY_ACTIONS)
class StandingAgencyEvidence(MethodView):
    @blp.doc(summary="Berkas bukti (tautan tetap)", description=FILE_DOC, security=PUBLIC)
    @blp.response(200, FILE, content_type="application/octet-stream")
    @problems(blp, *READ)
    def get(self, agency_token: str, id: int, evidence_id: int) -> Response:
        actor = resolve.agency_link(agency_token)
        return file_response(agency.evidence_of(actor, id, evidence_id))
