"""Is a signatory's own certificate good enough to sign in their name? (issue 11)

An uploaded PKCS#12 is a second factor only when it is *theirs*: anyone can make a
self-signed certificate that says "Ketua Rapat", and a signature with it proves nothing.
So before it signs, its certificate must

1. chain to a root this service trusts — our own CA (``instance/ca``) or one of the CA
   certificates in ``MEETCOORD_TRUST_ROOTS`` (e.g. a national e-signature CA) — checked
   with pyhanko-certvalidator at the signing moment, offline (no OCSP/CRL fetches, as the
   verification page); intermediates come from the PKCS#12 file itself; and
2. name the signatory, by the rule of :func:`names_match`.

The name rule, documented for secretariats: a name is compared as the sequence of its
words after (a) Unicode compatibility folding, accents removed and case folded
("THÉO" = "theo"); (b) everything after the first comma dropped — Indonesian degrees
follow one ("Ahmad Yani, S.T., M.Si."); (c) leading honorifics and titles dropped
(:data:`PREFIX_TITLES`: Prof., Dr., Ir., Drs., H., Hj., …); (d) trailing degrees written
without a comma dropped (a word with an inner dot such as "M.Si" or "Ph.D", or one of
:data:`DEGREES`: SE, SH, MM, …); (e) apostrophes and dots inside a word removed
("D’Souza" = "DSOUZA"), hyphens split words. Both names must then have the same words in
the same order: "Dr. Ir. Ahmad Yani, M.Si." matches a certificate for "AHMAD YANI", but
not "A. YANI" nor "AHMAD YANI PUTRA" — an initial or a missing word is not the same
person, and a stand-in signs with a certificate in the stand-in's own name.

Pure apart from pyhanko-certvalidator: nothing here imports Flask or the database.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from flask_babel import lazy_gettext as _l
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from meetcoord.core.errors import ValidationError as Refusal
from meetcoord.core.errors import field_errors
from meetcoord.documents.signing.asyncsafe import call_blocking

# Honorifics and academic/religious titles written before a name.
PREFIX_TITLES = frozenset(
    {
        "prof", "dr", "drs", "dra", "ir", "drg", "h", "hj", "kh", "apt", "ns", "ners",
        "bapak", "bpk", "ibu", "sdr", "sdri", "tn", "ny", "nn",
    }
)  # fmt: skip
# Degrees sometimes written after a name without a comma and without dots.
DEGREES = frozenset(
    {
        "se", "sh", "st", "sp", "ss", "mm", "mt", "mh", "mp", "ma", "msi", "mpd", "spd",
        "skm", "ssos", "sip", "sag", "mag", "shi", "skom", "mkom", "mkes", "skep", "ssi",
        "phd", "mba", "msc", "bsc", "amd", "ak", "mtp", "map", "mec", "mpp",
    }
)  # fmt: skip

UNTRUSTED = _l(
    "Sertifikat ditolak: penerbitnya tidak termasuk penerbit yang dipercaya layanan ini. "
    "Gunakan sertifikat dari CA instansi atau penyelenggara sertifikasi elektronik yang "
    "diakui, atau tanda tangani dengan kode yang dikirim ke surel Anda."
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_INNER = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Compatibility form, accents removed, case folded: "THÉO" → "theo"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _is_degree(word: str) -> bool:
    bare = word.strip(".")
    return "." in bare or bare.replace(".", "") in DEGREES


def name_words(name: str) -> tuple[str, ...]:
    """The words that identify a person in ``name``, by the module's rule."""
    head = _fold(name).split(",", 1)[0]
    words = [w for w in head.replace("-", " ").split() if w.strip(".'")]
    while words and words[0].strip(".") in PREFIX_TITLES:
        words.pop(0)
    while len(words) > 1 and _is_degree(words[-1]):
        words.pop()
    cleaned = (_INNER.sub("", w) for w in words)
    return tuple(w for w in cleaned if w)


def names_match(signatory: str, certificate_name: str) -> bool:
    """Do the two names denote the same person (see the module's rule)?"""
    mine = name_words(signatory)
    return bool(mine) and mine == name_words(certificate_name)


def subject_names(certificate: x509.Certificate) -> list[str]:
    """The names a certificate is issued to: its common name(s), or given name + surname."""
    subject = certificate.subject
    names = [str(a.value) for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    given = [str(a.value) for a in subject.get_attributes_for_oid(NameOID.GIVEN_NAME)]
    surname = [str(a.value) for a in subject.get_attributes_for_oid(NameOID.SURNAME)]
    if given or surname:
        names.append(" ".join([*given, *surname]))
    return names


def _asn1(certificate: Any) -> asn1_x509.Certificate:
    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if isinstance(certificate, x509.Certificate):
        certificate = certificate.public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(certificate)


def pyhanko_roots(roots: Iterable[Any]) -> list[asn1_x509.Certificate]:
    """Roots as certvalidator wants them, from certificates or PEM/DER bytes (many a file)."""
    converted: list[asn1_x509.Certificate] = []
    for root in roots:
        if isinstance(root, bytes | str):
            data = root.encode() if isinstance(root, str) else root
            converted.extend(load_certs_from_pemder_data(data))
        else:
            converted.append(_asn1(root))
    return converted


def chains_to(
    certificate: x509.Certificate,
    intermediates: Iterable[Any],
    roots: Iterable[Any],
    moment: datetime | None = None,
) -> bool:
    """Whether ``certificate`` has a valid path to one of ``roots`` at ``moment`` (offline)."""
    anchors = pyhanko_roots(roots)
    if not anchors:
        return False
    context = ValidationContext(
        trust_roots=anchors, allow_fetching=False, moment=moment or datetime.now(UTC)
    )
    validator = CertificateValidator(
        _asn1(certificate),
        intermediate_certs=[_asn1(c) for c in intermediates],
        validation_context=context,
    )
    try:
        call_blocking(asyncio.run, validator.async_validate_path())
    except (PathBuildingError, PathValidationError, ValidationError):
        return False
    return True


def check_own_certificate(
    certificate: x509.Certificate,
    intermediates: Iterable[Any],
    *,
    signatory_name: str,
    roots: Iterable[Any],
    moment: datetime | None = None,
) -> None:
    """Refuse (naming the upload) a certificate that is not trusted or not the signatory's."""
    if not chains_to(certificate, intermediates, roots, moment):
        raise Refusal(UNTRUSTED, errors=field_errors(certificate=UNTRUSTED))
    names = subject_names(certificate)
    if not any(names_match(signatory_name, name) for name in names):
        message = _l(
            "Sertifikat ditolak: nama di sertifikat (%(certificate)s) tidak sama dengan nama "
            "penanda tangan (%(name)s).",
            certificate=names[0] if names else "-",
            name=signatory_name,
        )
        raise Refusal(message, errors=field_errors(certificate=message))
