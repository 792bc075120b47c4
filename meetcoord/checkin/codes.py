"""Rotating kiosk codes and short typed codes; pure functions, no Flask.

A kiosk at each venue shows a QR that changes every 20 seconds: an HMAC of the site's secret
and the current window. Someone at home cannot check in because they cannot see the screen;
a photo sent to a friend stops working within 40 seconds (the current and the previous
window are accepted, so a phone that scans at the edge of a window is not refused). The
short typed code beneath the QR is derived from the same HMAC and uses no look-alike
characters (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).

The phone that did scan a current code gets a *scan pass* (``selfcheckin_views``) for
``PASS_SECONDS``: at a kiosk with a queue of sixty people, everyone scans the projector at
once and then needs time to find their name among the invitees, type four digits or fill
the walk-in form on a slow connection — often more than a minute. 40 seconds would send
many of them back to scan again; 4 minutes lets nearly everyone finish in one go. The pass
lives only in that phone's browser (a cookie, never the URL), so a photo or a forwarded
link still stops working within 40 seconds for anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

WINDOW_SECONDS = 20
PASS_SECONDS = 4 * 60  # within the 5 minutes an old code is answered "expired" (check_code)
URL_CODE_LENGTH = 10
TYPED_CODE_LENGTH = 6
URL_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 symbols, lowercase for the URL
TYPED_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"  # what people read off a projector and type


def window_at(unix_seconds: float) -> int:
    return int(unix_seconds // WINDOW_SECONDS)


def _digest(site_secret: bytes, window: int) -> bytes:
    return hmac.new(site_secret, f"kiosk:{window}".encode("ascii"), hashlib.sha256).digest()


def _encode(digest: bytes, alphabet: str, length: int) -> str:
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def url_code(site_secret: bytes, window: int) -> str:
    return _encode(_digest(site_secret, window), URL_ALPHABET, URL_CODE_LENGTH)


def typed_code(site_secret: bytes, window: int) -> str:
    return _encode(_digest(site_secret, window)[16:], TYPED_ALPHABET, TYPED_CODE_LENGTH)


def normalise_typed(text: str) -> str:
    """What a person typed → the code's form: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str | None  # "old_window" or "wrong_code" when not ok


def check_code(site_secret: bytes, code: str, now_unix: float, *, typed: bool = False) -> CodeCheck:
    """Accept the current and the previous window; say why anything else is refused."""
    current = window_at(now_unix)
    make = typed_code if typed else url_code
    given = normalise_typed(code) if typed else code.strip().lower()
    for window in (current, current - 1):
        if hmac.compare_digest(make(site_secret, window), given):
            return CodeCheck(True, None)
    # A code from a few minutes ago is "expired"; anything else is simply wrong. Telling
    # them apart helps the person at the door ("scan again") without helping a forger.
    for window in range(current - 15, current - 1):
        if hmac.compare_digest(make(site_secret, window), given):
            return CodeCheck(False, "old_window")
    return CodeCheck(False, "wrong_code")
