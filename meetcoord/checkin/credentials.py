"""Personal check-in credentials: Ed25519-signed, verifiable offline; pure, no Flask.

The QR on an invitation is ``MC1.<payload>.<signature>`` (base64url). The payload is 9
bytes: a version, the meeting id and the invitation id. A desk that holds the meeting's
public key verifies it without a connection; the revocation list (withdrawn invitations)
travels with the key. The private key is never stored: it is derived from the server key
and a per-meeting salt, so every process computes the same one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "MC1"
VERSION = 1
_PAYLOAD = struct.Struct(">BII")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.lru_cache(maxsize=256)
def meeting_key(server_key: str, salt: str) -> Ed25519PrivateKey:
    """Derived once per meeting and process: every desk scan verifies under this key."""
    seed = hmac.new(
        hashlib.sha256(f"meetcoord:meeting-signing:{server_key}".encode()).digest(),
        salt.encode("ascii"),
        hashlib.sha256,
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


@functools.lru_cache(maxsize=256)
def meeting_public_key(server_key: str, salt: str) -> Ed25519PublicKey:
    """The meeting's public key, built once per meeting and process (not per scan)."""
    return meeting_key(server_key, salt).public_key()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key, base64url: what a desk keeps to verify offline."""
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _b64(raw)


def issue(key: Ed25519PrivateKey, meeting_id: int, invitation_id: int) -> str:
    payload = _PAYLOAD.pack(VERSION, meeting_id, invitation_id)
    return f"{PREFIX}.{_b64(payload)}.{_b64(key.sign(payload))}"


class CredentialError(ValueError):
    """``reason`` is one of: malformed, bad_signature."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Credential:
    meeting_id: int
    invitation_id: int


def parse(text: str) -> tuple[Credential, bytes, bytes]:
    """Split without verifying: (credential, payload, signature)."""
    parts = text.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise CredentialError("malformed")
    try:
        payload, signature = _unb64(parts[1]), _unb64(parts[2])
        version, meeting_id, invitation_id = _PAYLOAD.unpack(payload)
    except (ValueError, struct.error):
        raise CredentialError("malformed") from None
    if version != VERSION or len(signature) != 64:
        raise CredentialError("malformed")
    return Credential(meeting_id, invitation_id), payload, signature


def signature_holds(payload: bytes, signature: bytes, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        return False
    return True


def verify(text: str, public_key: Ed25519PublicKey) -> Credential:
    """The credential if its signature holds under ``public_key`` (the meeting's)."""
    credential, payload, signature = parse(text)
    if not signature_holds(payload, signature, public_key):
        raise CredentialError("bad_signature")
    return credential
