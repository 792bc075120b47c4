"""The verification page on a changed file (issue 11, point 10): "modified after signing",
not "issuer unknown", when the signer's certificate is our own CA's; times in the
document's own zone (a WITA document in WITA); and which second factor signed.
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from meetcoord.documents.signing.ca import create_ca
from meetcoord.documents.verify.verdict import (
    MODIFIED,
    NOT_VALID_THEN,
    TRUSTED,
    UNKNOWN_ISSUER,
    trust_verdict,
)
from meetcoord.documents.verify.verify import SignatureReport
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes, sign_with_code
from tests.helpers import text
from tests.kiosk_support import phone

OURS = "Bappeda — CA tanda tangan rapat"


def report(**changes: Any) -> SignatureReport:
    fields: dict[str, Any] = {
        "field_name": "chair",
        "signer_name": "Yohanes Bili",
        "role": "Pimpinan rapat",
        "signed_at": datetime.now(UTC),
        "issuer": OURS,
        "certifying": True,
        "intact": True,
        "valid": True,
        "trusted": True,
        "coverage": "entire_file",
        "modification_level": "none",
        "changes_permitted": True,
    }
    fields.update(changes)
    return SignatureReport(**fields)


def test_a_changed_signature_is_modified_whoever_issued_it() -> None:
    # pyHanko reports a changed signature as untrusted too: that is not the point to make.
    assert trust_verdict(report(intact=False, trusted=False), {OURS}) == MODIFIED
    assert trust_verdict(report(valid=False, trusted=False), {OURS}) == MODIFIED
    assert trust_verdict(report(intact=False, trusted=False, issuer="X"), {OURS}) == MODIFIED
    assert trust_verdict(report(), {OURS}) == TRUSTED
    assert trust_verdict(report(trusted=False, issuer="Lain"), {OURS}) == UNKNOWN_ISSUER
    assert trust_verdict(report(trusted=False), {OURS}) == NOT_VALID_THEN


@pytest.fixture
def signed(app: Flask) -> tuple[ClosedRakor, bytes]:
    """Minutes of the WITA meeting, signed by both with mailed codes."""
    ensure_ca(app)
    assert app.config["HOME_TIMEZONE"] == "Asia/Jakarta"  # the server's own zone is WIB
    rakor = ClosedRakor(app)
    assert rakor.site.venue.timezone == "Asia/Makassar"
    doc = final_minutes(rakor)
    sign_with_code(rakor.chair, doc.id)
    signed = sign_with_code(rakor.minute_taker, doc.id)
    return rakor, signed.files[-1].pdf


def upload(app: Flask, pdf: bytes) -> str:
    public = phone(app)
    form = public.get("/verify").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert csrf
    response = public.post(
        "/verify",
        data={"csrf_token": csrf.group(1), "file": (io.BytesIO(pdf), "notulen.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return text(response)


def test_a_tampered_file_signed_by_our_ca_says_modified_in_the_documents_zone(
    app: Flask, signed: tuple[ClosedRakor, bytes]
) -> None:
    _rakor, pdf = signed
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    shown = upload(app, bytes(changed))
    assert "DIUBAH." in shown
    assert shown.count("diubah setelah ditandatangani") == 2
    assert "penerbit tidak dikenal" not in shown
    times = re.findall(r"<dt>Waktu</dt><dd>([^<]+)</dd>", shown)
    assert len(times) == 2
    assert all(t.endswith("WITA") for t in times), times
    assert "WIB" not in " ".join(times)
    # Our register still knows who signed, and how.
    assert shown.count("kode sekali pakai ke surel") == 2


def test_the_intact_file_is_trusted_and_names_the_factor(
    app: Flask, signed: tuple[ClosedRakor, bytes]
) -> None:
    _rakor, pdf = signed
    shown = upload(app, pdf)
    assert "ASLI dan FINAL." in shown
    assert "diubah setelah ditandatangani" not in shown
    assert shown.count("kode sekali pakai ke surel") == 2
    assert all(t.endswith("WITA") for t in re.findall(r"<dt>Waktu</dt><dd>([^<]+)</dd>", shown))


def test_an_intact_file_from_a_stranger_ca_still_says_issuer_unknown(
    app: Flask, signed: tuple[ClosedRakor, bytes]
) -> None:
    from tests.documents.test_documents_signing import PASSPHRASE, minutes_pdf, sign_both

    with tempfile.TemporaryDirectory() as folder:
        stranger = create_ca(folder, PASSPHRASE, "Lembaga Lain")
    _first, pdf = sign_both(stranger, minutes_pdf(1))
    shown = upload(app, pdf)
    assert shown.count("tidak (penerbit tidak dikenal di sini)") == 2
    assert "diubah setelah ditandatangani" not in shown
    assert "Bukti penanda tangan" not in shown  # not signatures of ours


def test_the_api_gives_the_verdict_and_the_factor(app: Flask, signed: tuple[ClosedRakor, bytes]):
    _rakor, pdf = signed
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    client = phone(app)
    answer = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(bytes(changed)), "n.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert answer["modified"] is True
    assert [s["verdict"] for s in answer["signatures"]] == [MODIFIED, MODIFIED]
    assert [s["factor"] for s in answer["signatures"]] == ["email_code", "email_code"]
    intact = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(pdf), "n.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert [s["verdict"] for s in intact["signatures"]] == [TRUSTED, TRUSTED]
