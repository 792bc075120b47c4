"""Hostile files, small and quick to make: the PDF and PKCS#12 bombs of issue 11.

- :func:`bomb_pdf`: a 6 KB PDF whose cross-reference stream honestly declares a million
  entries (zeros and ones that inflate to 6 MB); pyHanko needs 7-20 s and 230 MB for it.
- :func:`hidden_bomb_pdf`: the same, written so that a scan of the raw bytes does not see
  it (a ``(endobj)`` string in the stream's dictionary, ``/Index`` spelled with a name
  escape); only the sandbox's limits stop it.
- :func:`pkcs12_file`: a key and self-signed certificate as PKCS#12, with ``mac_rounds``
  written into its MAC parameters afterwards: 20 million rounds cost OpenSSL 3-6 s
  before it finds the (then wrong) MAC, and the file takes milliseconds to make.
"""

from __future__ import annotations

import functools
import zlib
from datetime import UTC, datetime, timedelta

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

P12_PASSPHRASE = "sandi-sertifikat-uji"


@functools.cache
def bomb_pdf(entries: int = 1_000_000) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in (
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
    ):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = offsets[4] = len(out)
    rows = bytearray()
    for number in range(entries):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00"
        else:
            rows += b"\x00" * 6
    data = zlib.compress(bytes(rows), 9)
    out += (
        b"4 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % (entries, len(data))
    )
    out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


@functools.cache
def hidden_bomb_pdf(entries: int = 1_000_000) -> bytes:
    declared = b"<< /Type /XRef /Size %d " % entries
    return bomb_pdf(entries).replace(
        declared, b"<< /Type /XRef /Size 5 /Ind#65x [0 %d] /Note (endobj) " % entries
    )


@functools.cache
def _key_and_certificate() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ketua Rapat")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


@functools.cache
def pkcs12_file(mac_rounds: int | None = None, kdf_rounds: int = 2048) -> bytes:
    """A PKCS#12 export like OpenSSL 3's (PBES2, ``kdf_rounds``), its MAC set to
    ``mac_rounds`` afterwards when given (the MAC then no longer matches)."""
    key, certificate = _key_and_certificate()
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(kdf_rounds)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(P12_PASSPHRASE.encode())
    )
    data = pkcs12.serialize_key_and_certificates(b"ketua", key, certificate, None, encryption)
    if mac_rounds is None:
        return data
    pfx = asn1_pkcs12.Pfx.load(data)
    pfx["mac_data"]["iterations"] = mac_rounds
    return pfx.dump(force=True)


def slow_pkcs12() -> bytes:
    """The issue's attack: 20 million key-derivation rounds for the MAC."""
    return pkcs12_file(mac_rounds=20_000_000)
