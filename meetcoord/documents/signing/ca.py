"""The deployment's own certificate authority, which issues each signatory a certificate.

Why a CA of our own (DESIGN §7): most signatories of a rapat koordinasi have no certificate
from a national e-signature CA, yet the minutes must carry real digital signatures that any
PDF reader can check. The deployment's CA lives under ``instance/ca/`` (created by
``meetcoord init``): ``ca-cert.pem`` is public and is the trust root a reader or the
verification page is given; ``ca-key.pem`` is the private key, encrypted with
``MEETCOORD_CA_PASSPHRASE`` so that a copied instance folder alone signs nothing.

Keys are ECDSA P-256: small signatures and fast signing (DESIGN §10 allows 0.5 s for two
signatures), and every current PDF reader validates them.

Signer keys are made per signing and kept only in memory (:func:`issue_signer`). Storing
one key per person would mean a second secret store to protect, rotate and revoke, for no
gain: the certificate embedded in the signature is all a verifier needs, and the CA's
signature over it is what makes the name and role in it trustworthy. A fresh certificate
per signing also records the signer's name, institution and role as they were that day.
Nothing here imports Flask; the passphrase and paths are passed in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from meetcoord.core.settings import ConfigError

CA_DIRNAME = "ca"
CERT_FILENAME = "ca-cert.pem"
KEY_FILENAME = "ca-key.pem"
CA_YEARS = 10
SIGNER_DAYS = 730  # two years: long enough for a term of office, short enough to age out
# A signer certificate starts a little in the past so that a reader whose clock is a few
# minutes behind ours does not see a "not yet valid" signature.
CLOCK_SKEW = timedelta(minutes=10)
PASSPHRASE_VARIABLE = "MEETCOORD_CA_PASSPHRASE"  # noqa: S105 (a variable name)


class CAError(ConfigError):
    """The CA is missing, incomplete, or its passphrase does not open its key."""


@dataclass(frozen=True)
class CertificateAuthority:
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def name(self) -> str:
        return common_name(self.certificate.subject)


@dataclass(frozen=True)
class IssuedKey:
    """A signer's certificate with its key (in memory only) and the chain up to the root."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def ca_dir(instance_path: Path | str) -> Path:
    return Path(instance_path) / CA_DIRNAME


def ca_exists(instance_path: Path | str) -> bool:
    """True when any part of the CA is there (an incomplete one must not be overwritten)."""
    folder = ca_dir(instance_path)
    return (folder / CERT_FILENAME).exists() or (folder / KEY_FILENAME).exists()


def _passphrase_bytes(passphrase: str | None) -> bytes:
    if not passphrase:
        raise CAError(f"{PASSPHRASE_VARIABLE}: must be set to create or open the signing CA")
    return passphrase.encode("utf-8")


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: two `meetcoord init` at once cannot overwrite each other's key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def create_ca(
    instance_path: Path | str,
    passphrase: str | None,
    institution: str,
    *,
    now: datetime | None = None,
) -> CertificateAuthority:
    """Make the CA's key and self-signed certificate under ``instance/ca/``.

    Refuses when any CA file exists: replacing the CA would make every signature made so
    far untrusted by the verification page.
    """
    secret = _passphrase_bytes(passphrase)
    if ca_exists(instance_path):
        raise CAError(f"a signing CA already exists in {ca_dir(instance_path)}; not replaced")
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{institution} — CA tanda tangan rapat"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, institution),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = ca_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )
    _write_new(folder / KEY_FILENAME, key_pem, 0o600)
    _write_new(folder / CERT_FILENAME, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return CertificateAuthority(certificate, key)


def load_ca_certificate(instance_path: Path | str) -> x509.Certificate:
    """The public trust root, for verification; needs no passphrase."""
    path = ca_dir(instance_path) / CERT_FILENAME
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError:
        raise CAError(f"no signing CA in {ca_dir(instance_path)}; run `meetcoord init`") from None


def load_ca(instance_path: Path | str, passphrase: str | None) -> CertificateAuthority:
    """Open the CA; a missing or wrong passphrase is a :class:`CAError` naming the variable."""
    folder = ca_dir(instance_path)
    if not ca_exists(instance_path):
        raise CAError(f"no signing CA in {folder}; run `meetcoord init`")
    if not (folder / KEY_FILENAME).exists() or not (folder / CERT_FILENAME).exists():
        raise CAError(
            f"the signing CA in {folder} is incomplete (need {CERT_FILENAME} and "
            f"{KEY_FILENAME}); restore both from a backup"
        )
    if not passphrase:
        raise CAError(f"{PASSPHRASE_VARIABLE}: must be set, a signing CA exists in {folder}")
    try:
        key = serialization.load_pem_private_key(
            (folder / KEY_FILENAME).read_bytes(), password=passphrase.encode("utf-8")
        )
    except (ValueError, TypeError):
        raise CAError(
            f"{PASSPHRASE_VARIABLE}: does not open the signing CA's key in {folder}"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CAError(f"the signing CA's key in {folder} is not an ECDSA key")
    certificate = load_ca_certificate(instance_path)
    if certificate.public_key() != key.public_key():
        raise CAError(f"the CA certificate and key in {folder} do not belong together")
    return CertificateAuthority(certificate, key)


def check_ca_passphrase(instance_path: Path | str, passphrase: str | None) -> None:
    """Fail fast at start: when a CA exists, its passphrase must be set and must open it.

    A start-up check (``create_app`` runs it), so that a wrong passphrase is found when the
    service starts, not when a chair presses "Tandatangani" after a long meeting. No CA yet is
    fine (``meetcoord init`` makes one).
    """
    if ca_exists(instance_path):
        load_ca(instance_path, passphrase)


def _key_usage(*, cert_sign: bool = False, signing: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # nonRepudiation: the signer stands behind the content
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def issue_signer(
    ca: CertificateAuthority,
    *,
    name: str,
    institution: str,
    role: str | None = None,
    now: datetime | None = None,
    days: int = SIGNER_DAYS,
) -> IssuedKey:
    """A fresh key and certificate for one signing: CN = name, O = institution, title = role."""
    if not name.strip():
        raise ValueError("a signer certificate needs the signer's name")
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, name.strip()),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, institution.strip() or ca.name),
    ]
    if role and role.strip():
        attributes.append(x509.NameAttribute(NameOID.TITLE, role.strip()))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(min(now + timedelta(days=days), ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.private_key.public_key()),
            critical=False,
        )
        .sign(ca.private_key, hashes.SHA256())
    )
    return IssuedKey(certificate, key, (ca.certificate,))
