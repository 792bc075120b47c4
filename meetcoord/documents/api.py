"""Documents as JSON under ``/api/v1``: minutes, addenda, agreements, invitation letters.

Three doors, one set of services. Accounts (bearer token or session) work on a meeting's
documents; a person without an account reads, comments, edits (the minute-taker) and
signs through their personal link, whose token is the credential and which carries the
participant API's rate limit and private headers; anyone may verify a file by its hash
or by uploading it. Handlers parse, call the service the page calls, and show the
document as this reader may see it: every rule and every message is the service's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetcoord.access import scope
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.documents import agreements, invitation_letters, review, rules, steps, workflow
from meetcoord.documents import schemas as s
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.documents.signing import signatures
from meetcoord.documents.views import pdf_response
from meetcoord.meetings.invitations import invitation_by_token
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.personal_pages import personal_limit, private_headers
from meetcoord.meetings.services import get_meeting

READ = (401, 404)
WRITE = (400, 401, 403, 404, 409, 422)
PERSONAL_READ = (404, 429)
PERSONAL_WRITE = (400, 403, 404, 409, 422, 429)
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
personal_blp = s.MultipartBlueprint(
    "personal_documents_api",
    __name__,
    url_prefix="/i",
    description="Dokumen lewat tautan pribadi: baca, komentari, ubah (notulis), tanda tangani.",
)
personal_limit(personal_blp)  # one budget with the participant pages and API
personal_blp.after_request(private_headers)


# --- shared steps (both doors) -------------------------------------------------------------


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
    return scope.for_request(current_actor(), get_meeting(meeting_id, current_actor()))


def _document(document_id: int) -> Document:
    """A document of a meeting the caller may see; another institution's is not found."""
    return scope.for_request(current_actor(), rules.get_document(document_id))


def _actor() -> Actor:
    return Actor(user=current_user._get_current_object())


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


# --- personal link --------------------------------------------------------------------------


def _load(token: str, id: int) -> tuple[Actor, Document]:
    """The link's holder and a document their personal page lists; else the same 404.

    A draft is listed to its editors only, so another attendee cannot open it by its id.
    """
    invitation = invitation_by_token(token)
    document = next((d for d in rules.documents_for(invitation) if d.id == id), None)
    if document is None:
        raise NotFound(NOT_FOUND)
    return Actor(invitation=invitation), document


def _show_personal(token: str, actor: Actor, document: Document) -> s.DocumentView:
    def pdf_url(revision: int) -> str:
        return url_for(
            "personal_documents_api.PersonalPdf", token=token, id=document.id, revision=revision
        )

    return s.document_view(actor, document, pdf_url)


@personal_blp.route("/<token>/documents")
class PersonalDocuments(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Dokumen rapat saya", description="Draf hanya bagi notulis.", security=PUBLIC
    )
    @personal_blp.response(200, s.DocumentSummarySchema(many=True))
    @problems(personal_blp, *PERSONAL_READ)
    def get(self, token: str) -> list[Document]:
        return rules.documents_for(invitation_by_token(token))


@personal_blp.route("/<token>/documents/<int:id>")
class PersonalDocument(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(summary="Satu dokumen (tautan pribadi)", security=PUBLIC)
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, *PERSONAL_READ)
    def get(self, token: str, id: int) -> s.DocumentView:
        return _show_personal(token, *_load(token, id))

    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Ubah notulen (notulis)",
        description="Sama dengan PATCH /documents/{id}.",
        security=PUBLIC,
    )
    @personal_blp.arguments(s.DocumentPatchSchema)
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, *PERSONAL_WRITE)
    def patch(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        return _show_personal(token, actor, edit(actor, document, data))


@personal_blp.route("/<token>/documents/<int:id>/circulate")
class PersonalCirculate(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(summary="Edarkan notulen (notulis)", security=PUBLIC)
    @personal_blp.arguments(s.CirculateSchema)
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        workflow.circulate(actor, document, data["deadline"])
        return _show_personal(token, actor, document)


@personal_blp.route("/<token>/documents/<int:id>/finalise")
class PersonalFinalise(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(summary="Finalkan notulen (notulis)", security=PUBLIC)
    @personal_blp.arguments(s.FinaliseSchema)
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        done = finalise(actor, document, data["version"], data.get("early_close"))
        return _show_personal(token, actor, done)


@personal_blp.route("/<token>/documents/<int:id>/comments")
class PersonalComments(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Beri komentar", description="Selama notulen diedarkan.", security=PUBLIC
    )
    @personal_blp.arguments(s.NewCommentSchema)
    @personal_blp.response(201, s.DocumentSchema)
    @problems(personal_blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> Any:
        actor, document = _load(token, id)
        workflow.add_comment(actor, document, data["body"], data.get("section"))
        return _show_personal(token, actor, document), 201


@personal_blp.route("/<token>/documents/<int:id>/no-comment")
class PersonalNoComment(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Tidak ada tanggapan",
        description="Menyatakan tidak ada komentar atas notulen yang diedarkan: tanggapan "
        "yang dihitung bila notulen difinalkan sebelum batas komentar.",
        security=PUBLIC,
    )
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, 403, 404, 409, 429)
    def post(self, token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        review.no_comment(actor, document)
        return _show_personal(token, actor, document)


@personal_blp.route("/<token>/documents/<int:id>/sign-code")
class PersonalSignCode(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Minta kode tanda tangan",
        description="Kode sekali pakai (6 angka, 10 menit, 5 kali coba) dikirim ke alamat "
        "surel penanda tangan saja, tidak pernah dalam jawaban ini. Permintaan baru membatalkan "
        "kode sebelumnya; dibatasi per penanda tangan (429).",
        security=PUBLIC,
    )
    @personal_blp.response(202, s.CodeSentSchema)
    @problems(personal_blp, 403, 404, 409, 422, 429)
    def post(self, token: str, id: int) -> Any:
        actor, document = _load(token, id)
        return signatures.request_code(actor, document.id)


@personal_blp.route("/<token>/documents/<int:id>/sign")
class PersonalSign(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(
        summary="Tanda tangani",
        description="Sesuai urutan penanda tangan, dengan faktor kedua: `code` dari surel "
        "(CA instansi menerbitkan sertifikat untuk tanda tangan ini) atau `certificate` "
        "PKCS#12 Anda sendiri (tidak disimpan). Tautan saja tidak cukup.",
        security=PUBLIC,
    )
    @body_limit(lambda _args: signatures.SIGN_BODY_MAX)  # refused unread: never spooled to disk
    @personal_blp.arguments(s.SignSchema, location="multipart")
    @personal_blp.response(200, s.DocumentSchema)
    @problems(personal_blp, 400, 403, 404, 409, 413, 422, 429)
    def post(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        upload = data.get("certificate")
        if upload is not None:
            pkcs12 = signatures.read_certificate(upload.stream)
            passphrase = data.get("passphrase", "")
            signed = signatures.sign(actor, document.id, pkcs12=pkcs12, passphrase=passphrase)
        else:
            signed = signatures.sign(actor, document.id, code=data.get("code"))
        return _show_personal(token, actor, signed)


@personal_blp.route("/<token>/documents/<int:id>/pdf")
class PersonalPdf(MethodView):
    @requires(Permission.LINK)
    @personal_blp.doc(summary="Unduh PDF (tautan pribadi)", security=PUBLIC)
    @personal_blp.arguments(s.PdfArgs, location="query")
    @personal_blp.response(200, PDF, content_type="application/pdf")
    @problems(personal_blp, 404, 422, 429)
    def get(self, args: dict[str, Any], token: str, id: int) -> Response:
        return pdf_response(_load(token, id)[1], args.get("revision"))


blueprints = [blp]
public_blueprints = [personal_blp]
