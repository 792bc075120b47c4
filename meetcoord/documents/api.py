"""Documents as JSON under ``/api/v1``: minutes, addenda, agreements, invitation letters.

Three doors, one set of services. Accounts (bearer token or session) work on a meeting's
documents here; a person without an account reads, comments, edits (the minute-taker) and
signs through their personal link (``portal.api``, which shares the steps below); anyone
may verify a file by its hash or by uploading it (``api_verify``). Handlers parse, call the
service the page calls, and show the document as this reader may see it: every rule and
every message is the service's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.documents import agreements, invitation_letters, rules, steps, workflow
from meetcoord.documents import schemas as s
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.documents.views import pdf_response
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.services import get_meeting

READ = (401, 404)
WRITE = (400, 401, 403, 404, 409, 422)
PUBLIC = [{}]  # OpenAPI: no security scheme; the token in the path is the secret
LOCATION_HEADER = {
    "Location": {"description": "URL data yang baru dibuat.", "schema": {"type": "string"}}
}
PDF = {"type": "string", "format": "binary"}
NOT_FOUND = _l("Dokumen tidak ditemukan.")
UNKNOWN_FIELD = _l("Kolom tidak dikenal.")


blp = ApiBlueprint(
    "documents_api",
    __name__,
    description="Dokumen rapat: notulen, adendum, berita acara kesepakatan, surat undangan.",
)


# --- shared steps (with the portal's door) ----------------------------------------------


def _only(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse fields that belong to another kind of document, rather than ignore them."""
    extra = sorted(set(data) - allowed)
    if extra:
        message = _l("Data yang dikirim tidak valid.")
        raise ValidationError(message, errors={name: [UNKNOWN_FIELD] for name in extra})


def edit(actor: Actor, document: Document, data: dict[str, Any]) -> Document:
    allowed = steps.editable_fields(document)
    if allowed:
        _only(data, allowed)
    return steps.edit(actor, document, data)


finalise = steps.finalise


# --- accounts -------------------------------------------------------------------------------


def _meeting(meeting_id: int) -> Meeting:
    """A meeting the caller may see (and, to change its documents, work on)."""
    return permissions.for_request(current_actor(), get_meeting(meeting_id, current_actor()))


def _document(document_id: int) -> Document:
    """A document of a meeting the caller may see; another institution's is not found."""
    return permissions.for_request(current_actor(), rules.get_document(document_id))


def _actor() -> Actor:
    return resolve.current()


def _show(document: Document, status: int = 200) -> tuple[s.DocumentView, int]:
    def pdf_url(revision: int) -> str:
        return url_for("documents_api.DocumentPdf", id=document.id, revision=revision)

    return s.document_view(_actor(), document, pdf_url), status


@blp.route("/meetings/<int:id>/documents")
class MeetingDocuments(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Dokumen rapat", description="Urut pembuatan; saring jenis dan status.")
    @blp.arguments(s.DocumentListArgs, location="query")
    @blp.response(200, page_schema(s.DocumentSummarySchema))
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[Document]:
        found = [
            d
            for d in rules.meeting_documents(_meeting(id))
            if args.get("kind") in (None, d.kind.value)
            and args.get("status") in (None, d.status.value)
        ]
        per_page = args["per_page"]
        page = min(args["page"], max(1, -(-len(found) // per_page)))
        items = found[(page - 1) * per_page : page * per_page]
        return Page(items=items, page=page, per_page=per_page, total=len(found))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Buat dokumen",
        description="Notulen (rapat sudah ditutup), berita acara (`parties`, `points`) atau "
        "surat undangan (langsung bernomor dan final).",
    )
    @blp.arguments(s.DocumentCreateSchema)
    @blp.response(201, s.DocumentSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> Any:
        meeting, actor, kind = (
            _meeting(id),
            _actor(),
            data.pop("kind"),
        )
        document = _create(actor, meeting, kind, data)
        view, status = _show(document, 201)
        return view, status, {"Location": url_for("documents_api.DocumentItem", id=document.id)}


def _create(actor: Actor, meeting: Meeting, kind: str, data: dict[str, Any]) -> Document:
    if kind == DocumentKind.AGREEMENT.value:
        _only(data, frozenset({"parties", "points"}))
        return agreements.create_agreement(actor, meeting, data.get("parties"), data.get("points"))
    _only(data, frozenset())
    if kind == DocumentKind.MINUTES.value:
        return workflow.start_minutes(actor, meeting)
    return invitation_letters.issue_invitation_letter(actor, meeting)


@blp.route("/documents/<int:id>")
class DocumentItem(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(
        summary="Satu dokumen",
        description="Status, versi, hash, penanda tangan, berkas per revisi, langkah; "
        "komentar bagi yang boleh mengubah.",
    )
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *READ)
    def get(self, id: int) -> Any:
        return _show(_document(id))

    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(
        summary="Ubah dokumen",
        description="Notulen: `notes`, `refresh`; adendum: `corrections`; berita acara: "
        "`points`, `parties`. `version` wajib: versi basi → 409.",
    )
    @blp.arguments(s.DocumentPatchSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *WRITE)
    def patch(self, data: dict[str, Any], id: int) -> Any:
        return _show(edit(_actor(), _document(id), data))


@blp.route("/documents/<int:id>/circulate")
class DocumentCirculate(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Edarkan notulen", description="Peserta berkomentar sampai batas waktu.")
    @blp.arguments(s.CirculateSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> Any:
        document = _document(id)
        workflow.circulate(_actor(), document, data["deadline"])
        return _show(document)


@blp.route("/documents/<int:id>/finalise")
class DocumentFinalise(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Finalkan dokumen", description="Isi dibekukan; PDF disusun di latar.")
    @blp.arguments(s.FinaliseSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> Any:
        document = _document(id)
        return _show(finalise(_actor(), document, data["version"], data.get("early_close")))


@blp.route("/documents/<int:id>/addenda")
class DocumentAddenda(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Buat adendum", description="Koreksi notulen yang sudah ditandatangani.")
    @blp.arguments(s.AddendumCreateSchema)
    @blp.response(201, s.DocumentSchema, headers=LOCATION_HEADER)
    @problems(blp, *WRITE)
    def post(self, data: dict[str, Any], id: int) -> Any:
        original = _document(id)
        addendum = workflow.create_addendum(_actor(), original, data["corrections"])
        view, status = _show(addendum, 201)
        return view, status, {"Location": url_for("documents_api.DocumentItem", id=addendum.id)}


@blp.route("/documents/<int:id>/render")
class DocumentRender(MethodView):
    @requires(Permission.MEETING_ARRANGE)
    @blp.doc(summary="Susun ulang PDF", description="Setelah penyusunan gagal (sekretariat).")
    @blp.response(202, s.DocumentSchema)
    @problems(blp, *WRITE)
    def post(self, id: int) -> Any:
        return _show(workflow.request_render(_actor(), _document(id)), 202)


@blp.route("/documents/<int:id>/pdf")
class DocumentPdf(MethodView):
    @requires(Permission.MEETING_VIEW)
    @blp.doc(summary="Unduh PDF", description="Bawaan: revisi terbaru; `revision=0` tanpa tanda.")
    @blp.arguments(s.PdfArgs, location="query")
    @blp.response(200, PDF, content_type="application/pdf")
    @problems(blp, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Response:
        return pdf_response(_document(id), args.get("revision"))


blueprints = [blp]
