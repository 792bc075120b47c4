"""Settings from ``MEETCOORD_*`` environment variables, validated once at start.

A secretariat that mistypes a variable should learn it from one clear line when the
service starts, not from a stack trace in the middle of sending 200 invitations. So every
setting is parsed here, and :func:`load_config` raises :class:`ConfigError` naming the
variable, the bad value and what was expected.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

ASYNC_MODES = ("eventlet", "gevent", "threading")
ENVIRONMENTS = ("production", "development", "testing")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A setting is missing or has a value the service cannot run with."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true/false (1/0, yes/no, on/off)")


def _int(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
        if not low <= value <= high:
            raise ConfigError(f"{name}={raw!r}: expected a number from {low} to {high}")
        return value

    return parse


def _choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ConfigError(f"{name}={raw!r}: expected one of {', '.join(options)}")
        return value

    return parse


def _database_url(name: str, raw: str) -> str:
    value = raw.strip()
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        # psycopg 3 is the driver we ship; the bare scheme would pick psycopg2.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    if not (value.startswith("sqlite:") or value.startswith("postgresql+psycopg://")):
        raise ConfigError(
            f"{name}={raw!r}: expected sqlite:///path or postgresql+psycopg://user@host/db"
        )
    return value


def _redis_url(name: str, raw: str) -> str:
    value = raw.strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{name}={raw!r}: expected redis://host:port/db")
    return value


def _limiter_storage(name: str, raw: str) -> str:
    value = raw.strip()
    if not value.startswith(("memory://", "redis://", "rediss://")):
        raise ConfigError(f"{name}={raw!r}: expected memory:// or redis://host:port/db")
    return value


def _zone(name: str, raw: str) -> str:
    from meetcoord.core.timezones import is_valid_zone

    value = raw.strip()
    if not is_valid_zone(value):
        raise ConfigError(
            f"{name}={raw!r}: expected an IANA time zone such as Asia/Jakarta (WIB), "
            "Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        )
    return value


def _base_url(name: str, raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value.startswith(("http://", "https://")) or "://" not in value[:9] or " " in value:
        raise ConfigError(
            f"{name}={raw!r}: expected the public address, e.g. https://rapat.example.go.id"
        )
    return value


def _rate_limit(name: str, raw: str) -> str:
    from limits import parse_many

    value = raw.strip()
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected e.g. '10 per minute;50 per hour'") from None
    return value


def _text(name: str, raw: str) -> str:
    return raw.strip()


LOGO_MAX_SIDE = 4096  # printed 18 mm wide: 600 dpi needs 425 pixels


def _logo(name: str, raw: str) -> str:
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


def _pem_file(name: str, raw: str) -> str:
    value = raw.strip()
    if value and (
        not Path(value).is_file() or b"BEGIN CERTIFICATE" not in Path(value).read_bytes()
    ):
        raise ConfigError(f"{name}: {value!r} is not a PEM file of CA certificates")
    return value


def _letter_pattern(name: str, raw: str) -> str:
    from meetcoord.core.errors import ValidationError
    from meetcoord.minutes.letter import validate_letter_pattern

    try:
        validate_letter_pattern(raw.strip())
    except ValidationError as exc:
        raise ConfigError(f"{name}: {exc.message}") from None
    return raw.strip()


def _deployment_id(name: str, raw: str) -> str:
    value = raw.strip()
    if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", value):
        raise ConfigError(f"{name}={raw!r}: expected 1-40 letters, digits, '-' or '_'")
    return value


def _mail_address(name: str, raw: str) -> str:
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


def _ca_passphrase(name: str, raw: str) -> str:
    """The signing CA's key passphrase (minutes.ca); short ones fall to a guessing attack."""
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


def _secret_key(name: str, raw: str) -> str:
    return check_secret_key(name, raw.strip())


MAIL_TRANSPORTS = ("smtp", "console", "file")
SMTP_SECURITY = ("none", "starttls", "ssl")
WORKER_MODES = ("inprocess", "off")


# (environment suffix, config key, parser, default). Defaults are strings so that they go
# through the same parser as real values.
_SETTINGS: tuple[tuple[str, str, Callable[[str, str], Any], str | None], ...] = (
    ("ENV", "MEETCOORD_ENV", _choice(ENVIRONMENTS), "production"),
    ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI", _database_url, None),
    ("ASYNC_MODE", "SOCKETIO_ASYNC_MODE", _choice(ASYNC_MODES), "eventlet"),
    ("SOCKETIO_QUEUE", "SOCKETIO_MESSAGE_QUEUE", _redis_url, ""),
    # The deployment's name on a shared Redis (queue channel, keys); derived from the
    # database URL when unset, so two installations on one Redis never mix their meetings.
    ("DEPLOYMENT_ID", "DEPLOYMENT_ID", _deployment_id, ""),
    ("HOST", "SERVER_HOST", _text, "127.0.0.1"),
    ("PORT", "SERVER_PORT", _int(1, 65535), "5000"),
    # How many reverse proxies (nginx) stand in front and set X-Forwarded-*; 0 = none.
    # Trusting more than really exist would let a client forge its address.
    ("PROXY_COUNT", "PROXY_COUNT", _int(0, 5), "0"),
    ("RATELIMIT_STORAGE_URL", "RATELIMIT_STORAGE_URI", _limiter_storage, "memory://"),
    ("LOGIN_RATE_LIMIT", "LOGIN_RATE_LIMIT", _rate_limit, "10 per minute;50 per hour"),
    # Failed sign-ins per account (its normalised e-mail address), from any address; past
    # it the account refuses every attempt until the window ends (accounts.throttle).
    (
        "LOGIN_ACCOUNT_RATE_LIMIT",
        "LOGIN_ACCOUNT_RATE_LIMIT",
        _rate_limit,
        "10 per 15 minutes;50 per day",
    ),
    # Personal links (pages and API together), per client address.
    (
        "PERSONAL_LINK_RATE_LIMIT",
        "PERSONAL_LINK_RATE_LIMIT",
        _rate_limit,
        "60 per minute;600 per hour",
    ),
    # Public self check-in pages (/c/...), per client address. Phones at one venue often
    # share one address (the venue's Wi-Fi), so this is higher than the personal links'.
    ("CHECKIN_RATE_LIMIT", "CHECKIN_RATE_LIMIT", _rate_limit, "300 per minute;3000 per hour"),
    # The check-in window (meetings/windows.py): desks, kiosks, self check-in and the online
    # join open this many minutes before the start (the live room too) and close this
    # many after the planned end.
    ("CHECKIN_OPENS_BEFORE_MINUTES", "CHECKIN_OPENS_BEFORE_MINUTES", _int(0, 24 * 60), "120"),
    ("CHECKIN_GRACE_MINUTES", "CHECKIN_GRACE_MINUTES", _int(0, 24 * 60), "60"),
    # Live-room commands per person (not per address), in the rate-limit storage above:
    # participants and site coordinators; the chair, the minute-taker and the secretariat.
    ("LIVE_RATE_LIMIT", "LIVE_RATE_LIMIT", _rate_limit, "20 per 10 seconds;200 per hour"),
    (
        "LIVE_CHAIR_RATE_LIMIT",
        "LIVE_CHAIR_RATE_LIMIT",
        _rate_limit,
        "60 per 10 seconds;2000 per hour",
    ),
    # The zone for times that belong to no venue (audit trail, account activity).
    ("TIMEZONE", "HOME_TIMEZONE", _zone, "Asia/Jakarta"),
    ("DEFAULT_LOCALE", "BABEL_DEFAULT_LOCALE", _choice(("id", "en")), "id"),
    ("PAGE_SIZE", "PAGE_SIZE", _int(5, 200), "25"),
    ("CSV_MAX_BYTES", "CSV_MAX_BYTES", _int(1024, 50 * 1024 * 1024), str(2 * 1024 * 1024)),
    ("CSV_MAX_ROWS", "CSV_MAX_ROWS", _int(1, 100_000), "5000"),
    ("INSTITUTION_NAME", "INSTITUTION_NAME", _text, "Badan Perencanaan Pembangunan Daerah"),
    # The letterhead of every document (notulen, berita acara, surat undangan).
    ("INSTITUTION_ADDRESS", "INSTITUTION_ADDRESS", _text, ""),
    ("INSTITUTION_LOGO", "INSTITUTION_LOGO", _logo, ""),
    ("INSTITUTION_CITY", "INSTITUTION_CITY", _text, ""),  # "Tambolaka, 15 Maret 2024"
    # Outgoing letter numbers: {seq} runs per year; also {year}, {month}, {month_roman}.
    ("LETTER_NUMBER_PATTERN", "LETTER_NUMBER_PATTERN", _letter_pattern, "005/{seq}/BAPPEDA/{year}"),
    ("LETTER_SIGNER_NAME", "LETTER_SIGNER_NAME", _text, ""),
    ("LETTER_SIGNER_POSITION", "LETTER_SIGNER_POSITION", _text, "Kepala Bappeda"),
    # The address people reach this service at: personal links in mails and calendars.
    ("BASE_URL", "BASE_URL", _base_url, None),
    ("UPLOAD_MAX_BYTES", "UPLOAD_MAX_BYTES", _int(1024, 50 * 1024 * 1024), str(5 * 1024 * 1024)),
    # What one parse of a stranger's file (a PDF to verify, a PKCS#12 to sign with) may
    # cost in its sandboxed child process (core.sandbox): CPU seconds, and memory it may
    # add in MB. It is killed beyond them; the wall-clock limit is 3 × the CPU plus 2 s.
    ("SANDBOX_CPU_SECONDS", "SANDBOX_CPU_SECONDS", _int(1, 120), "5"),
    ("SANDBOX_MEMORY_MB", "SANDBOX_MEMORY_MB", _int(64, 16384), "512"),
    ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE", _bool, None),
    ("SECRET_KEY", "SECRET_KEY", _secret_key, None),
    # Mail: the outbox is drained by a worker (core.worker) through one transport.
    # `console` prints mail instead of sending it, `file` writes instance/mail/<id>.eml.
    ("MAIL_TRANSPORT", "MAIL_TRANSPORT", _choice(MAIL_TRANSPORTS), "console"),
    ("MAIL_FROM", "MAIL_FROM", _mail_address, "meetcoord@localhost"),
    ("MAIL_MAX_ATTEMPTS", "MAIL_MAX_ATTEMPTS", _int(1, 50), "8"),
    ("SMTP_HOST", "SMTP_HOST", _text, "127.0.0.1"),
    ("SMTP_PORT", "SMTP_PORT", _int(1, 65535), "25"),
    ("SMTP_SECURITY", "SMTP_SECURITY", _choice(SMTP_SECURITY), "none"),
    ("SMTP_USERNAME", "SMTP_USERNAME", _text, ""),
    ("SMTP_PASSWORD", "SMTP_PASSWORD", _text, ""),
    ("SMTP_TIMEOUT", "SMTP_TIMEOUT", _int(1, 300), "10"),
    # Who drains the outbox: the server process itself (`inprocess`, what `make run` needs)
    # or nobody here (`off`: run `meetcoord worker` as its own process). Unset in testing
    # means off, so that no test starts a worker thread without asking for one.
    ("WORKER", "WORKER", _choice(WORKER_MODES), None),
    ("WORKER_INTERVAL", "WORKER_INTERVAL", _int(1, 3600), "2"),
    # Opens the private key of the deployment's signing CA under instance/ca/ (created by
    # `meetcoord init`), which issues each signatory of the minutes a certificate. Without
    # it nothing can be signed; a copied instance folder alone signs nothing.
    ("CA_PASSPHRASE", "CA_PASSPHRASE", _ca_passphrase, ""),
    # More CA certificates the verification page trusts (PEM), e.g. a national e-signature
    # CA whose certificates signatories bring as PKCS#12 files.
    ("TRUST_ROOTS", "TRUST_ROOTS", _pem_file, ""),
)


def _instance_secret_key(instance_path: Path) -> str:
    """Keep one generated key per installation so sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _engine_options(database_url: str, async_mode: str) -> dict[str, Any]:
    """SQLite under eventlet/gevent: a pool that never makes anyone wait.

    There, transactions take turns in arrival order (``core.db.Turns``); waiting in the
    pool as well (default 5 + 10 connections for 50 busy green threads) would put an
    unfair queue in front of the fair one. SQLite connections cost little.
    """
    if database_url.startswith("sqlite:"):
        # A file on this machine: nothing to reconnect to, so no ping before each checkout.
        options: dict[str, Any] = {"pool_pre_ping": False}
    else:
        options = {"pool_pre_ping": True}
    in_memory = database_url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in database_url
    if database_url.startswith("sqlite:") and not in_memory and async_mode != "threading":
        options.update(pool_size=10, max_overflow=-1)
    return options


def load_config(
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    instance_path: Path | None = None,
) -> dict[str, Any]:
    """Build the Flask config from the environment plus explicit overrides (tests)."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    instance_path = instance_path or PROJECT_ROOT / "instance"
    config: dict[str, Any] = {}
    for suffix, key, parse, default in _SETTINGS:
        name = f"MEETCOORD_{suffix}"
        if key in overrides:
            config[key] = overrides.pop(key)
            continue
        raw = environ.get(name)
        if raw is None or raw == "":
            if default is None:
                config[key] = None
                continue
            raw = default
        config[key] = parse(name, raw)

    env = config["MEETCOORD_ENV"]
    if config["SQLALCHEMY_DATABASE_URI"] is None:
        instance_path.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'meetcoord.db'}"
    if not config["SECRET_KEY"]:
        if env == "testing":
            config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            key_file = instance_path / "secret_key"
            config["SECRET_KEY"] = check_secret_key(
                str(key_file), _instance_secret_key(instance_path)
            )
    else:
        check_secret_key("MEETCOORD_SECRET_KEY", config["SECRET_KEY"])
    if not config["DEPLOYMENT_ID"]:
        url = str(config["SQLALCHEMY_DATABASE_URI"])
        config["DEPLOYMENT_ID"] = hashlib.sha256(url.encode()).hexdigest()[:12]
    if config["WORKER"] is None:
        config["WORKER"] = "off" if env == "testing" else "inprocess"
    if config["SMTP_USERNAME"] and not config["SMTP_PASSWORD"]:
        raise ConfigError("MEETCOORD_SMTP_PASSWORD: must be set when MEETCOORD_SMTP_USERNAME is")
    if config["BASE_URL"] is None:
        config["BASE_URL"] = f"http://{config['SERVER_HOST']}:{config['SERVER_PORT']}"
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = env == "production"
    # A signing CA that exists must open now, not when a chair signs after a long meeting.
    from meetcoord.minutes.ca import check_ca_passphrase

    check_ca_passphrase(instance_path, config["CA_PASSPHRASE"] or None)

    config.update(
        TESTING=env == "testing",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=config["SESSION_COOKIE_SECURE"],
        REMEMBER_COOKIE_SAMESITE="Lax",
        # "Remember me" on a shared office computer must not last Flask-Login's default year.
        REMEMBER_COOKIE_DURATION=timedelta(days=14),
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(
            config["SQLALCHEMY_DATABASE_URI"], config["SOCKETIO_ASYNC_MODE"]
        ),
        BABEL_DEFAULT_TIMEZONE="UTC",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        MAX_CONTENT_LENGTH=max(config["CSV_MAX_BYTES"], config["UPLOAD_MAX_BYTES"]) + 64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a form left open through a long meeting must still submit
        RATELIMIT_HEADERS_ENABLED=True,
        API_TITLE="meetcoord API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        INSTANCE_PATH=str(instance_path),
    )
    config.update(overrides)
    return config
