"""Signed minutes: real PAdES signatures made with our CA or an uploaded PKCS#12, re-opened
with pyHanko's own validator, and a one-byte change anywhere reported as a modification.

The PDF is a real multi-page reportlab document with an embedded Unicode font and names
with accents and apostrophes, as the minutes will be.
"""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import Flask
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content_stream_parser import parse_content_stream
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from meetcoord.config import ConfigError
from meetcoord.core.errors import ValidationError
from meetcoord.documents.signing import ca as ca_module
from meetcoord.documents.signing.asyncsafe import call_blocking
from meetcoord.documents.signing.ca import CertificateAuthority, create_ca, issue_signer
from meetcoord.documents.signing.signing import (
    SignatureField,
    format_stamp_time,
    sign_pdf,
    signer_from_ca,
    signer_from_issued,
    signer_from_pkcs12,
)
from meetcoord.documents.verify.verify import verify_pdf
from tests.support import throwaway_app

CHAIR = "Théo D'Souza"
MINUTE_TAKER = "Ni Luh Putu Ayu D’Souza"
INSTITUTION = "BAPPEDA Provinsi Nusa Tenggara Barat"
ZONE = "Asia/Makassar"
PASSPHRASE = "kata-sandi-ca-uji-2026"
P12_PASSWORD = "sandi-p12-bsre"
FONT = "UjiSans"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def minutes_pdf(pages: int = 3) -> bytes:
    """A small notulen with an embedded Unicode font (DejaVu, or reportlab's own Vera)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(DEJAVU) if DEJAVU.is_file() else "Vera.ttf"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont(FONT, 11)
        canvas.drawString(60, 780, "NOTULEN RAPAT KOORDINASI FORUM BANGKIT")
        canvas.drawString(60, 760, f"Pimpinan rapat: {CHAIR}; notulis: {MINUTE_TAKER}")
        canvas.drawString(60, 740, "Keputusan: lokus desa Kuta dan Sade ditetapkan bersama.")
        canvas.drawString(480, 30, f"Halaman {number} dari {pages}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return create_ca(tmp_path_factory.mktemp("instance"), PASSPHRASE, INSTITUTION)


def sign_both(authority: CertificateAuthority, pdf: bytes) -> tuple[bytes, bytes]:
    chair = signer_from_ca(authority, name=CHAIR, institution=INSTITUTION, role="Pimpinan Rapat")
    first = sign_pdf(
        pdf,
        chair,
        field_name="pimpinan",
        role="Pimpinan Rapat",
        reason="Menyetujui notulen rapat",
        location="Mataram",
        certify=True,
        zone=ZONE,
        box=(60, 60, 280, 130),
        later_fields=[SignatureField("notulis", "Notulis", box=(315, 60, 535, 130))],
    )
    taker = signer_from_ca(authority, name=MINUTE_TAKER, institution=INSTITUTION, role="Notulis")
    second = sign_pdf(
        first,
        taker,
        field_name="notulis",
        role="Notulis",
        reason="Menyetujui notulen rapat",
        location="Selong",
        certify=False,
        zone=ZONE,
    )
    return first, second


@pytest.fixture(scope="module")
def signed(authority: CertificateAuthority) -> dict[str, bytes]:
    original = minutes_pdf()
    first, second = sign_both(authority, original)
    return {"original": original, "first": first, "second": second}


def pyhanko_context(*roots: Any) -> ValidationContext:
    pem = [r.public_bytes(serialization.Encoding.PEM) for r in roots]
    from pyhanko.keys.pemder import load_certs_from_pemder_data

    return ValidationContext(
        trust_roots=[c for p in pem for c in load_certs_from_pemder_data(p)],
        allow_fetching=False,
    )


def stamp_texts(embedded: Any) -> list[str]:
    """The stamp's lines, read back from its appearance stream (/ActualText spans)."""
    stream = embedded.sig_field["/AP"]["/N"]
    texts = []
    for operator in parse_content_stream([stream]):
        if operator.op == "BDC" and isinstance(operator.args[1], generic.DictionaryObject):
            texts.append(str(operator.args[1]["/ActualText"]))
    return texts


# --- the signatures, as pyHanko's validator sees them ------------------------------------


def test_chair_certifies_then_minute_taker_signs_both_valid_and_intact(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    assert signed["first"].startswith(signed["original"])  # incremental: nothing rewritten
    assert signed["second"].startswith(signed["first"])
    reader = PdfFileReader(io.BytesIO(signed["second"]))
    chair, taker = reader.embedded_signatures
    context = pyhanko_context(authority.certificate)
    for embedded in (chair, taker):
        status = call_blocking(validate_pdf_signature, embedded, context)
        assert status.bottom_line, status.pretty_print_details()
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.docmdp_ok
    assert chair.docmdp_level is MDPPerm.FILL_FORMS  # certifying, further signatures allowed
    assert taker.docmdp_level is None
    assert chair.signer_cert.subject.native["common_name"] == CHAIR
    assert taker.signer_cert.subject.native["common_name"] == MINUTE_TAKER
    assert chair.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_stamp_shows_name_role_and_time_with_zone_label(signed: dict[str, bytes]) -> None:
    reader = PdfFileReader(io.BytesIO(signed["second"]))
    for embedded, name, role in zip(
        reader.embedded_signatures,
        (CHAIR, MINUTE_TAKER),
        ("Pimpinan Rapat", "Notulis"),
        strict=False,
    ):
        texts = stamp_texts(embedded)
        when = format_stamp_time(embedded.self_reported_timestamp, ZONE)
        assert texts == ["Ditandatangani secara elektronik oleh", name, role, when]
        assert when.endswith(" WITA")


def test_stamp_time_format_is_indonesian_with_zone_label() -> None:
    moment = datetime(2026, 11, 22, 2, 15, tzinfo=UTC)
    assert format_stamp_time(moment, "Asia/Makassar") == "22 November 2026 10.15 WITA"
    assert format_stamp_time(moment, "Asia/Jayapura") == "22 November 2026 11.15 WIT"
    assert format_stamp_time(datetime(2026, 8, 17, 1, 0, tzinfo=UTC), "Asia/Jakarta") == (
        "17 Agustus 2026 08.00 WIB"
    )


def test_verify_report_lists_each_signature(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    import hashlib

    report = verify_pdf(signed["second"], [authority.certificate])
    assert report.readable
    assert report.ok
    assert not report.modified
    assert report.sha256 == hashlib.sha256(signed["second"]).hexdigest()
    chair, taker = report.signatures
    assert (chair.signer_name, chair.role, chair.field_name) == (
        CHAIR,
        "Pimpinan Rapat",
        "pimpinan",
    )
    assert (taker.signer_name, taker.role) == (MINUTE_TAKER, "Notulis")
    assert chair.certifying
    assert not taker.certifying
    assert chair.issuer == authority.name == taker.issuer
    assert all(s.intact and s.valid and s.trusted and s.changes_permitted for s in (chair, taker))
    # The chair's signature covers its own revision; the minute-taker's signing came later.
    assert not chair.covers_whole_file
    assert chair.modification_level == "form_filling"
    assert taker.covers_whole_file
    assert taker.modification_level == "none"
    assert chair.signed_at is not None
    assert chair.signed_at.tzinfo is not None
    assert abs(chair.signed_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_untrusted_root_is_reported_as_untrusted_not_modified(signed: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as other:
        stranger = create_ca(other, PASSPHRASE, "Lembaga Lain")
    report = verify_pdf(signed["second"], [stranger.certificate])
    assert not report.modified
    assert not report.ok
    assert all(s.intact and s.valid and not s.trusted for s in report.signatures)


# --- one changed byte anywhere ----------------------------------------------------------


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    # A hex digit stays a hex digit (so the file still parses as far as possible).
    changed[offset] = ord("1") if data[offset : offset + 1] == b"0" else data[offset] ^ 0x01
    return bytes(changed)


def last_contents(data: bytes) -> tuple[int, int, int]:
    """(start, end of DER hex, end) of the last signature's /Contents hex string."""
    reader = PdfFileReader(io.BytesIO(data))
    last = reader.embedded_signatures[-1]
    _, length1, start2, _ = list(last.byte_range)
    der_hex_end = length1 + 1 + 2 * (len(last.pkcs7_content.rstrip(b"\x00")) + 1)
    return length1, der_hex_end, start2


def tampered_offsets(signed: dict[str, bytes]) -> dict[str, int]:
    data, first = signed["second"], signed["first"]
    original = len(signed["original"])
    start, der_end, end = last_contents(data)
    first_reader = PdfFileReader(io.BytesIO(first))
    first_range = list(first_reader.embedded_signatures[0].byte_range)
    byte_range_at = data.rindex(b"/ByteRange")
    return {
        "first revision: header": 3,
        "first revision: page content": original // 2,
        "first revision: trailer": original - 10,
        "chair's signature value": first_range[1] + 40,
        "chair's revision after its signature": first_range[2] + 5,
        "minute-taker's /ByteRange": byte_range_at + 14,
        "minute-taker's signature value": start + 60,
        "minute-taker's zero padding": der_end + 10,
        "last trailer's /Prev": data.rindex(b"/Prev") + 2,
        "near the end: startxref": len(data) - 12,
        "near the end: %%EOF": len(data) - 3,
        "last byte": len(data) - 1,
        "gap closing bracket": end - 1,
    }


@pytest.mark.parametrize(
    "where",
    [
        "first revision: header",
        "first revision: page content",
        "first revision: trailer",
        "chair's signature value",
        "chair's revision after its signature",
        "minute-taker's /ByteRange",
        "minute-taker's signature value",
        "minute-taker's zero padding",
        "last trailer's /Prev",
        "near the end: startxref",
        "near the end: %%EOF",
        "last byte",
        "gap closing bracket",
    ],
)
def test_one_changed_byte_is_reported_as_modified(
    authority: CertificateAuthority, signed: dict[str, bytes], where: str
) -> None:
    offset = tampered_offsets(signed)[where]
    report = verify_pdf(flip(signed["second"], offset), [authority.certificate])
    assert report.modified, (where, report)
    assert not report.ok


def test_hex_case_change_in_last_signature_is_reported(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    data = bytearray(signed["second"])
    start, der_end, _end = last_contents(bytes(data))
    offset = next(i for i in range(start + 1, der_end) if chr(data[i]) in "abcdefABCDEF")
    data[offset] = ord(chr(data[offset]).swapcase())  # the same bytes once decoded
    report = verify_pdf(bytes(data), [authority.certificate])
    assert report.modified
    assert not report.ok


def test_sweep_of_offsets_across_the_whole_file(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    data = signed["second"]
    start, der_end, _end = last_contents(data)
    # Every ~1/60 of the file, and densely through the last signature's own bytes: the
    # one part of the file no signature covers (see meetcoord.documents.verify.verify).
    offsets = [*range(0, len(data), max(1, len(data) // 60)), *range(start + 1, der_end, 13)]
    missed = {
        offset: (data[offset - 12 : offset + 12], start, der_end, len(data), report)
        for offset in offsets
        if not (report := verify_pdf(flip(data, offset), [authority.certificate])).modified
    }
    assert missed == {}


def test_a_change_appended_after_signing_is_not_permitted(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed["second"]))
    forged = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 60 700 200 20 re f"))
    writer.add_stream_to_page(0, forged)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), [authority.certificate])
    assert report.modified
    assert not report.ok
    assert all(s.intact and s.valid for s in report.signatures)  # their bytes are untouched
    assert not any(s.changes_permitted for s in report.signatures)


def test_garbage_is_an_unreadable_report_not_an_exception(authority: CertificateAuthority) -> None:
    report = verify_pdf(b"%PDF-1.7\nbukan pdf", [authority.certificate])
    assert not report.readable
    assert report.modified
    assert not report.ok


# --- refusals -----------------------------------------------------------------------------


def test_signing_refusals_leave_the_file_unchanged(
    authority: CertificateAuthority, signed: dict[str, bytes]
) -> None:
    signer = signer_from_ca(authority, name="Budi", institution=INSTITUTION, role="Sekretaris")
    common: dict[str, Any] = {"role": "Sekretaris", "reason": "r", "location": "Mataram"}
    with pytest.raises(ValidationError, match="sudah disahkan"):  # no such field
        sign_pdf(signed["second"], signer, field_name="sekretaris", certify=False, **common)
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        sign_pdf(signed["second"], signer, field_name="notulis", certify=False, **common)
    with pytest.raises(ValidationError, match="pertama"):
        sign_pdf(signed["first"], signer, field_name="lain", certify=True, **common)
    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        sign_pdf(b"bukan pdf", signer, field_name="x", certify=True, **common)
    later = [SignatureField("lain", "Lain")]
    with pytest.raises(ValueError, match="later_fields"):
        sign_pdf(
            signed["first"],
            signer,
            field_name="notulis",
            certify=False,
            later_fields=later,
            **common,
        )


# --- an uploaded PKCS#12 from another CA --------------------------------------------------


@pytest.fixture(scope="module")
def national_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    """Stands in for a national e-signature CA: not ours, a separate root."""
    return create_ca(tmp_path_factory.mktemp("national"), PASSPHRASE, "Balai Sertifikasi Uji")


def p12_for(
    authority: CertificateAuthority,
    *,
    now: datetime | None = None,
    days: int = 365,
    name: str = CHAIR,
) -> bytes:
    issued = issue_signer(
        authority, name=name, institution=INSTITUTION, role="Kepala", now=now, days=days
    )
    return pkcs12.serialize_key_and_certificates(
        b"theo",
        issued.private_key,
        issued.certificate,
        [authority.certificate],
        serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
    )


class WriteWatch:
    """Records every file the process opens for writing (Python's audit hooks)."""

    active = False
    writes: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active:
            return
        if event == "open" and len(args) >= 3:
            path, mode, flags = args[0], args[1], args[2]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & 0o3  # O_WRONLY / O_RDWR
            )
            if writing:
                cls.writes.append(str(path))
        elif event in ("tempfile.mkstemp", "tempfile.mkdtemp", "os.mkdir", "os.rename"):
            cls.writes.append(f"{event}: {args[0]}")


sys.addaudithook(WriteWatch.hook)


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def test_uploaded_pkcs12_signs_verifies_and_is_not_stored(
    app: Flask,
    national_ca: CertificateAuthority,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p12 = p12_for(national_ca)
    watched = [Path(app.config["INSTANCE_PATH"]), ca_module.ca_dir(app.config["INSTANCE_PATH"])]
    watched.append(Path(__file__).resolve().parents[2] / "instance")
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(own_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))
    before = {folder: listing(folder) for folder in watched}
    WriteWatch.writes = []
    WriteWatch.active = True
    try:
        signer = signer_from_pkcs12(p12, P12_PASSWORD)
        result = sign_pdf(
            minutes_pdf(),
            signer,
            field_name="kepala",
            role="Kepala Bappeda",
            reason="Menyetujui notulen rapat",
            location="Mataram",
            certify=True,
            zone=ZONE,
        )
    finally:
        WriteWatch.active = False
    assert WriteWatch.writes == []
    assert {folder: listing(folder) for folder in watched} == before
    assert listing(own_tmp) == set()

    report = verify_pdf(result, [national_ca.certificate])
    assert report.ok
    assert not report.modified
    (only,) = report.signatures
    assert (only.signer_name, only.role, only.issuer) == (CHAIR, "Kepala Bappeda", national_ca.name)


def test_wrong_pkcs12_passphrase_is_a_clear_error(national_ca: CertificateAuthority) -> None:
    with pytest.raises(ValidationError, match="kata sandi salah") as caught:
        signer_from_pkcs12(p12_for(national_ca), "bukan-sandinya")
    assert "passphrase" in caught.value.errors
    with pytest.raises(ValidationError, match="kata sandi salah"):
        signer_from_pkcs12(b"bukan berkas p12", P12_PASSWORD)


@pytest.mark.parametrize(
    ("issued_at", "message"),
    [
        (datetime.now(UTC) - timedelta(days=800), "kedaluwarsa"),
        (datetime.now(UTC) + timedelta(days=3), "belum berlaku"),
    ],
)
def test_expired_or_future_certificate_is_refused(
    national_ca: CertificateAuthority, issued_at: datetime, message: str
) -> None:
    signer = signer_from_pkcs12(p12_for(national_ca, now=issued_at, days=730), P12_PASSWORD)
    pdf = minutes_pdf(1)
    with pytest.raises(ValidationError, match=message) as caught:
        sign_pdf(
            pdf, signer, field_name="kepala", role="Kepala", reason="r", location="x", certify=True
        )
    assert "certificate" in caught.value.errors


def test_expired_certificate_from_our_ca_is_refused_too(authority: CertificateAuthority) -> None:
    old = issue_signer(
        authority, name=CHAIR, institution=INSTITUTION, now=datetime.now(UTC) - timedelta(days=800)
    )
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        sign_pdf(
            minutes_pdf(1),
            signer_from_issued(old),
            field_name="pimpinan",
            role="Pimpinan Rapat",
            reason="r",
            location="x",
            certify=True,
        )


# --- `meetcoord init` ----------------------------------------------------------------------


def run_init(app: Flask) -> Any:
    # The shared fixture keeps the session app's context pushed; `init` must see this one.
    with app.app_context():
        return app.test_cli_runner().invoke(args=["init"])


def test_init_creates_the_ca_once_and_checks_the_passphrase(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    url = f"sqlite:///{tmp_path / 'init.db'}"
    app = throwaway_app(instance, url, CA_PASSPHRASE=PASSPHRASE)
    first = run_init(app)
    assert first.exit_code == 0, first.output
    assert "signing CA created" in first.output
    key = instance / "ca" / "ca-key.pem"
    assert key.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert key.stat().st_mode & 0o077 == 0
    kept = key.read_bytes()
    again = run_init(app)
    assert again.exit_code == 0, again.output
    assert "exists, left as it is" in again.output
    assert key.read_bytes() == kept

    # With a CA in place a wrong passphrase stops the application from being built at all
    # (config fails fast), so neither the service nor `meetcoord init` runs with it.
    with pytest.raises(ConfigError, match="MEETCOORD_CA_PASSPHRASE: does not open"):
        throwaway_app(instance, url, CA_PASSPHRASE="bukan-sandi-yang-benar")

    result = run_init(throwaway_app(tmp_path / "other", url, CA_PASSPHRASE=""))
    assert result.exit_code != 0
    assert "MEETCOORD_CA_PASSPHRASE: must be set" in result.output
    assert not (tmp_path / "other" / "ca").exists()


def test_signing_and_verifying_work_inside_a_running_event_loop(
    authority: CertificateAuthority,
) -> None:
    """pyHanko's blocking API starts its own loop; a host running one (Playwright's sync
    API, an asyncio worker) must not make every signature fail."""
    import asyncio
    import threading

    async def inside() -> Any:
        _first, second = sign_both(authority, minutes_pdf())
        return verify_pdf(second, [authority.certificate])

    # In a thread of its own: this thread may run a loop already (the browser tests').
    reports: list[Any] = []
    worker = threading.Thread(target=lambda: reports.append(asyncio.run(inside())))
    worker.start()
    worker.join(timeout=60)
    assert reports, "signing inside the loop raised"
    assert reports[0].ok, reports[0]
