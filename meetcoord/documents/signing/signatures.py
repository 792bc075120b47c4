"""Signing a frozen document in order, and distributing it once the last signature is in.

A signatory signs through their personal link: the chair first (certifying), then the
minute-taker, or each party of an agreement in turn. The link alone never signs (issue
11): the signatory also proves who they are with a second factor, recorded on their row
and in the document's history —

- a one-time code mailed to their own address (``documents.signing.codes``); the key is then a
  certificate our CA issues for this one signing; or
- their own PKCS#12 file, opened in memory for this call only (the bytes and passphrase
  live in local variables and are never written), whose certificate must chain to a
  trusted root and name the signatory (``documents.signing.trust``).

The signature itself (~0.1 s of CPU) runs off the green-thread hub and outside any
database transaction. Before the new file is kept, the document row is locked and its
current file hash compared with the one that was signed: two signatories pressing at the
same moment cannot both extend the same revision, and nothing is kept from a refusal.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, BinaryIO

from cryptography import x509
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord import webhooks
from meetcoord.access.actors import Actor
from meetcoord.access.institutions import letterhead_for
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ServiceError, ValidationError
from meetcoord.core.offload import off_hub
from meetcoord.documents.agreements import check_party_present
from meetcoord.documents.jobs import register_file
from meetcoord.documents.mailing import queue_distribution
from meetcoord.documents.models import (
    Document,
    DocumentFile,
    DocumentSignatory,
    DocumentStatus,
    RenderState,
    SignatureFactor,
)
from meetcoord.documents.rules import get_document, log_step
from meetcoord.documents.signing import codes, signing, trust
from meetcoord.documents.signing.ca import CAError, CertificateAuthority, common_name, load_ca
from meetcoord.extensions import db

log = logging.getLogger("meetcoord.documents")

LOCATION_DEFAULT = "Indonesia"
PKCS12_MAX = 64 * 1024  # far below werkzeug's 500 KB spool: an upload never touches disk
# A whole sign request: the certificate, the passphrase, the CSRF token and the framing.
# ``core.uploads.body_limit`` refuses a larger one before anything parses it.
SIGN_BODY_MAX = PKCS12_MAX + 16 * 1024
CERTIFICATE_REQUIRED = _l("Pilih berkas sertifikat PKCS#12 (.p12/.pfx) Anda, paling besar 64 KB.")
FILENAMES = {
    "minutes": "notulen",
    "addendum": "adendum-notulen",
    "agreement": "berita-acara-kesepakatan",
    "invitation_letter": "surat-undangan",
}


class SigningNotSetUp(ServiceError):
    """The server has no usable signing CA (``meetcoord init`` not run, or its passphrase
    missing): a fault of the deployment, not of the signatory — 503, and nothing changed."""

    status = 503
    code = "signing_not_set_up"


NOT_SET_UP = _l(
    "Penandatanganan belum disiapkan di server ini: operator harus menjalankan "
    "`meetcoord init`. Tidak ada yang berubah; coba lagi setelah itu."
)


def filename(document: Document) -> str:
    return f"{FILENAMES.get(document.kind.value, 'dokumen')}-{document.meeting_id}.pdf"


def read_certificate(stream: BinaryIO | None) -> bytes:
    """The uploaded PKCS#12 file, at most ``PKCS12_MAX`` bytes, read into memory only."""
    data = stream.read(PKCS12_MAX + 1) if stream is not None else b""
    if not data or len(data) > PKCS12_MAX:
        raise ValidationError(CERTIFICATE_REQUIRED, errors={"certificate": [CERTIFICATE_REQUIRED]})
    return data


def signatory_for(actor: Actor, document: Document) -> DocumentSignatory:
    """The actor's place among the required signatories, or a refusal that says why."""
    inv = actor.invitation
    mine = next(
        (s for s in document.signatories if inv is not None and s.invitation_id == inv.id), None
    )
    if mine is None or inv is None or inv.withdrawn_at is not None:
        raise PermissionDenied(
            _l("Anda bukan penanda tangan yang diminta untuk dokumen ini."),
        )
    return mine


def check_signable(document: Document) -> None:
    if document.status is not DocumentStatus.FINAL:
        if document.status in (DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED):
            raise Conflict(_l("Dokumen ini sudah ditandatangani lengkap."))
        raise Conflict(_l("Dokumen belum final; tanda tangan menunggu finalisasi."))


def check_turn(document: Document, mine: DocumentSignatory) -> None:
    if document.render_state is not RenderState.READY or document.current_file is None:
        raise Conflict(_l("Berkas PDF masih disiapkan. Coba lagi sebentar lagi."))
    if mine.signed_at is not None:
        raise Conflict(_l("Anda sudah menandatangani dokumen ini."))
    waiting = document.next_signatory
    if waiting is not None and waiting.id != mine.id:
        raise Conflict(
            _l(
                "Belum giliran Anda: menunggu tanda tangan %(name)s (%(role)s) lebih dulu.",
                name=waiting.name,
                role=waiting.role_label,
            )
        )


def _own_key(
    signatory_name: str, pkcs12: bytes, passphrase: str | None, now: datetime | None
) -> signing.SignerKey:
    """The signatory's own certificate: opened (in the sandbox), in date, trusted, and in
    their name. Called after the read transaction ended: nothing here touches the database.
    """
    from meetcoord.documents.verify.verification import trust_roots

    if not pkcs12:
        raise ValidationError(
            _l("Berkas sertifikat kosong."), errors={"certificate": [_l("Berkas kosong.")]}
        )
    key = signing.signer_from_pkcs12(pkcs12, passphrase)
    signing.check_certificate_time(key.certificate, now)
    trust.check_own_certificate(
        key.certificate,
        list(key.signer.cert_registry),  # the chain the file itself carries
        signatory_name=signatory_name,
        roots=trust_roots(),
        moment=now,
    )
    return key


def _authority() -> CertificateAuthority:
    """The deployment's signing CA, or :class:`SigningNotSetUp` (logged for the operator).

    Opened before anything is checked or kept, so a server without its CA refuses the
    code signature cleanly — no code mailed or spent, no wrong attempt counted.
    """
    try:
        return load_ca(current_app.instance_path, current_app.config["CA_PASSPHRASE"] or None)
    except CAError as exc:
        log.error("document signing refused: %s", exc)  # the reason is the operator's
        raise SigningNotSetUp(NOT_SET_UP) from None


def _ready(actor: Actor, document_id: int) -> tuple[Document, DocumentSignatory]:
    """The document and the actor's place in it, when it is their turn to sign."""
    document = get_document(document_id)
    check_signable(document)
    mine = signatory_for(actor, document)
    check_turn(document, mine)
    check_party_present(document, mine)
    return document, mine


def request_code(actor: Actor, document_id: int) -> codes.CodeSent:
    """Mail the signatory whose turn it is a one-time code (to their address only)."""
    _authority()  # a code is only for a signature our CA certifies
    document, mine = _ready(actor, document_id)
    return codes.issue(actor, document, mine)


def _later_fields(document: Document, mine: DocumentSignatory) -> list[signing.SignatureField]:
    return [
        signing.SignatureField(s.role, s.role_label, s.page or 0, tuple(s.box or ()))
        for s in document.signatories
        if s.id != mine.id and s.box
    ]


def _location(document: Document) -> str:
    sites = document.content.get("sites") or []
    return (sites[0].get("name") if sites else None) or LOCATION_DEFAULT


def sign(
    actor: Actor,
    document_id: int,
    *,
    code: str | None = None,
    pkcs12: bytes | None = None,
    passphrase: str | None = None,
    now: datetime | None = None,
) -> Document:
    """Add the actor's signature; the last one distributes the document (outbox).

    The second factor is ``pkcs12`` (their own certificate) when given, else ``code`` (the
    one-time code mailed to them). ``now`` moves only the certificate-validity check
    (tests with expired certificates). Every refusal raises before anything is kept
    except a wrong code's count (see ``codes.check_code``).
    """
    authority = _authority() if pkcs12 is None else None
    document, mine = _ready(actor, document_id)
    code_id = codes.check_code(mine, code) if pkcs12 is None else None
    current = document.current_file
    assert current is not None  # check_turn made sure
    base_sha, base_pdf = current.sha256, current.pdf
    first = mine.position == 1
    zone = document.content.get("host_zone", "Asia/Jakarta")
    signatory_id, signatory_name = mine.id, mine.name
    subject = {
        "name": mine.name,
        "institution": mine.organization or letterhead_for(document).name,
        "role": mine.role_label,
    }
    args: dict[str, Any] = {
        "field_name": mine.role,
        "role": mine.role_label,
        "reason": f"{mine.role_label}: {document.title}"[:200],
        "location": _location(document),
        "certify": first,
        "zone": zone,
        "page": mine.page or 0,
        "box": tuple(mine.box) if mine.box else signing.DEFAULT_BOX,
        "later_fields": _later_fields(document, mine) if first else (),
        "now": now,
    }
    # End the read: no transaction (under eventlet on SQLite, nobody else's turn) is held
    # while an uploaded certificate is opened or the PDF signed.
    db.session.commit()
    if pkcs12 is not None:
        key = _own_key(signatory_name, pkcs12, passphrase, now)
        factor = SignatureFactor.OWN_CERTIFICATE
    else:
        assert authority is not None
        key = signing.signer_from_ca(authority, **subject)
        factor = SignatureFactor.EMAIL_CODE
    signing.check_certificate_time(key.certificate, now)
    signed_pdf = off_hub(signing.sign_pdf, base_pdf, key, **args)
    return _keep(actor, document_id, signatory_id, base_sha, signed_pdf, key, factor, code_id)


def _keep(
    actor: Actor,
    document_id: int,
    signatory_id: int,
    base_sha: str,
    signed_pdf: bytes,
    key: signing.SignerKey,
    factor: SignatureFactor,
    code_id: int | None,
) -> Document:
    document = db.session.scalars(
        select(Document).where(Document.id == document_id).with_for_update()
    ).one()
    if document.sha256 != base_sha:
        db.session.rollback()
        raise Conflict(_l("Dokumen baru saja ditandatangani orang lain. Muat ulang dan coba lagi."))
    if code_id is not None:
        try:
            codes.consume(code_id)  # under the document's lock: one signature per code
        except Conflict:
            db.session.rollback()
            raise
    mine = next(s for s in document.signatories if s.id == signatory_id)
    certificate: x509.Certificate = key.certificate
    pages = document.current_file.pages if document.current_file else 0
    register_file(document, signed_pdf, pages)
    mine.signed_at = utcnow()
    mine.key_source = "pkcs12" if factor is SignatureFactor.OWN_CERTIFICATE else "ca"
    mine.factor = factor
    mine.certificate_subject = common_name(certificate.subject)[:300]
    mine.certificate_issuer = common_name(certificate.issuer)[:300]
    mine.certificate_serial = format(certificate.serial_number, "x")[:80]
    log_step(
        document,
        "signed",
        actor,
        {
            "role": mine.role,
            "key": mine.key_source,
            "factor": factor.value,
            "issuer": mine.certificate_issuer,
            "sha256": document.sha256,
        },
    )
    if document.next_signatory is None:
        document.status = DocumentStatus.SIGNED
        document.signed_at = mine.signed_at
        log_step(document, "completed", None, {"sha256": document.sha256})
        webhooks.document_signed(document)
        distribute(document, signed_pdf)
    db.session.commit()
    return document


def distribute(document: Document, pdf: bytes) -> int:
    """Queue the signed file to every invitee and attendee; in the caller's transaction."""
    queued = queue_distribution(document, pdf, filename(document))
    document.status = DocumentStatus.DISTRIBUTED
    document.distributed_at = utcnow()
    log_step(document, "distributed", None, {"mails": queued})
    return queued


def registered_file(sha256: str) -> DocumentFile | None:
    return db.session.scalars(select(DocumentFile).where(DocumentFile.sha256 == sha256)).first()
