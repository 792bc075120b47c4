"""Random secrets that are shown once and stored only as a hash.

API tokens, personal invitation links and feed URLs all follow the same rule: the holder
keeps the secret, the database keeps its SHA-256, so a leaked database cannot be replayed.
SHA-256 without a salt is enough because the secrets carry ≥ 128 random bits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)
