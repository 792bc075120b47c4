"""What the verification page says about each signature's certificate: a pure judgement.

pyHanko judges trust only for a signature whose bytes still check out, so for a file
changed after signing it reports "not trusted" even when the signer's certificate comes
from our own CA — and the page used to explain that as "issuer unknown here", which sent
an inspector looking for the wrong problem (issue 11). The order here is what a reader
needs first: a changed file is "modified after signing" whoever issued the certificate;
only an intact signature is judged on its issuer.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.documents.verify.verify import SignatureReport

TRUSTED = "trusted"
MODIFIED = "modified"  # diubah setelah ditandatangani
NOT_VALID_THEN = "not_valid_then"  # a known issuer, but the certificate did not hold then
UNKNOWN_ISSUER = "unknown_issuer"
VERDICTS = (TRUSTED, MODIFIED, NOT_VALID_THEN, UNKNOWN_ISSUER)

WORDS: dict[str, Any] = {
    TRUSTED: _l("ya"),
    MODIFIED: _l("tidak dinilai: diubah setelah ditandatangani"),
    NOT_VALID_THEN: _l("tidak (sertifikat tidak berlaku pada waktu penandatanganan)"),
    UNKNOWN_ISSUER: _l("tidak (penerbit tidak dikenal di sini)"),
}


def trust_verdict(signature: SignatureReport, known_issuers: Collection[str]) -> str:
    """One of :data:`VERDICTS` for ``signature``; ``known_issuers`` are our roots' names."""
    if not (signature.intact and signature.valid):
        return MODIFIED
    if signature.trusted:
        return TRUSTED
    return NOT_VALID_THEN if signature.issuer in known_issuers else UNKNOWN_ISSUER
