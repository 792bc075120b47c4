"""What the public verification page answers: is this file ours, final, signed, intact?

Anyone may ask, with the hash from a page's QR (the frozen content's name), a file's
SHA-256, or the file itself. The answer combines two things: the signatures as the file
itself proves them (``verify.verify_pdf``, trusting our CA and any extra roots from
config), and the register: whether this exact file is one we issued, and whether it is
the final version (every required signature in) or an earlier one.

For a registered file, certificates are judged at the time the file was registered, so
a signature stays trusted after the signer's two-year certificate has run out (the
register is the proof of when it was made; there is no timestamp authority here).

Each signature is also matched to our register's signatory row by its certificate's
serial, even in a file that was changed afterwards: the row says which second factor
signed (a mailed code or one's own certificate) and whose document it was, so times are
shown in that document's zone (a WITA document in WITA) rather than the server's.

An uploaded file whose bytes we did not register is a stranger's: it is checked in the
sandbox (:mod:`..signing.untrusted`), bounded in size, CPU and memory, and one too costly
to check is refused with 422. Before any file is checked the read transaction is ended, so no
database connection (under eventlet on SQLite: nobody else's turn) waits on a parse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.core import sandbox
from meetcoord.core.errors import ValidationError
from meetcoord.core.offload import off_hub
from meetcoord.documents.models import Document, DocumentFile, DocumentSignatory, DocumentStatus
from meetcoord.documents.signing.ca import ca_exists, common_name, load_ca_certificate
from meetcoord.documents.signing.untrusted import verify_untrusted
from meetcoord.documents.verify.verdict import trust_verdict
from meetcoord.documents.verify.verify import DocumentReport, verify_pdf
from meetcoord.extensions import db

HASH_LENGTH = 64


@dataclass(frozen=True)
class Verification:
    document: Document | None  # the registered document, if any
    file: DocumentFile | None  # the registered file the answer is about, if any
    report: DocumentReport | None  # the file's own signatures (None: nothing to check yet)
    uploaded: bool = False
    # Per signature in the report: our register's signatory row (None: not ours), and the
    # verdict on its certificate (``documents.verify.verdict``).
    signers: tuple[DocumentSignatory | None, ...] = ()
    verdicts: tuple[str, ...] = ()
    zone: str = "Asia/Jakarta"  # the document's zone, for every time shown

    @property
    def registered(self) -> bool:
        return self.file is not None

    @property
    def is_final(self) -> bool:
        """This is the last registered file of a fully signed (or unsigned-only) document."""
        doc, f = self.document, self.file
        if doc is None or f is None or not doc.files or doc.files[-1].id != f.id:
            return False
        if doc.signatories:
            return doc.status in (DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED)
        return doc.is_frozen

    @property
    def missing_signatures(self) -> int:
        if self.document is None or self.file is None:
            return 0
        return max(0, len(self.document.signatories) - self.file.revision)


def trust_roots() -> list[Any]:
    roots: list[Any] = []
    instance = current_app.config["INSTANCE_PATH"]
    if ca_exists(instance):
        roots.append(load_ca_certificate(instance))
    extra = current_app.config.get("TRUST_ROOTS")
    if extra:
        roots.append(Path(extra).read_bytes())
    return roots


def root_names(roots: list[Any]) -> set[str]:
    """The names of the issuers we trust, as a signature report names its issuer."""
    certificates: list[x509.Certificate] = []
    for root in roots:
        if isinstance(root, bytes):
            certificates.extend(x509.load_pem_x509_certificates(root))
        else:
            certificates.append(root)
    return {common_name(c.subject) for c in certificates}


def _signers(report: DocumentReport) -> tuple[DocumentSignatory | None, ...]:
    serials = [s.serial for s in report.signatures if s.serial]
    rows = db.session.scalars(
        select(DocumentSignatory).where(DocumentSignatory.certificate_serial.in_(serials))
    ).all()
    by_serial = {(row.certificate_serial, row.certificate_issuer): row for row in rows}
    return tuple(by_serial.get((s.serial, s.issuer)) for s in report.signatures)


def _complete(answer: Verification) -> Verification:
    """Add what our register knows about the file's signatures: rows, verdicts, zone."""
    report = answer.report
    signers = _signers(report) if report is not None else ()
    owner = answer.document or next((row.document for row in signers if row is not None), None)
    zone = (owner.content.get("host_zone") if owner is not None else None) or current_app.config[
        "HOME_TIMEZONE"
    ]
    known = root_names(trust_roots()) if report is not None else set()
    verdicts = tuple(trust_verdict(s, known) for s in report.signatures) if report else ()
    return replace(answer, signers=signers, verdicts=verdicts, zone=str(zone))


def is_hash(value: str) -> bool:
    return len(value) == HASH_LENGTH and all(c in "0123456789abcdef" for c in value)


COSTLY = _l(
    "Berkas ini tidak dapat diperiksa: strukturnya terlalu besar atau terlalu rumit "
    "untuk sebuah dokumen rapat."
)


def _check(pdf: bytes, moment: datetime | None) -> DocumentReport:
    """A file we registered (these very bytes): checked here, off the hub."""
    db.session.commit()  # end the read: no connection is held while the file is checked
    return off_hub(verify_pdf, pdf, trust_roots(), moment=moment)


def _check_stranger(pdf: bytes) -> DocumentReport:
    """A file we did not issue: in the sandbox, refused when too costly to check."""
    db.session.commit()  # end the read: no connection is held while the file is checked
    roots = [
        root.public_bytes(serialization.Encoding.PEM) if not isinstance(root, bytes) else root
        for root in trust_roots()
    ]
    try:
        return verify_untrusted(pdf, roots)
    except (sandbox.TooSlow, sandbox.TooBig) as exc:
        raise ValidationError(COSTLY, errors={"file": [COSTLY]}) from exc


def lookup(code: str) -> Verification | None:
    """By the QR's content hash (newest file of that document) or by a file's SHA-256."""
    code = code.lower()
    if not is_hash(code):
        return None
    document = db.session.scalars(select(Document).where(Document.verify_code == code)).first()
    if document is not None:
        newest = document.current_file
        report = _check(newest.pdf, newest.created_at) if newest is not None else None
        return _complete(Verification(document, newest, report))
    found = db.session.scalars(select(DocumentFile).where(DocumentFile.sha256 == code)).first()
    if found is None:
        return None
    return _complete(Verification(found.document, found, _check(found.pdf, found.created_at)))


def check_upload(pdf: bytes) -> Verification:
    """An uploaded file: its own signatures, and whether we registered exactly these bytes."""
    digest = hashlib.sha256(pdf).hexdigest()
    found = db.session.scalars(select(DocumentFile).where(DocumentFile.sha256 == digest)).first()
    if found is None:
        return _complete(Verification(None, None, _check_stranger(pdf), uploaded=True))
    report = _check(pdf, found.created_at)
    return _complete(Verification(found.document, found, report, uploaded=True))
