"""One incremental PAdES signature per signatory, with a visible stamp (DESIGN §7).

Each call adds one signature as an incremental update, so every earlier signature stays
intact and any PDF reader can check them all. The first signature *certifies* the
document with DocMDP level 2 (FILL_FORMS: filling in fields and signing are allowed,
nothing else); pyHanko's difference analysis does not support level 3 (ANNOTATE).

Why the later signatories' fields are made by the certifying call (``later_fields``):
after a certification signature, a reader — pyHanko's validator among them — accepts a
later signature only in a signature field that already existed when the document was
certified; a new visible field counts as a change to the form. So the chair's signature
brings the empty fields for the minute-taker and any other signatory along, and each of
them later fills their own.

The stamp shows the signer's name, role and the signing time in the venue's zone with its
label ("22 November 2026 10.15 WITA"). The time is the same instant as the signature's
signing time: pyHanko hands it to the stamp, which reformats it here. The stamp's font is
DejaVu Sans (reportlab's Bitstream Vera when the system lacks it), embedded as a subset so
accented names and apostrophes render; to keep signing fast the Latin ranges are cut out
of the font once per process.

Signers come from the deployment's CA (:func:`signer_from_ca`) or from a PKCS#12 file a
signatory uploads (:func:`signer_from_pkcs12`); that file is parsed in the sandbox, used
for this one signature and never written anywhere.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask_babel import lazy_gettext as _l
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from meetcoord.core import sandbox
from meetcoord.core.errors import ValidationError, field_errors
from meetcoord.core.timezones import format_time_in_zone, to_zone
from meetcoord.documents.signing import untrusted
from meetcoord.documents.signing.asyncsafe import call_blocking
from meetcoord.documents.signing.ca import (
    CertificateAuthority,
    IssuedKey,
    common_name,
    issue_signer,
)

Box = tuple[float, float, float, float]
DEFAULT_BOX: Box = (60.0, 60.0, 280.0, 130.0)
STAMP_FONT_SIZE = 8
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # how pyHanko hands the stamp the time; reformatted
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # as checkin.exports
# Basic Latin, Latin-1, Latin Extended A/B, Latin Extended Additional, punctuation, €.
_STAMP_CODEPOINTS = [*range(0x20, 0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), 0x20AC]


# The stamp is part of the document, which is Indonesian whoever signs it (DESIGN §7).
STAMP_HEADING = "Ditandatangani secara elektronik oleh"
# Refusals, shown to the signatory in their language; the field names which input to fix.
WRONG_PASSPHRASE = _l(
    "Berkas sertifikat (PKCS#12) tidak dapat dibuka: kata sandi salah atau berkas rusak."
)
INCOMPLETE_PKCS12 = _l("Berkas sertifikat harus berisi kunci privat dan sertifikat penanda tangan.")
COSTLY_PKCS12 = _l(
    "Berkas sertifikat (PKCS#12) ini meminta terlalu banyak putaran penurunan kunci untuk "
    "dibuka. Ekspor ulang dengan pengaturan bawaan aplikasi Anda."
)
NOT_YET_VALID = _l("Sertifikat penanda tangan belum berlaku.")
EXPIRED = _l("Sertifikat penanda tangan sudah kedaluwarsa.")
UNREADABLE_PDF = _l("Berkas PDF tidak dapat dibaca.")
ALREADY_SIGNED = _l("Kolom tanda tangan ini sudah ditandatangani.")
FIRST_ONLY_CERTIFIES = _l("Hanya tanda tangan pertama yang dapat mengesahkan dokumen.")
NO_FIELD_AFTER_CERTIFY = _l(
    "Dokumen sudah disahkan dan tidak memiliki kolom tanda tangan untuk peran ini."
)


def _refusal(message: Any, field_name: str) -> ValidationError:
    return ValidationError(message, errors=field_errors(**{field_name: message}))


@dataclass(frozen=True)
class SignerKey:
    """A pyHanko signer plus the certificate it signs with (for checks and the stamp)."""

    signer: SimpleSigner
    certificate: x509.Certificate

    @property
    def name(self) -> str:
        return common_name(self.certificate.subject)


@dataclass(frozen=True)
class SignatureField:
    """An (empty) signature field: where a signatory's stamp goes, and their role."""

    name: str
    role: str
    page: int = -1  # 0-based; -1 is the last page
    box: Box = DEFAULT_BOX


def _reportlab_vera() -> Path:
    import reportlab

    return Path(reportlab.__file__).resolve().parent / "fonts" / "Vera.ttf"


@functools.cache
def _stamp_font() -> bytes:
    """The stamp font's Latin part, made once: subsetting the whole font each time is slow."""
    from fontTools import subset, ttLib
    from fontTools.ttLib.scaleUpem import scale_upem

    path = DEJAVU if DEJAVU.is_file() else _reportlab_vera()
    font = ttLib.TTFont(str(path))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # instructions written for 2048 units would misplace i's dot
    options.drop_tables += ["FFTM"]  # FontForge timestamps; fontTools warns about them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_STAMP_CODEPOINTS)
    subsetter.subset(font)
    # pyHanko writes glyph widths in font units but PDF reads them per 1000 em: DejaVu has
    # 2048 units per em, so without this every letter would take twice its width.
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    font.close()
    return out.getvalue()


@dataclass(frozen=True)
class _MemoryFont(FontEngineFactory):
    """pyHanko's OpenType engine fed from memory (its own factory leaves a file open)."""

    font_size: int = STAMP_FONT_SIZE

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_stamp_font()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def format_stamp_time(moment: datetime, zone: str) -> str:
    """ "22 November 2026 10.15 WITA": the date and time at the venue, with its label."""
    local = to_zone(moment, zone)
    return (
        f"{format_date(local.date(), 'd MMMM y', locale='id')} {format_time_in_zone(moment, zone)}"
    )


@dataclass(frozen=True)
class _Stamp(TextStampStyle):
    """A text stamp whose time is shown in the venue's zone, in Indonesian."""

    zone: str = "Asia/Jakarta"

    def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> Any:
        params = dict(text_params)
        moment = datetime.strptime(params["ts"], "%Y-%m-%dT%H:%M:%S%z")  # aware: has %z
        params["ts"] = format_stamp_time(moment, self.zone)
        return super().create_stamp(writer, box, params)


def _stamp_style(lines: Sequence[str], zone: str) -> _Stamp:
    # Every line goes in as a parameter, so a '%' in a name cannot break the template.
    template = "\n".join(f"%(line{i})s" for i in range(len(lines))) + "\n%(ts)s"
    return _Stamp(
        stamp_text=template,
        timestamp_format=_TS_FORMAT,
        # The same size for the box as for the font engine, or lines drift sideways.
        text_box_style=TextBoxStyle(
            font=_MemoryFont(), font_size=STAMP_FONT_SIZE, leading=STAMP_FONT_SIZE + 2
        ),
        border_width=1,
        background=None,
        zone=zone,
    )


def _pyhanko_signer(
    key_der: bytes, certificate: x509.Certificate, chain: Sequence[x509.Certificate]
) -> SimpleSigner:
    registry = SimpleCertificateStore()
    pem_chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
    if pem_chain:
        registry.register_multiple(load_certs_from_pemder_data(pem_chain))
    return SimpleSigner(
        signing_cert=next(
            load_certs_from_pemder_data(certificate.public_bytes(serialization.Encoding.PEM))
        ),
        signing_key=load_private_key_from_pemder_data(key_der, passphrase=None),
        cert_registry=registry,
        # The root is what a verifier is given as trust anchor; a copy in the file only
        # adds bytes that no signature covers (see verify.py on the last /Contents).
        embed_roots=False,
    )


def _der_key(private_key: Any) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def signer_from_issued(issued: IssuedKey) -> SignerKey:
    signer = _pyhanko_signer(_der_key(issued.private_key), issued.certificate, issued.chain)
    return SignerKey(signer, issued.certificate)


def signer_from_ca(
    ca: CertificateAuthority,
    *,
    name: str,
    institution: str,
    role: str | None = None,
    now: datetime | None = None,
) -> SignerKey:
    """A certificate from our CA for this one signing (see :mod:`.ca` for why)."""
    issued = issue_signer(ca, name=name, institution=institution, role=role, now=now)
    return signer_from_issued(issued)


def signer_from_pkcs12(data: bytes, passphrase: str | None) -> SignerKey:
    """A signatory's own PKCS#12 (.p12/.pfx) file, opened in memory and never stored.

    The file is opened in the sandbox (:mod:`.untrusted`): its key-derivation rounds are
    bounded first, and the key comes back as DER over a pipe. A wrong passphrase, a
    damaged file, one without a key and certificate, or one too costly to open is a
    :class:`ValidationError` that names the upload, so the person can try again.
    """
    try:
        key_der, certificate, chain = untrusted.open_pkcs12_untrusted(data, passphrase)
    except (sandbox.TooSlow, sandbox.TooBig):
        raise _refusal(COSTLY_PKCS12, "certificate") from None
    except sandbox.Unreadable:
        raise _refusal(WRONG_PASSPHRASE, "passphrase") from None
    if key_der is None or certificate is None:
        raise _refusal(INCOMPLETE_PKCS12, "certificate")
    return SignerKey(_pyhanko_signer(key_der, certificate, chain), certificate)


def check_certificate_time(certificate: x509.Certificate, now: datetime | None = None) -> None:
    """An expired or not-yet-valid certificate makes a signature no reader accepts: refuse."""
    now = now or datetime.now(UTC)
    if now < certificate.not_valid_before_utc:
        raise _refusal(NOT_YET_VALID, "certificate")
    if now > certificate.not_valid_after_utc:
        raise _refusal(EXPIRED, "certificate")


@dataclass
class _FieldState:
    exists: bool = False
    filled: bool = False
    certified: bool = False
    signatures: int = 0
    names: set[str] = field(default_factory=set)


def _inspect(pdf_bytes: bytes, field_name: str) -> _FieldState:
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        state = _FieldState(certified="/DocMDP" in reader.root.get("/Perms", {}))
        for name, value, _ref in fields.enumerate_sig_fields(reader):
            state.names.add(name)
            state.signatures += value is not None
            if name == field_name:
                state.exists, state.filled = True, value is not None
    except Exception:
        raise _refusal(UNREADABLE_PDF, "file") from None
    return state


def _add_empty_field(writer: IncrementalPdfFileWriter, spec: SignatureField) -> None:
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            spec.name,
            on_page=spec.page,
            box=spec.box,  # type: ignore[arg-type]  # pyHanko's hint says int; floats work
            readable_field_name=spec.role,
        ),
    )


def sign_pdf(
    pdf_bytes: bytes,
    signer: SignerKey,
    *,
    field_name: str,
    role: str,
    reason: str,
    location: str,
    certify: bool,
    zone: str = "Asia/Jakarta",
    stamp_lines: Sequence[str] = (),
    page: int = -1,
    box: Box = DEFAULT_BOX,
    later_fields: Sequence[SignatureField] = (),
    now: datetime | None = None,
) -> bytes:
    """Return ``pdf_bytes`` with one more signature appended; the input is not changed.

    ``certify`` is for the first signatory only; ``later_fields`` (allowed only then) are
    the empty fields the others will sign. Without ``certify`` the signature goes into the
    field ``field_name``, which must be there and empty when the document is certified.
    Nothing is produced when anything is wrong: each refusal is a :class:`ValidationError`.
    ``now`` only moves the certificate-validity check (tests); the signing time is the
    clock's. CPU-bound (~50 ms): call it from a background task, never a socket handler.
    """
    check_certificate_time(signer.certificate, now)
    state = _inspect(pdf_bytes, field_name)
    if later_fields and not certify:  # a caller's mistake, not the signatory's
        raise ValueError("later_fields are created by the certifying (first) signature")
    taken = state.names | {field_name}
    if len({spec.name for spec in later_fields} | taken) != len(later_fields) + len(taken):
        raise ValueError("signature field names must all differ")
    if state.filled:
        raise _refusal(ALREADY_SIGNED, "field")
    if certify and state.signatures:
        raise _refusal(FIRST_ONLY_CERTIFIES, "field")
    if not certify and state.certified and not state.exists:
        raise _refusal(NO_FIELD_AFTER_CERTIFY, "field")

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    for spec in later_fields:
        _add_empty_field(writer, spec)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=signer.name,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    new_field = None
    if not state.exists:
        new_field = fields.SigFieldSpec(
            field_name,
            on_page=page,
            box=box,  # type: ignore[arg-type]
            readable_field_name=role,
        )
    lines = [STAMP_HEADING, signer.name, role, *stamp_lines]
    params = {f"line{i}": str(text) for i, text in enumerate(lines)}
    pdf_signer = signers.PdfSigner(
        meta, signer.signer, stamp_style=_stamp_style(lines, zone), new_field_spec=new_field
    )
    output = call_blocking(
        pdf_signer.sign_pdf,
        writer,
        existing_fields_only=state.exists,
        appearance_text_params=params,
    )
    return output.getvalue()
