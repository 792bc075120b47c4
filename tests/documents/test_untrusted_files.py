"""Files from strangers (issue 11 point 2): bounds before parsing, parsing in the sandbox.

The PDF bounds and the PKCS#12 bounds are pure and checked on their own; then the
services (verification of an upload, a signatory's own PKCS#12) are shown to refuse the
bombs quickly and clearly, and to treat honest files as before.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from typing import Any

import pytest
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import Encoding
from flask import Flask

from meetcoord.core import sandbox
from meetcoord.core.errors import ValidationError
from meetcoord.documents.signing import pdfbounds, pfxbounds, untrusted
from meetcoord.documents.signing.ca import CertificateAuthority
from meetcoord.documents.signing.signing import COSTLY_PKCS12, WRONG_PASSPHRASE, signer_from_pkcs12
from meetcoord.documents.verify.verify import verify_pdf
from tests.documents.test_documents_signing import authority, minutes_pdf, sign_both  # noqa: F401
from tests.untrusted_files import (
    P12_PASSPHRASE,
    bomb_pdf,
    hidden_bomb_pdf,
    pkcs12_file,
    slow_pkcs12,
)


@pytest.fixture(scope="module")
def signed_minutes(authority: CertificateAuthority) -> bytes:  # noqa: F811
    """Ten pages, certified by the chair and signed by the minute-taker."""
    return sign_both(authority, minutes_pdf(10))[1]


def stream_object(number: int, dictionary: bytes, data: bytes) -> bytes:
    return b"%d 0 obj\n<< %s /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        number,
        dictionary,
        len(data),
        data,
    )


# --- PDF bounds (pure) ------------------------------------------------------------------


def test_the_bomb_is_refused_by_its_declared_size_in_a_millisecond() -> None:
    bomb = bomb_pdf()
    started = time.perf_counter()
    with pytest.raises(pdfbounds.PdfBoundsError) as caught:
        pdfbounds.check_pdf_bounds(bomb)
    assert caught.value.reason == "too_big"
    assert "/Size 1000000" in str(caught.value)
    assert time.perf_counter() - started < 0.1


def test_a_cross_reference_stream_that_inflates_past_its_bound_is_refused() -> None:
    quiet = bomb_pdf().replace(b"/Size 1000000", b"/Size 5      ")
    with pytest.raises(pdfbounds.PdfBoundsError, match="inflates beyond"):
        pdfbounds.check_pdf_bounds(quiet)
    # Escaped names and comments do not hide the dictionary from the scan.
    disguised = quiet.replace(b"/Type /XRef", b"/Type %komentar\n/X#52ef")
    with pytest.raises(pdfbounds.PdfBoundsError, match="XRef stream inflates"):
        pdfbounds.check_pdf_bounds(disguised)


def test_object_streams_are_bounded_by_count_and_by_inflated_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = b"%PDF-1.7\n" + stream_object(5, b"/Type /ObjStm /N 250000 /First 10", b"")
    with pytest.raises(pdfbounds.PdfBoundsError, match="250000 objects"):
        pdfbounds.check_pdf_bounds(many)
    monkeypatch.setattr(pdfbounds, "MAX_STRUCTURE_BYTES", 1024 * 1024)
    inflating = zlib.compress(b" " * (2 * 1024 * 1024), 9)
    big = b"%PDF-1.7\n" + stream_object(
        5, b"/Type /ObjStm /N 3 /First 10 /Filter /FlateDecode", inflating
    )
    with pytest.raises(pdfbounds.PdfBoundsError, match="ObjStm stream inflates"):
        pdfbounds.check_pdf_bounds(big)
    other_filter = b"%PDF-1.7\n" + stream_object(5, b"/Type /ObjStm /N 3 /Filter /LZWDecode", b"x")
    with pytest.raises(pdfbounds.PdfBoundsError) as caught:
        pdfbounds.check_pdf_bounds(other_filter)
    assert caught.value.reason == "unreadable"


def test_declared_index_and_classic_entries_are_bounded() -> None:
    with pytest.raises(pdfbounds.PdfBoundsError, match="/Index"):
        pdfbounds.check_pdf_bounds(b"%PDF-1.7\n<< /Type /XRef /Index [0 90000 90000 20000] >>")
    entries = b"0000000000 65535 f \n" * (pdfbounds.MAX_ENTRIES + 1)
    with pytest.raises(pdfbounds.PdfBoundsError, match="cross-reference entries"):
        pdfbounds.check_pdf_bounds(b"%PDF-1.4\nxref\n0 400001\n" + entries)


def test_signed_minutes_pass_and_the_scan_is_cheap(signed_minutes: bytes) -> None:
    pdfbounds.check_pdf_bounds(signed_minutes)
    # The scan is linear: 2 MB of nothing but what it looks for (36,000 streams claiming to
    # be compressed cross-reference streams) take a second or so, not hours.
    noise = b"1 0 obj\n<< /Type /XRef /Filter /FlateDecode >>\nstream\n\x78\x9c" * 36_000
    started = time.process_time()  # CPU time: a busy machine does not make it slower
    pdfbounds.check_pdf_bounds(noise)
    assert time.process_time() - started < 2.0


# --- PKCS#12 bounds (pure) --------------------------------------------------------------


def test_real_exports_are_within_the_bounds() -> None:
    assert pfxbounds.kdf_rounds(pkcs12_file()) == [2048, 2048, 2048]  # OpenSSL 3's shape
    pfxbounds.check_pkcs12_bounds(pkcs12_file(kdf_rounds=20_000))  # cryptography's default


def test_too_many_rounds_anywhere_visible_are_refused() -> None:
    with pytest.raises(pfxbounds.Pkcs12BoundsError) as caught:
        pfxbounds.check_pkcs12_bounds(slow_pkcs12())
    assert caught.value.reason == "too_slow"
    pfx = asn1_pkcs12.Pfx.load(pkcs12_file())
    safe = pfx.authenticated_safe
    certificates = next(i for i in safe if i["content_type"].native == "encrypted_data")
    algorithm = certificates["content"]["encrypted_content_info"]["content_encryption_algorithm"]
    algorithm["parameters"]["key_derivation_func"]["parameters"]["iteration_count"] = 5_000_000
    pfx["auth_safe"]["content"] = asn1_pkcs12.AuthenticatedSafe(list(safe)).dump(force=True)
    with pytest.raises(pfxbounds.Pkcs12BoundsError, match="5000000"):
        pfxbounds.check_pkcs12_bounds(pfx.dump(force=True))


def test_garbage_is_unreadable_not_an_exception() -> None:
    for data in (b"", b"bukan berkas p12", b"\x30\x80" * 1000):
        with pytest.raises(pfxbounds.Pkcs12BoundsError) as caught:
            pfxbounds.check_pkcs12_bounds(data)
        assert caught.value.reason == "unreadable"


# --- the services ------------------------------------------------------------------------


def test_a_signatorys_slow_pkcs12_is_refused_quickly_with_a_clear_message() -> None:
    slow = slow_pkcs12()
    sandbox.warm_up(wait=True)  # time the refusal, not a child's start
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        signer_from_pkcs12(slow, P12_PASSPHRASE)
    assert caught.value.errors == {"certificate": [COSTLY_PKCS12]}
    assert time.perf_counter() - started < 1.0  # today: 3-6 s of OpenSSL, then "wrong password"


def test_an_honest_pkcs12_opens_in_the_sandbox_with_its_certificate() -> None:
    signer = signer_from_pkcs12(pkcs12_file(), P12_PASSPHRASE)
    assert signer.name == "Ketua Rapat"
    with pytest.raises(ValidationError) as caught:
        signer_from_pkcs12(pkcs12_file(), "bukan-sandinya")
    assert caught.value.errors == {"passphrase": [WRONG_PASSPHRASE]}


def test_a_bomb_upload_is_refused_with_422(app: Flask) -> None:
    from meetcoord.documents.verify import verification  # with the app's models all mapped

    bomb = bomb_pdf()
    sandbox.warm_up(wait=True)
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        verification.check_upload(bomb)
    assert caught.value.status == 422
    assert caught.value.errors == {"file": [verification.COSTLY]}
    assert time.perf_counter() - started < 1.0  # today 7-20 s


def test_a_bomb_the_scan_misses_is_stopped_by_the_sandbox(app: Flask) -> None:
    from meetcoord.documents.verify import verification  # with the app's models all mapped

    pdfbounds.check_pdf_bounds(hidden_bomb_pdf())  # the scan does not see this one
    app.config["SANDBOX_CPU_SECONDS"] = 1
    try:
        with pytest.raises(ValidationError) as caught:
            verification.check_upload(hidden_bomb_pdf())
    finally:
        app.config["SANDBOX_CPU_SECONDS"] = 5
    assert isinstance(caught.value.__cause__, sandbox.TooSlow | sandbox.TooBig)


def test_a_strangers_signed_file_gets_the_same_report_as_in_process(
    app: Flask,
    signed_minutes: bytes,
    authority: CertificateAuthority,  # noqa: F811
) -> None:
    roots = [authority.certificate]
    here = verify_pdf(signed_minutes, roots)
    there = untrusted.verify_untrusted(
        signed_minutes, [authority.certificate.public_bytes(Encoding.PEM)]
    )
    assert there == here
    assert there.ok
    damaged = untrusted.verify_untrusted(b"%PDF-1.7\nrusak", [])
    assert (damaged.readable, damaged.ok) == (False, False)


def test_the_page_and_the_api_answer_the_bomb_with_422(app: Flask) -> None:
    client = app.test_client()
    form = client.get("/verify").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert csrf
    page = client.post(
        "/verify",
        data={"csrf_token": csrf.group(1), "file": (io.BytesIO(bomb_pdf()), "notulen.pdf")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 422
    assert "terlalu besar atau terlalu rumit" in page.get_data(as_text=True)
    api = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(bomb_pdf()), "notulen.pdf")},
        content_type="multipart/form-data",
    )
    assert api.status_code == 422
    body: dict[str, Any] = api.get_json()
    assert body["errors"]["file"][0].startswith("Berkas ini tidak dapat diperiksa")


def test_a_forged_report_from_a_child_is_refused() -> None:
    with pytest.raises(sandbox.Unreadable):
        untrusted.report_from_plain({"sha256": "x", "readable": "yes"})
    with pytest.raises(sandbox.Unreadable):
        untrusted.report_from_plain(
            {
                "sha256": "x",
                "readable": True,
                "lost_signatures": 0,
                "problem": None,
                "signatures": [{"field_name": "a", "trusted": True}],
            }
        )
