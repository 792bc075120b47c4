"""Bot protection of the public form, without a third party: a timed form token, a honeypot.

The form token is ``<issued unix seconds>.<HMAC(server key, slug, issued)>``: the page
hands one out, the POST must bring it back at least :data:`MIN_SECONDS` later (no human
fills a form in under three seconds) and at most :data:`MAX_SECONDS` later (a token
harvested once cannot be replayed for ever). No session, no cookie: the public page stays
cacheable-free of personal state. The honeypot is a field people never see (hidden by
CSS, out of the tab order, ``autocomplete=off``); form-filling bots fill it. Rate limits
per address are the views' (flask-limiter). Pure functions: no Flask.
"""

from __future__ import annotations

import hashlib
import hmac
import time

MIN_SECONDS = 3
MAX_SECONDS = 2 * 60 * 60
HONEYPOT = "website"  # the field's name: a word bots like to fill


def _mac(key: str, slug: str, issued: int) -> str:
    secret = hashlib.sha256(f"meetcoord:registration-form:{key}".encode()).digest()
    message = f"{slug}:{issued}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def issue(key: str, slug: str, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_mac(key, slug, issued)}"


def check(key: str, slug: str, token: object, now: float | None = None) -> str | None:
    """None when the token is good; otherwise why not: ``forged``, ``fast`` or ``stale``."""
    if not isinstance(token, str) or len(token) > 60 or "." not in token:
        return "forged"
    stamp, mac = token.split(".", 1)
    if not stamp.isdigit() or len(stamp) > 12:
        return "forged"
    issued = int(stamp)
    if not hmac.compare_digest(mac, _mac(key, slug, issued)):
        return "forged"
    age = (time.time() if now is None else now) - issued
    if age < MIN_SECONDS:
        return "fast"
    if age > MAX_SECONDS:
        return "stale"
    return None


def caught(value: object) -> bool:
    """The honeypot was filled: a bot."""
    return bool(value) and (not isinstance(value, str) or bool(value.strip()))
