"""Random secrets that are shown once and stored only as a hash.

API tokens, personal invitation links and feed URLs all follow the same rule: the holder
keeps the secret, the database keeps its SHA-256, so a leaked database cannot be replayed.
SHA-256 without a salt is enough because the secrets carry ≥ 128 random bits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def new_salt() -> str:
    return secrets.token_hex(16)


def derived_token(server_key: str, purpose: str, salt: str) -> str:
    """A 256-bit URL-safe token that only the holder of ``server_key`` can compute.

    Used where the same secret link must go out more than once (every update mail carries
    the participant's personal link) while the database keeps only ``salt`` and the hash.
    Changing the salt revokes the link; changing the server key revokes them all.
    """
    key = hashlib.sha256(f"meetcoord:{purpose}:{server_key}".encode()).digest()
    digest = hmac.new(key, salt.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
