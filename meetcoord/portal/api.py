"""The participant's door to the API: the personal token in the path is the credential.

A participant has no account, so this blueprint sits beside the staff API without its
authentication check (``register_public_api_blueprint``); ``portal.links`` resolves the
token (a forged or withdrawn one is a 404 that says no more than that the link is not
valid), counts every call against the personal-link budget the pages share and keeps the
answers private. Two parts: the invitation (read, answer, join online) and the meeting's
documents (read, comment, edit as minute-taker, sign). Handlers call the same services as
the pages and as the staff API: every rule and every message is the service's.
"""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import page_schema, problems
from meetcoord.checkin import selfservice
from meetcoord.checkin.schemas import StandInSchema
from meetcoord.core.errors import Conflict, NotFound
from meetcoord.core.pagination import Page
from meetcoord.core.uploads import body_limit
from meetcoord.documents import review, rules, workflow
from meetcoord.documents import schemas as s
from meetcoord.documents.api import NOT_FOUND, PDF, PUBLIC, edit, finalise
from meetcoord.documents.models import Document
from meetcoord.documents.signing import signatures
from meetcoord.documents.views import pdf_response
from meetcoord.meetings import opening
from meetcoord.meetings.invitations import nominate_stand_in, read_letter, respond
from meetcoord.meetings.models import Invitation
from meetcoord.portal.links import guard, holder
from meetcoord.portal.schemas import (
    JoinedSchema,
    ParticipantInvitationSchema,
    RsvpSchema,
)

PERSONAL_READ = (404, 429)
PERSONAL_WRITE = (400, 403, 404, 409, 422, 429)

# Multipart: signing with one's own certificate uploads it.
blp = guard(
    s.MultipartBlueprint(
        "portal_api",
        __name__,
        description="Untuk peserta tanpa akun: token tautan pribadi adalah kuncinya. "
        "Undangan (jawab, ikut daring) dan dokumen rapat (baca, komentari, ubah sebagai "
        "notulis, tanda tangani).",
    )
)


# --- the invitation ---------------------------------------------------------------------


@blp.route("/i/<token>")
@requires(Permission.LINK)
class ParticipantInvitation(MethodView):
    @blp.doc(summary="Undangan saya", description="Rapat di zona peserta.", security=PUBLIC)
    @blp.response(200, ParticipantInvitationSchema)
    @problems(blp, 404, 429)
    def get(self, token: str) -> Invitation:
        return holder(token)


@blp.route("/i/<token>/join")
@requires(Permission.LINK)
class ParticipantJoin(MethodView):
    @blp.doc(
        summary="Ikut daring",
        description="Mencatat kehadiran daring (dalam jendela registrasi) dan memberi tautan "
        "rapat daring; di luar jendela 409 dengan kapan registrasi dibuka.",
        security=PUBLIC,
    )
    @blp.response(200, JoinedSchema)
    @problems(blp, 404, 409, 429)
    def post(self, token: str) -> dict[str, Any]:
        invitation = holder(token)
        if not invitation.meeting.online_url:
            raise NotFound(_l("Rapat ini tidak punya tautan daring."))
        result = selfservice.record_online(invitation)
        if result.status == "refused":
            closed = result.reason in opening.WINDOW_REASONS
            raise (opening.OutsideCheckinWindow if closed else Conflict)(result.message)
        return {"online_url": invitation.meeting.online_url, **result.as_dict()}


@blp.route("/i/<token>/rsvp")
@requires(Permission.LINK)
class ParticipantRsvp(MethodView):
    @blp.doc(
        summary="Jawab undangan",
        description="Hadir, tidak hadir atau mungkin; boleh sekaligus pindah lokasi atau daring.",
        security=PUBLIC,
    )
    @blp.arguments(RsvpSchema)
    @blp.response(200, ParticipantInvitationSchema)
    @problems(blp, 400, 404, 409, 422, 429)
    def post(self, data: dict[str, Any], token: str) -> Invitation:
        return respond(holder(token), data)


@blp.route("/i/<token>/stand-in")
@requires(Permission.LINK)
class ParticipantStandIn(MethodView):
    @blp.doc(
        summary="Tunjuk wakil",
        description="Nama dan jabatan wakil (diwakili oleh) dengan surat tugas; yang baru "
        "menggantikan yang lama. Sama dengan formulir di halaman pribadi.",
        security=PUBLIC,
    )
    @blp.arguments(StandInSchema, location="multipart")
    @blp.response(200, ParticipantInvitationSchema)
    @problems(blp, 400, 404, 409, 413, 422, 429)
    def post(self, data: dict[str, Any], token: str) -> Invitation:
        invitation = holder(token)
        return nominate_stand_in(invitation, data, read_letter(data.get("letter")))


# --- documents ------------------------------------------------------------------------


def _load(token: str, id: int) -> tuple[Actor, Document]:
    """The link's holder and a document their personal page lists; else the same 404.

    A draft is listed to its editors only, so another attendee cannot open it by its id.
    """
    invitation = holder(token)
    document = next((d for d in rules.documents_for(invitation) if d.id == id), None)
    if document is None:
        raise NotFound(NOT_FOUND)
    return Actor(invitation=invitation), document


def _show_personal(token: str, actor: Actor, document: Document) -> s.DocumentView:
    def pdf_url(revision: int) -> str:
        return url_for("portal_api.PersonalPdf", token=token, id=document.id, revision=revision)

    return s.document_view(actor, document, pdf_url)


# The meeting's documents in the order they were made unless another sort is asked.
DOCUMENT_SORTS: dict[str, Any] = {
    "id": lambda d: d.id,
    "created_at": lambda d: (d.created_at, d.id),
    "updated_at": lambda d: (d.updated_at, d.id),
    "kind": lambda d: d.kind.value,
    "status": lambda d: d.status.value,
    "title": lambda d: d.title.casefold(),
}
PersonalDocumentListArgs = page_args_schema("PersonalDocument", list(DOCUMENT_SORTS), "id")


@blp.route("/i/<token>/documents")
@requires(Permission.LINK)
class PersonalDocuments(MethodView):
    @blp.doc(
        summary="Dokumen rapat saya",
        description="Per halaman; draf hanya bagi notulis.",
        security=PUBLIC,
    )
    @blp.arguments(PersonalDocumentListArgs, location="query")
    @blp.response(200, page_schema(s.DocumentSummarySchema))
    @problems(blp, *PERSONAL_READ, 422)
    def get(self, args: dict[str, Any], token: str) -> Page[Document]:
        return page_of(rules.documents_for(holder(token)), args, DOCUMENT_SORTS)


@blp.route("/i/<token>/documents/<int:id>")
@requires(Permission.LINK)
class PersonalDocument(MethodView):
    @blp.doc(summary="Satu dokumen (tautan pribadi)", security=PUBLIC)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *PERSONAL_READ)
    def get(self, token: str, id: int) -> s.DocumentView:
        return _show_personal(token, *_load(token, id))

    @blp.doc(
        summary="Ubah notulen (notulis)",
        description="Sama dengan PATCH /documents/{id}.",
        security=PUBLIC,
    )
    @blp.arguments(s.DocumentPatchSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *PERSONAL_WRITE)
    def patch(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        return _show_personal(token, actor, edit(actor, document, data))


@blp.route("/i/<token>/documents/<int:id>/circulate")
@requires(Permission.LINK)
class PersonalCirculate(MethodView):
    @blp.doc(summary="Edarkan notulen (notulis)", security=PUBLIC)
    @blp.arguments(s.CirculateSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        workflow.circulate(actor, document, data["deadline"])
        return _show_personal(token, actor, document)


@blp.route("/i/<token>/documents/<int:id>/finalise")
@requires(Permission.LINK)
class PersonalFinalise(MethodView):
    @blp.doc(summary="Finalkan notulen (notulis)", security=PUBLIC)
    @blp.arguments(s.FinaliseSchema)
    @blp.response(200, s.DocumentSchema)
    @problems(blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        done = finalise(actor, document, data["version"], data.get("early_close"))
        return _show_personal(token, actor, done)


@blp.route("/i/<token>/documents/<int:id>/comments")
@requires(Permission.LINK)
class PersonalComments(MethodView):
    @blp.doc(summary="Beri komentar", description="Selama notulen diedarkan.", security=PUBLIC)
    @blp.arguments(s.NewCommentSchema)
    @blp.response(201, s.DocumentSchema)
    @problems(blp, *PERSONAL_WRITE)
    def post(self, data: dict[str, Any], token: str, id: int) -> Any:
        actor, document = _load(token, id)
        workflow.add_comment(actor, document, data["body"], data.get("section"))
        return _show_personal(token, actor, document), 201


@blp.route("/i/<token>/documents/<int:id>/no-comment")
@requires(Permission.LINK)
class PersonalNoComment(MethodView):
    @blp.doc(
        summary="Tidak ada tanggapan",
        description="Menyatakan tidak ada komentar atas notulen yang diedarkan: tanggapan "
        "yang dihitung bila notulen difinalkan sebelum batas komentar.",
        security=PUBLIC,
    )
    @blp.response(200, s.DocumentSchema)
    @problems(blp, 403, 404, 409, 429)
    def post(self, token: str, id: int) -> s.DocumentView:
        actor, document = _load(token, id)
        review.no_comment(actor, document)
        return _show_personal(token, actor, document)


@blp.route("/i/<token>/documents/<int:id>/sign-code")
@requires(Permission.LINK)
class PersonalSignCode(MethodView):
    @blp.doc(
        summary="Minta kode tanda tangan",
        description="Kode sekali pakai (6 angka, 10 menit, 5 kali coba) dikirim ke alamat "
        "surel penanda tangan saja, tidak pernah dalam jawaban ini. Permintaan baru membatalkan "
        "kode sebelumnya; dibatasi per penanda tangan (429).",
        security=PUBLIC,
    )
    @blp.response(202, s.CodeSentSchema)
    @problems(blp, 403, 404, 409, 422, 429, 503)
    def post(self, token: str, id: int) -> Any:
        actor, document = _load(token, id)
        return signatures.request_code(actor, document.id)


@blp.route("/i/<token>/documents/<int:id>/sign")
@requires(Permission.LINK)
class PersonalSign(MethodView):
    @blp.doc(
        summary="Tanda tangani",
        description="Sesuai urutan penanda tangan, dengan faktor kedua: `code` dari surel "
        "(CA instansi menerbitkan sertifikat untuk tanda tangan ini) atau `certificate` "
        "PKCS#12 Anda sendiri (tidak disimpan). Tautan saja tidak cukup. 503 "
        "`signing_not_set_up`: server belum punya CA tanda tangan (operator menjalankan "
        "`meetcoord init`); dengan `code` tidak ada yang berubah.",
        security=PUBLIC,
    )
    @body_limit(lambda _args: signatures.SIGN_BODY_MAX)  # refused unread: never spooled to disk
    @blp.arguments(s.SignSchema, location="multipart")
    @blp.response(200, s.DocumentSchema)
    @problems(blp, 400, 403, 404, 409, 413, 422, 429, 503)
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


@blp.route("/i/<token>/documents/<int:id>/pdf")
@requires(Permission.LINK)
class PersonalPdf(MethodView):
    @blp.doc(summary="Unduh PDF (tautan pribadi)", security=PUBLIC)
    @blp.arguments(s.PdfArgs, location="query")
    @blp.response(200, PDF, content_type="application/pdf")
    @problems(blp, 404, 422, 429)
    def get(self, args: dict[str, Any], token: str, id: int) -> Response:
        return pdf_response(_load(token, id)[1], args.get("revision"))
