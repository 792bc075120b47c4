"""What a signed PDF says about itself: each signature, and whether the file was changed.

The verification page (issue 6) shows this report for a file looked up by its hash or
uploaded by anyone. So a damaged or tampered file is an answer, not an error: nothing
here raises on bad input; a file that cannot be read is reported as unreadable, a
signature that does not check out as not intact or not valid, and a later change that
the certifying signature does not permit as not permitted.

Every byte of a signed file is covered by its last signature except that signature's own
``/Contents`` hex string. A flipped digit in the DER part breaks the signature; but
pyHanko, like most readers, ignores the zero padding after the DER and reads hex digits
in either case, so a change there would go unseen. :func:`_contents_canonical` closes
that gap: the string must be exactly the hex of what it decodes to, in one case, padded
with zeros. Hence: a change of any one byte anywhere makes the report say "modified".

Trust is separate from integrity: ``trusted`` says the signer's certificate chains up
to one of ``trust_roots`` (our CA, or a national CA the caller adds). No network fetches
(no OCSP/CRL look-ups): verification must work offline and give the same answer twice.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from meetcoord.documents.signing.asyncsafe import call_blocking

logger = logging.getLogger(__name__)

# The file-level judgement per signature (pyHanko's SignatureCoverageLevel, lower case).
WHOLE_FILE = "entire_file"
_DIGESTS = {"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"}


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str
    role: str | None
    signed_at: datetime | None  # as the signer's computer reported it, in UTC
    issuer: str
    certifying: bool
    intact: bool  # the bytes it covers are unchanged
    valid: bool  # the cryptographic signature checks out with the certificate in it
    trusted: bool  # the certificate chains up to one of the trust roots
    coverage: str  # entire_file, entire_revision, contiguous_block_from_start, unclear
    modification_level: str | None  # after it: none, lta_updates, form_filling, ..., other
    changes_permitted: bool  # later changes are ones its signer allowed (e.g. signing)
    problem: str | None = None
    serial: str | None = None  # the signer certificate's serial (hex): finds our register's row

    @property
    def covers_whole_file(self) -> bool:
        return self.coverage == WHOLE_FILE

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.changes_permitted


@dataclass(frozen=True)
class DocumentReport:
    sha256: str
    readable: bool
    signatures: tuple[SignatureReport, ...] = ()
    problem: str | None = None
    # Signature dictionaries in the bytes that the PDF structure no longer leads to (a
    # damaged cross-reference chain): the file was changed after they were made.
    lost_signatures: int = 0

    @property
    def modified(self) -> bool:
        """Changed since a signature was made, beyond what the signers permitted."""
        if not self.readable or self.lost_signatures:
            return True
        return any(not (s.intact and s.valid and s.changes_permitted) for s in self.signatures)

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and all(s.ok for s in self.signatures)


def _roots(trust_roots: Iterable[Any]) -> list[Any]:
    """Trust roots as pyHanko wants them, from cryptography certificates or PEM/DER bytes."""
    converted = []
    for root in trust_roots:
        if isinstance(root, x509.Certificate):
            root = root.public_bytes(serialization.Encoding.PEM)
        if isinstance(root, bytes):
            converted.extend(load_certs_from_pemder_data(root))
        else:
            converted.append(root)
    return converted


def _der_length(raw: bytes) -> int | None:
    """Length of the DER SEQUENCE at the start of ``raw`` (the CMS object), if it is one."""
    if len(raw) < 2 or raw[0] != 0x30:
        return None
    first = raw[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(raw) < 2 + count:
        return None
    return 2 + count + int.from_bytes(raw[2 : 2 + count], "big")


def _strict_tlv(der: bytes, start: int, end: int) -> bool:
    """Every length in this DER tree is in its one shortest form and nests exactly.

    Values themselves are judged elsewhere (by the signatures or the checks below); this
    closes the other way to change bytes without changing meaning. A walk over a few
    hundred headers, much cheaper than re-encoding the whole CMS object.
    """
    at = start
    while at < end:
        tag, at = der[at], at + 1
        if tag & 0x1F == 0x1F:  # high tag number: base-128 digits, no leading 0x80
            if at >= end or der[at] == 0x80:
                return False
            while at < end and der[at] & 0x80:
                at += 1
            at += 1
        if at >= end:
            return False
        first, at = der[at], at + 1
        if first < 0x80:
            length = first
        else:
            count = first & 0x7F
            if count == 0 or count > 4 or at + count > end or der[at] == 0:
                return False  # indefinite, too long, or padded with a leading zero
            length = int.from_bytes(der[at : at + count], "big")
            at += count
            if length < 0x80:
                return False  # fits the short form
        if at + length > end:
            return False
        if tag & 0x20 and not _strict_tlv(der, at, at + length):  # constructed: descend
            return False
        at += length
    return at == end


def _contents_canonical(data: bytes, byte_range: list[int], contents: bytes) -> bool:
    """The gap between the two signed ranges is exactly ``<hex(DER + zero padding)>``,
    and the DER is the one encoding of a CMS object whose unsigned parts agree with its
    signed ones (the digest algorithm list, the versions)."""
    if len(byte_range) != 4:
        return False
    gap = data[byte_range[1] : byte_range[2]]
    hexed = binascii.hexlify(contents)
    if gap not in (b"<" + hexed + b">", b"<" + hexed.upper() + b">"):
        return False
    der_length = _der_length(contents)
    if der_length is None or contents[der_length:].strip(b"\x00"):
        return False
    der = contents[:der_length]
    if not _strict_tlv(der, 0, len(der)):
        return False
    try:
        signed = cms.ContentInfo.load(der, strict=True)["content"]
        (signer,) = signed["signer_infos"]
        expected_version = "v3" if signer["sid"].name == "subject_key_identifier" else "v1"
        encapsulated = signed["encap_content_info"]
        return (
            encapsulated["content_type"].native == "data"
            and encapsulated["content"].native is None  # detached, as PAdES requires
            and signed["version"].native == expected_version
            and signer["version"].native == expected_version
            and [a.dump() for a in signed["digest_algorithms"]]
            == [signer["digest_algorithm"].dump()]
            and signer["digest_algorithm"]["algorithm"].native in _DIGESTS
        )
    except (ValueError, TypeError, KeyError):
        return False


def _issued_by_a_root(cert: Any, roots: list[Any]) -> bool | None:
    """Does the embedded certificate really carry its issuing root's signature?

    None when its issuer is not among the roots (an intermediate, or an unknown CA).
    False means the certificate's bytes were altered after the root signed them.
    """
    for root in roots:
        if root.subject == cert.issuer:
            try:
                issued = x509.load_der_x509_certificate(cert.dump())
                issued.verify_directly_issued_by(x509.load_der_x509_certificate(root.dump()))
            except (ValueError, TypeError, InvalidSignature):
                return False
            return True
    return None


def _name_part(name: Any, key: str) -> str | None:
    try:
        value = name.native.get(key)
    except (AttributeError, ValueError):
        return None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _report(
    embedded: Any, context: ValidationContext, data: bytes, roots: list[Any]
) -> SignatureReport:
    field_name = str(embedded.field_name or "")
    try:
        cert = embedded.signer_cert
        signer_name = _text(embedded.sig_object.get("/Name")) or _name_part(
            cert.subject, "common_name"
        )
        role = _text(embedded.sig_field.get("/TU")) or _name_part(cert.subject, "title")
        issuer = _name_part(cert.issuer, "common_name") or cert.issuer.human_friendly
        certifying = embedded.docmdp_level is not None
    except Exception as exc:
        logger.info("unreadable signature %s: %s", field_name, exc)
        return _broken(field_name, f"signature unreadable: {exc}")
    try:
        status = call_blocking(validate_pdf_signature, embedded, context)
    except Exception as exc:
        logger.info("signature %s failed validation: %s", field_name, exc)
        return replace(
            _broken(field_name, str(exc)),
            signer_name=signer_name or "",
            role=role,
            issuer=issuer,
            certifying=certifying,
            serial=format(cert.serial_number, "x"),
        )
    intact = bool(status.intact)
    coverage = status.coverage.name.lower() if status.coverage is not None else "unclear"
    problem = None
    # The last signature's /Contents is the one part of the file no signature covers.
    if coverage == WHOLE_FILE and (
        not _contents_canonical(data, list(embedded.byte_range), embedded.pkcs7_content)
        or _issued_by_a_root(embedded.signer_cert, roots) is False
    ):
        intact, problem = False, "the signature's /Contents was altered"
    signed_at = status.signer_reported_dt or embedded.self_reported_timestamp
    level = status.modification_level
    return SignatureReport(
        field_name=field_name,
        signer_name=signer_name or "",
        role=role,
        signed_at=signed_at.astimezone(UTC) if signed_at else None,
        issuer=issuer,
        certifying=certifying,
        intact=intact,
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=coverage,
        modification_level=level.name.lower() if level is not None else None,
        changes_permitted=bool(status.docmdp_ok) if status.docmdp_ok is not None else True,
        problem=problem,
        serial=format(cert.serial_number, "x"),
    )


def _broken(field_name: str, problem: str) -> SignatureReport:
    return SignatureReport(
        field_name=field_name,
        signer_name="",
        role=None,
        signed_at=None,
        issuer="",
        certifying=False,
        intact=False,
        valid=False,
        trusted=False,
        coverage="unclear",
        modification_level=None,
        changes_permitted=False,
        problem=problem,
    )


def verify_pdf(
    pdf_bytes: bytes, trust_roots: Iterable[Any], *, moment: datetime | None = None
) -> DocumentReport:
    """Check every signature in ``pdf_bytes`` against ``trust_roots``; never raises.

    ``moment`` is when to judge the certificates (default: now). The verification page
    passes the registered signing time for a file it issued, so that a signature stays
    trusted after the signer's two-year certificate has run out.
    """
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    roots = _roots(trust_roots)
    context_args: dict[str, Any] = {"trust_roots": roots, "allow_fetching": False}
    if moment is not None:
        context_args["moment"] = moment
    context = ValidationContext(**context_args)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        logger.info("unreadable PDF %s: %s", digest[:12], exc)
        # A signed file damaged past reading still carries its signature dictionaries:
        # that is a modified file, not merely something that is not a PDF.
        lost = pdf_bytes.count(b"/ByteRange")
        return DocumentReport(sha256=digest, readable=False, problem=str(exc), lost_signatures=lost)
    reports = tuple(_report(sig, context, pdf_bytes, roots) for sig in embedded)
    # Each signature dictionary has one /ByteRange; a count above what the reader found
    # means the structure was changed so that a signature no longer shows.
    lost = max(0, pdf_bytes.count(b"/ByteRange") - len(embedded))
    return DocumentReport(
        sha256=digest,
        readable=True,
        signatures=reports,
        lost_signatures=lost,
        problem=f"{lost} signature(s) no longer reachable in the file" if lost else None,
    )
