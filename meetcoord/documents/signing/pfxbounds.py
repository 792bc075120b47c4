"""How much key derivation a PKCS#12 file asks for, read before anyone derives a key; pure.

Opening a PKCS#12 (.p12/.pfx) file runs a password-based key derivation for its MAC and
for each encrypted part, as many rounds as the file itself says: a 3 KB file that asks
for 20 million rounds costs 3-6 s of CPU before the passphrase is even found wrong.
:func:`check_pkcs12_bounds` reads the PFX structure (asn1crypto, no decryption) and
refuses a file whose MAC or any password-based encryption it can see asks for more than
:data:`MAX_ROUNDS` rounds, or more than :data:`MAX_TOTAL_ROUNDS` together.

Why these bounds: real exports use 2,048 rounds (OpenSSL 3), 2,000 (Windows), 10,000
(Java's keytool) or 20,000 (Python's cryptography); OWASP's advice for PBKDF2-SHA256 is
600,000. One million per derivation leaves room above all of them, and three million in
all covers the MAC plus two encrypted layers at that maximum: about 1.3 s of CPU on this
project's 2-core machine, inside the sandbox's limit. A derivation inside an encrypted
layer is only visible after that layer is decrypted; the sandbox's CPU limit bounds it.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import algos, cms, keys, pkcs12

MAX_ROUNDS = 1_000_000
MAX_TOTAL_ROUNDS = 3_000_000
MAX_NESTING = 4
_KDFS = {"pbkdf2", "pkcs12_kdf", "pbkdf1"}


class Pkcs12BoundsError(ValueError):
    """``reason``: ``too_slow`` (too many rounds) or ``unreadable`` (not a PFX we read)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _rounds(algorithm: algos.EncryptionAlgorithm) -> int:
    if algorithm.kdf not in _KDFS:
        raise Pkcs12BoundsError("unreadable", f"key derivation {algorithm.kdf} not supported")
    return int(algorithm.kdf_iterations)


def _bag_rounds(contents: Any, depth: int) -> list[int]:
    if depth > MAX_NESTING:
        raise Pkcs12BoundsError("unreadable", "safe contents nested too deep")
    rounds: list[int] = []
    for bag in contents:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            shrouded: keys.EncryptedPrivateKeyInfo = bag["bag_value"]
            rounds.append(_rounds(shrouded["encryption_algorithm"]))
        elif kind == "safe_contents":
            rounds.extend(_bag_rounds(bag["bag_value"], depth + 1))
    return rounds


def kdf_rounds(data: bytes) -> list[int]:
    """The rounds of every key derivation visible in the file: the MAC's first."""
    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        rounds = []
        if pfx["mac_data"].native is not None:
            rounds.append(int(pfx["mac_data"]["iterations"].native))
        for info in pfx.authenticated_safe:
            kind = info["content_type"].native
            if kind == "data":
                rounds.extend(_bag_rounds(pkcs12.SafeContents.load(info["content"].native), 0))
            elif kind == "encrypted_data":
                encrypted: cms.EncryptedData = info["content"]
                algorithm = encrypted["encrypted_content_info"]["content_encryption_algorithm"]
                rounds.append(_rounds(algorithm))
            else:
                raise Pkcs12BoundsError("unreadable", f"{kind} content not supported")
    except Pkcs12BoundsError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise Pkcs12BoundsError("unreadable", f"not a PKCS#12 file: {exc}") from None
    return rounds


def check_pkcs12_bounds(data: bytes) -> None:
    """Raise :class:`Pkcs12BoundsError` when opening ``data`` would cost too much."""
    rounds = kdf_rounds(data)
    if any(r < 1 for r in rounds):
        raise Pkcs12BoundsError("unreadable", f"key derivation rounds {rounds}")
    if any(r > MAX_ROUNDS for r in rounds) or sum(rounds) > MAX_TOTAL_ROUNDS:
        raise Pkcs12BoundsError("too_slow", f"key derivation rounds {rounds} over the bound")
