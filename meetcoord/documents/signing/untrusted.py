"""Files from strangers, opened in the sandbox: an uploaded PDF to verify, a PKCS#12 to sign.

Each opening is a :mod:`meetcoord.core.sandbox` task: its bounds are checked first
(:mod:`.pdfbounds`, :mod:`.pfxbounds`), then pyHanko or OpenSSL parse the file in the
child, and what comes back is plain data the parent rebuilds: a verification report
field by field, a key and certificates as DER. A child that overran or refused raises
the sandbox's errors (too slow, too big, unreadable); the callers say which file.

The sandbox keeps the service available, not the parse honest: a child subverted by the
file it read could still describe that file falsely. Its answer is checked for shape and
used only for the upload it was given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from meetcoord.core import sandbox
from meetcoord.documents.signing.pdfbounds import PdfBoundsError, check_pdf_bounds
from meetcoord.documents.signing.pfxbounds import Pkcs12BoundsError, check_pkcs12_bounds
from meetcoord.documents.verify.verify import DocumentReport, SignatureReport, verify_pdf

_ERRORS: dict[str, type[sandbox.SandboxError]] = {
    "too_big": sandbox.TooBig,
    "too_slow": sandbox.TooSlow,
    "unreadable": sandbox.Unreadable,
}


def _within_bounds(check: Callable[[bytes], None], payload: bytes) -> None:
    """A bounds check's refusal as the sandbox error of the same kind."""
    try:
        check(payload)
    except (PdfBoundsError, Pkcs12BoundsError) as exc:
        raise _ERRORS[exc.reason](str(exc)) from None


# --- verification -------------------------------------------------------------------------


def _signature_plain(report: SignatureReport) -> dict[str, Any]:
    plain = asdict(report)
    plain["signed_at"] = report.signed_at.isoformat() if report.signed_at else None
    return plain


@sandbox.task
def verify_upload(payload: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """In the child: bounds, then :func:`verify_pdf`; the report as plain data."""
    _within_bounds(check_pdf_bounds, payload)
    moment = datetime.fromisoformat(params["moment"]) if params.get("moment") else None
    report = verify_pdf(payload, params["roots"], moment=moment)
    plain = asdict(report)
    plain["signatures"] = [_signature_plain(s) for s in report.signatures]
    return plain


_TEXT, _FLAG, _OPTIONAL = (str,), (bool,), (str, type(None))
# SignatureReport's fields as plain data (``signed_at`` as ISO text).
_SIGNATURE_TYPES: dict[str, tuple[type, ...]] = {
    "field_name": _TEXT,
    "signer_name": _TEXT,
    "role": _OPTIONAL,
    "signed_at": _OPTIONAL,
    "issuer": _TEXT,
    "certifying": _FLAG,
    "intact": _FLAG,
    "valid": _FLAG,
    "trusted": _FLAG,
    "coverage": _TEXT,
    "modification_level": _OPTIONAL,
    "changes_permitted": _FLAG,
    "problem": _OPTIONAL,
    "serial": _OPTIONAL,
}


def _signature(plain: Any) -> SignatureReport:
    """A signature report from what a child sent: every field checked, nothing else taken."""
    if not isinstance(plain, dict) or set(plain) != set(_SIGNATURE_TYPES):
        raise sandbox.Unreadable("malformed signature report")
    for name, kinds in _SIGNATURE_TYPES.items():
        if not isinstance(plain[name], kinds):
            raise sandbox.Unreadable(f"malformed signature report field {name}")
    values = dict(plain)
    values["signed_at"] = datetime.fromisoformat(plain["signed_at"]) if plain["signed_at"] else None
    return SignatureReport(**values)


def report_from_plain(plain: Any) -> DocumentReport:
    """A :class:`DocumentReport` from the child's plain data (which it may have forged:
    only its shape is trusted here, and only for the upload it was given)."""
    try:
        if not isinstance(plain, dict):
            raise TypeError("not a report")
        sha256, readable = plain["sha256"], plain["readable"]
        lost, problem = plain["lost_signatures"], plain["problem"]
        if not (
            isinstance(sha256, str)
            and isinstance(readable, bool)
            and isinstance(lost, int)
            and isinstance(problem, str | None)
        ):
            raise TypeError("malformed report")
        return DocumentReport(
            sha256=sha256,
            readable=readable,
            signatures=tuple(_signature(s) for s in plain["signatures"]),
            problem=problem,
            lost_signatures=lost,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise sandbox.Unreadable(f"malformed report: {exc}") from None


def verify_untrusted(
    pdf: bytes, trust_roots_pem: list[bytes], moment: datetime | None = None
) -> DocumentReport:
    """:func:`verify_pdf` of an uploaded file, in the sandbox. Raises TooSlow or TooBig;
    a file the child could not read is an unreadable report, as ``verify_pdf`` gives."""
    params = {"roots": trust_roots_pem, "moment": moment.isoformat() if moment else None}
    try:
        plain = sandbox.run(verify_upload, pdf, params)
    except sandbox.Unreadable as exc:
        return DocumentReport(
            sha256=_sha256(pdf),
            readable=False,
            problem=exc.detail,
            lost_signatures=pdf.count(b"/ByteRange"),
        )
    report = report_from_plain(plain)
    if report.sha256 != _sha256(pdf):
        raise sandbox.Unreadable("the report is about another file")
    return report


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- PKCS#12 ------------------------------------------------------------------------------


@sandbox.task
def open_pkcs12(payload: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """In the child: the bounds, then OpenSSL; the key (PKCS#8) and certificates as DER."""
    _within_bounds(check_pkcs12_bounds, payload)
    passphrase = params.get("passphrase")
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(payload, secret)
    except (ValueError, TypeError) as exc:
        raise sandbox.Unreadable(f"PKCS#12 not opened: {exc}") from None
    der = serialization.Encoding.DER
    return {
        "key": key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        if key is not None
        else None,
        "certificate": certificate.public_bytes(der) if certificate is not None else None,
        "chain": [c.public_bytes(der) for c in extra],
    }


def open_pkcs12_untrusted(
    data: bytes, passphrase: str | None
) -> tuple[bytes | None, x509.Certificate | None, list[x509.Certificate]]:
    """The key (PKCS#8 DER), certificate and chain of an uploaded PKCS#12, opened in the
    sandbox and never written anywhere. Raises TooSlow, TooBig or Unreadable."""
    plain = sandbox.run(open_pkcs12, data, {"passphrase": passphrase})
    try:
        key, cert, chain = plain["key"], plain["certificate"], plain["chain"]
        if not isinstance(key, bytes | None) or not isinstance(cert, bytes | None):
            raise TypeError("malformed key or certificate")
        certificate = x509.load_der_x509_certificate(cert) if cert is not None else None
        return key, certificate, [x509.load_der_x509_certificate(c) for c in chain]
    except (KeyError, TypeError, ValueError) as exc:
        raise sandbox.Unreadable(f"malformed answer: {exc}") from None
