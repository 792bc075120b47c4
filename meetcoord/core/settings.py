"""Parsers for settings: each turns one raw environment value into what the service runs with.

A parser takes the variable's name and its raw text and returns the value, or raises
:class:`ConfigError` with one line naming the variable, the bad value and what was
expected. They know no feature: ``meetcoord.config`` lists which variable each one reads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path


class ConfigError(ValueError):
    """A setting is missing or has a value the service cannot run with."""


def boolean(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true/false (1/0, yes/no, on/off)")


def int_range(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
        if not low <= value <= high:
            raise ConfigError(f"{name}={raw!r}: expected a number from {low} to {high}")
        return value

    return parse


def choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ConfigError(f"{name}={raw!r}: expected one of {', '.join(options)}")
        return value

    return parse


def database_url(name: str, raw: str) -> str:
    value = raw.strip()
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        # psycopg 3 is the driver we ship; the bare scheme would pick psycopg2.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    if not (value.startswith("sqlite:") or value.startswith("postgresql+psycopg://")):
        raise ConfigError(
            f"{name}={raw!r}: expected sqlite:///path or postgresql+psycopg://user@host/db"
        )
    return value


def redis_url(name: str, raw: str) -> str:
    value = raw.strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{name}={raw!r}: expected redis://host:port/db")
    return value


def limiter_storage(name: str, raw: str) -> str:
    value = raw.strip()
    if not value.startswith(("memory://", "redis://", "rediss://")):
        raise ConfigError(f"{name}={raw!r}: expected memory:// or redis://host:port/db")
    return value


def zone(name: str, raw: str) -> str:
    from meetcoord.core.timezones import is_valid_zone

    value = raw.strip()
    if not is_valid_zone(value):
        raise ConfigError(
            f"{name}={raw!r}: expected an IANA time zone such as Asia/Jakarta (WIB), "
            "Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        )
    return value


def base_url(name: str, raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value.startswith(("http://", "https://")) or "://" not in value[:9] or " " in value:
        raise ConfigError(
            f"{name}={raw!r}: expected the public address, e.g. https://rapat.example.go.id"
        )
    return value


def rate_limit(name: str, raw: str) -> str:
    from limits import parse_many

    value = raw.strip()
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected e.g. '10 per minute;50 per hour'") from None
    return value


def text(name: str, raw: str) -> str:
    return raw.strip()


LOGO_MAX_SIDE = 4096  # printed 18 mm wide: 600 dpi needs 425 pixels


def logo_file(name: str, raw: str) -> str:
    """A PNG or JPEG of sane size: every document's rendering decodes it again, and a
    20,000-pixel square (a few KB compressed) would cost each one seconds and a GB."""
    import warnings

    from PIL import Image

    value = raw.strip()
    if not value:
        return value
    if not Path(value).is_file():
        raise ConfigError(f"{name}: no such file {value!r} (a PNG or JPEG for the letterhead)")
    too_large = f"{name}: {value!r} is too large; at most {LOGO_MAX_SIDE} pixels a side"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(value) as image:  # reads the header only
                kind, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ConfigError(too_large) from None
    except (OSError, ValueError):
        kind, width, height = None, 0, 0
    if kind not in ("PNG", "JPEG"):
        raise ConfigError(f"{name}: {value!r} is not a PNG or JPEG image")
    if max(width, height) > LOGO_MAX_SIDE:
        raise ConfigError(too_large)
    return value


def pem_file(name: str, raw: str) -> str:
    value = raw.strip()
    if value and (
        not Path(value).is_file() or b"BEGIN CERTIFICATE" not in Path(value).read_bytes()
    ):
        raise ConfigError(f"{name}: {value!r} is not a PEM file of CA certificates")
    return value


def deployment_id(name: str, raw: str) -> str:
    value = raw.strip()
    if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", value):
        raise ConfigError(f"{name}={raw!r}: expected 1-40 letters, digits, '-' or '_'")
    return value


def mail_address(name: str, raw: str) -> str:
    """A bare address for the SMTP envelope and From header; ``localhost`` is allowed."""
    from email_validator import EmailNotValidError, validate_email

    value = raw.strip()
    local, _at, domain = value.rpartition("@")
    # email-validator refuses the special-use name "localhost", which is exactly what a
    # development machine and the default use; check the local part on its own then.
    candidate = f"{local}@example.org" if domain.lower() == "localhost" else value
    try:
        validate_email(candidate, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as exc:
        raise ConfigError(f"{name}={raw!r}: expected an e-mail address ({exc})") from None
    return value


def ca_passphrase(name: str, raw: str) -> str:
    """The signing CA's key passphrase (documents.signing.ca); short ones fall to guessing."""
    value = raw.strip()
    if value and len(value) < 12:
        raise ConfigError(f"{name}: must be at least 12 characters long")
    if "change-me" in value.lower():
        # deploy/meetcoord.env.example ships one: a CA key encrypted with a published
        # passphrase protects nothing.
        raise ConfigError(
            f"{name}: still the placeholder of deploy/meetcoord.env.example; "
            "choose a passphrase of your own"
        )
    return value


# Words that placeholders carry and random keys never do (deploy/meetcoord.env.example
# ships "CHANGE-ME-…"): such a key is refused at start instead of signing every session.
_PLACEHOLDER_WORDS = (
    "change",
    "replace",
    "example",
    "placeholder",
    "secret",
    "fixme",
    "insert",
    "sample",
    "dummy",
    "default",
    "generate",
    "password",
)
_GENERATE_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def _estimated_bits(value: str) -> float:
    """Shannon entropy of the key's own characters, times its length: a rough upper bound
    of how hard it is to guess (a random 32-character hex key scores 89 to 125)."""
    counts = Counter(value)
    return -sum(n * math.log2(n / len(value)) for n in counts.values())


def check_secret_key(name: str, value: str) -> str:
    """Refuse a short, placeholder or patterned key: it signs sessions, CSRF tokens,
    personal links and check-in codes, so whoever guesses it can forge them all."""
    if len(value) < 32:
        raise ConfigError(
            f"{name}: must be at least 32 characters long; generate one with: {_GENERATE_KEY}"
        )
    # Spelled as placeholders are (change, CHANGE, Change): a random key with mixed case
    # contains such a word far less often than one in a million.
    word = next(
        (w for w in _PLACEHOLDER_WORDS if any(f in value for f in (w, w.upper(), w.title()))),
        None,
    )
    if word is not None:
        raise ConfigError(
            f"{name}: looks like a placeholder (it contains {word!r}), not a random key; "
            f"generate one with: {_GENERATE_KEY}"
        )
    # Limits far below what random keys reach (32 hex characters: at least 9 distinct,
    # 88 bits, 17 of 31 steps to a neighbouring character), far above "aaaa…", "abab…",
    # "0123456789abcdef0123…" or "abcdefghijklmnopqrstuvwxyz…".
    steps = sum(abs(ord(b) - ord(a)) <= 1 for a, b in pairwise(value))
    periodic = (value + value).find(value, 1) < len(value)
    if (
        len(set(value)) < 6
        or _estimated_bits(value) < 64
        or periodic
        or steps * 4 > 3 * (len(value) - 1)
    ):
        raise ConfigError(
            f"{name}: too predictable (repeated or sequential characters), not a random key; "
            f"generate one with: {_GENERATE_KEY}"
        )
    return value


def secret_key(name: str, raw: str) -> str:
    return check_secret_key(name, raw.strip())
