"""Request and response shapes of the documents API (documented in OpenAPI).

Request schemas only declare types; every rule (who may edit, which version, a deadline
in the future, the parties of an agreement) stays in the services, so a refusal reads
the same through the page and the API. A document is shown to one reader at a time:
download links go through the reader's own door (login or personal link) and comments
are listed in full only for those who may edit, as on the page; :func:`document_view`
prepares that before the schema dumps it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from werkzeug.datastructures import CombinedMultiDict

from meetcoord.access.actors import Actor
from meetcoord.api.schemas import (
    ApiBlueprint,
    ApiSchema,
    Bool,
    File,
    Int,
    QueryInt,
    Text,
    choice_of,
)
from meetcoord.checkin.schemas import Moment
from meetcoord.documents.models import (
    Document,
    DocumentComment,
    DocumentKind,
    DocumentStatus,
    RenderState,
    SignatureFactor,
)
from meetcoord.documents.verify.verdict import VERDICTS
from meetcoord.documents.verify.verification import Verification
from meetcoord.documents.views_support import capabilities

KINDS = [kind.value for kind in DocumentKind]
STATUSES = [status.value for status in DocumentStatus]
# An addendum is made from the signed minutes it corrects (``…/addenda``), not from here.
CREATABLE = [k.value for k in DocumentKind if k is not DocumentKind.ADDENDUM]
INVALID = _l("Nilai tidak valid.")


def _one_of(values: list[str], **kwargs: Any) -> Text:
    return choice_of(values, validate=validate.OneOf(values, error=INVALID), **kwargs)


# --- requests ---------------------------------------------------------------------------


class _MultipartParser(type(ApiBlueprint.ARGUMENTS_PARSER)):  # type: ignore[misc]
    """Adds ``multipart``: form fields and files in one schema.

    webargs reads ``form`` and ``files`` apart, and flask-smorest documents one request body
    per operation, so a file with its passphrase needs a location of its own.
    """

    __location_map__ = {
        **type(ApiBlueprint.ARGUMENTS_PARSER).__location_map__,
        "multipart": "load_multipart",
    }

    def load_multipart(self, req: Any, schema: Any) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class MultipartBlueprint(ApiBlueprint):
    """Parses and documents ``location="multipart"`` as one multipart/form-data body."""

    ARGUMENTS_PARSER = _MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **ApiBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


class DocumentListArgs(ApiSchema):
    kind = _one_of(KINDS)
    status = _one_of(STATUSES)
    page = QueryInt(load_default=1, validate=validate.Range(min=1, error=_l("Paling kecil 1.")))
    per_page = QueryInt(
        load_default=lambda: int(current_app.config.get("PAGE_SIZE", 25)),
        validate=validate.Range(min=1, max=200, error=_l("Antara 1 dan 200.")),
    )


class DocumentCreateSchema(ApiSchema):
    kind = _one_of(CREATABLE, required=True)
    parties = fields.List(
        Int(),
        metadata={
            "description": "Berita acara: id undangan wakil tiap instansi, urut tanda tangan."
        },
    )
    points = fields.List(
        Text(),
        metadata={"description": "Berita acara: butir kesepakatan (bawaan: keputusan rapat)."},
    )


class DocumentPatchSchema(ApiSchema):
    """One body for every kind; the fields that do not belong to the kind are refused."""

    version = Int(required=True, metadata={"description": "Versi yang diubah; basi → 409."})
    notes = fields.Dict(
        keys=fields.String(),
        values=Text(),
        metadata={"description": 'Notulen: catatan per nomor agenda, mis. {"1": "..."}.'},
    )
    refresh = Bool(metadata={"description": "Notulen: ambil ulang keputusan, tindak lanjut."})
    corrections = fields.List(Text(), metadata={"description": "Adendum: butir koreksi."})
    points = fields.List(Text(), metadata={"description": "Berita acara: butir kesepakatan."})
    parties = fields.List(Int(), metadata={"description": "Berita acara: id undangan para pihak."})


class CirculateSchema(ApiSchema):
    deadline = Moment(
        required=True,
        metadata={"description": "Batas komentar, ISO 8601 dengan zona (offset) wajib."},
    )


class FinaliseSchema(ApiSchema):
    version = Int(required=True, metadata={"description": "Versi yang difinalkan; basi → 409."})
    early_close = Text(
        allow_none=True,
        metadata={
            "description": "Notulen yang diedarkan, sebelum batas komentar dan belum semua "
            "peserta menanggapi: alasan sekretariat menutup masa komentar lebih awal "
            "(dicatat di riwayat). Tanpa alasan → 409."
        },
    )


class AddendumCreateSchema(ApiSchema):
    corrections = fields.List(Text(), required=True, metadata={"description": "Butir koreksi."})


class NewCommentSchema(ApiSchema):
    body = Text(required=True)
    section = Text(allow_none=True, metadata={"description": "Bagian, mis. 'Agenda 2'."})


class SignSchema(ApiSchema):
    """One second factor: ``code`` (mailed by ``sign-code``) or ``certificate``."""

    code = Text(
        metadata={
            "description": "Kode 6 angka yang dikirim ke surel penanda tangan (POST "
            "…/sign-code); CA instansi lalu menerbitkan sertifikat untuk tanda tangan ini."
        }
    )
    certificate = File(
        metadata={
            "description": "Atau: berkas PKCS#12 (.p12/.pfx) Anda sendiri, paling besar 64 KB, "
            "dibaca di memori saja; harus berantai ke CA yang dipercaya dan atas nama Anda."
        }
    )
    passphrase = Text(metadata={"description": "Kata sandi berkas PKCS#12."})


class PdfArgs(ApiSchema):
    revision = QueryInt(
        validate=validate.Range(min=0, error=INVALID),
        metadata={"description": "0 = belum ditandatangani; bawaan: revisi terbaru."},
    )


class VerifyUploadSchema(ApiSchema):
    file = File(required=True, metadata={"description": "Berkas PDF yang diperiksa."})


# --- responses --------------------------------------------------------------------------


class CodeSentSchema(ApiSchema):
    sent_to = fields.String(
        attribute="to", metadata={"description": "Alamat surel tujuan kode, disamarkan."}
    )
    expires_at = fields.DateTime(metadata={"description": "Kode berlaku sampai (UTC)."})


class SignatorySchema(ApiSchema):
    position = fields.Integer()
    role = fields.String()
    role_label = fields.String()
    name = fields.String()
    organization = fields.String(allow_none=True)
    signed_at = fields.DateTime(allow_none=True)
    issuer = fields.String(attribute="certificate_issuer", allow_none=True)
    key_source = fields.String(allow_none=True, metadata={"enum": ["ca", "pkcs12", None]})
    factor = fields.String(
        allow_none=True,
        metadata={
            "enum": [*(f.value for f in SignatureFactor), None],
            "description": "Faktor kedua: kode sekali pakai ke surel, atau sertifikat sendiri.",
        },
    )


class DocumentFileSchema(ApiSchema):
    revision = fields.Integer(metadata={"description": "0 = belum ditandatangani."})
    sha256 = fields.String()
    size = fields.Integer()
    pages = fields.Integer()
    created_at = fields.DateTime()
    url = fields.String(metadata={"description": "Unduh PDF lewat pintu yang sama."})


class DocumentCommentSchema(ApiSchema):
    id = fields.Integer()
    author = fields.String()
    section = fields.String(allow_none=True)
    body = fields.String()
    created_at = fields.DateTime()


class DocumentStepSchema(ApiSchema):
    at = fields.DateTime()
    step = fields.String()
    actor = fields.String()
    detail = fields.Dict(allow_none=True)


class DocumentCapabilitiesSchema(ApiSchema):
    """What this reader may do now (the same rules as the buttons on the page)."""

    edit = fields.Boolean()
    edit_agreement = fields.Boolean()
    circulate = fields.Boolean()
    finalise = fields.Boolean()
    close_early = fields.Boolean(
        metadata={"description": "Finalkan sekarang hanya dengan alasan `early_close`."}
    )
    comment = fields.Boolean()
    no_comment = fields.Boolean(metadata={"description": "Boleh menyatakan tidak ada tanggapan."})
    read_comments = fields.Boolean()
    sign = fields.Boolean()
    addendum = fields.Boolean()
    rerender = fields.Boolean()


class DocumentSummarySchema(ApiSchema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    institution_id = fields.Integer(metadata={"description": "Lembaga pemilik (dari rapatnya)."})
    kind = fields.String(metadata={"enum": KINDS})
    status = fields.String(metadata={"enum": STATUSES})
    title = fields.String()
    number = fields.String(allow_none=True)
    parent_id = fields.Integer(allow_none=True)
    version = fields.Integer()
    verify_code = fields.String(
        allow_none=True, metadata={"description": "Hash isi beku; /verify/{hash} di QR."}
    )
    sha256 = fields.String(allow_none=True, metadata={"description": "Berkas terbaru."})
    render_state = fields.String(metadata={"enum": [state.value for state in RenderState]})
    comment_deadline_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DocumentSchema(DocumentSummarySchema):
    render_error = fields.String(allow_none=True)
    circulated_at = fields.DateTime(allow_none=True)
    finalised_at = fields.DateTime(allow_none=True)
    signed_at = fields.DateTime(allow_none=True)
    distributed_at = fields.DateTime(allow_none=True)
    content = fields.Dict(metadata={"description": "Isi yang dicetak (snapshot JSON)."})
    signatories = fields.List(fields.Nested(SignatorySchema))
    files = fields.List(fields.Nested(DocumentFileSchema))
    comments = fields.List(
        fields.Nested(DocumentCommentSchema),
        metadata={"description": "Semua komentar bagi yang boleh mengubah; selain itu miliknya."},
    )
    steps = fields.List(fields.Nested(DocumentStepSchema))
    can = fields.Nested(DocumentCapabilitiesSchema)


class VerifiedDocumentSchema(ApiSchema):
    kind = fields.String(metadata={"enum": KINDS})
    title = fields.String()
    number = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": STATUSES})
    revision = fields.Integer(allow_none=True, metadata={"description": "Revisi berkas ini."})
    latest_revision = fields.Integer(allow_none=True)


class SignatureCheckSchema(ApiSchema):
    signer = fields.String(attribute="signer_name")
    role = fields.String(allow_none=True)
    signed_at = fields.DateTime(allow_none=True)
    issuer = fields.String()
    intact = fields.Boolean()
    valid = fields.Boolean()
    trusted = fields.Boolean()
    certifying = fields.Boolean()
    changes_permitted = fields.Boolean()
    ok = fields.Boolean()
    verdict = fields.String(
        metadata={
            "enum": list(VERDICTS),
            "description": "Penilaian sertifikat: modified = diubah setelah ditandatangani.",
        }
    )
    factor = fields.String(
        allow_none=True,
        metadata={"description": "Bukti penanda tangan menurut register kami (null: bukan)."},
    )


class VerificationSchema(ApiSchema):
    registered = fields.Boolean(metadata={"description": "Berkas persis ini kami terbitkan."})
    is_final = fields.Boolean(metadata={"description": "Versi terakhir, semua tanda tangan."})
    missing_signatures = fields.Integer()
    readable = fields.Boolean()
    modified = fields.Boolean(metadata={"description": "Berubah sesudah ditandatangani."})
    sha256 = fields.String(allow_none=True)
    document = fields.Nested(VerifiedDocumentSchema, allow_none=True)
    signatures = fields.List(fields.Nested(SignatureCheckSchema))


# --- views ------------------------------------------------------------------------------


@dataclass
class DocumentView:
    """A document as one reader sees it; everything not set here comes from the row."""

    document: Document
    files: list[dict[str, Any]]
    comments: list[DocumentComment]
    can: dict[str, bool]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.document, name)


def document_view(actor: Actor, document: Document, pdf_url: Callable[[int], str]) -> DocumentView:
    """``pdf_url(revision)`` names the download through the door the reader came in by."""
    can = capabilities(actor, document)
    mine = actor.invitation.id if actor.invitation is not None else None
    comments = [
        c
        for c in document.comments
        if can["read_comments"] or (mine is not None and c.invitation_id == mine)
    ]
    files = [
        {
            "revision": f.revision,
            "sha256": f.sha256,
            "size": f.size,
            "pages": f.pages,
            "created_at": f.created_at,
            "url": pdf_url(f.revision),
        }
        for f in document.files
    ]
    flags = {key: value for key, value in can.items() if isinstance(value, bool)}
    return DocumentView(document, files, comments, flags)


def verification_view(result: Verification) -> dict[str, Any]:
    """The verification page's answer as data: the register's word and the file's own."""
    report, doc, found = result.report, result.document, result.file
    document = None
    if doc is not None:
        document = {
            "kind": doc.kind.value,
            "title": doc.title,
            "number": doc.number,
            "status": doc.status.value,
            "revision": found.revision if found is not None else None,
            "latest_revision": len(doc.files) - 1 if doc.files else None,
        }
    return {
        "registered": result.registered,
        "is_final": result.is_final,
        "missing_signatures": result.missing_signatures,
        "readable": report.readable if report is not None else False,
        "modified": report.modified if report is not None else False,
        "sha256": report.sha256 if report is not None else (found.sha256 if found else None),
        "document": document,
        "signatures": [
            {
                **asdict(sig),
                "ok": sig.ok,
                "verdict": verdict,
                "factor": signer.factor.value if signer is not None and signer.factor else None,
            }
            for sig, verdict, signer in zip(
                report.signatures, result.verdicts, result.signers, strict=True
            )
        ]
        if report is not None
        else [],
    }
