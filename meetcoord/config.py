"""Settings from ``MEETCOORD_*`` environment variables, validated once at start.

A secretariat that mistypes a variable should learn it from one clear line when the
service starts, not from a stack trace in the middle of sending 200 invitations. So every
setting is parsed here, and :func:`load_config` raises :class:`ConfigError` naming the
variable, the bad value and what was expected.

Two settings have rules that belong to a feature: the letter-number pattern's grammar and
whether an existing signing CA opens with its passphrase (both the documents'). This module
imports nothing above core (DESIGN §3), so those are start-up checks that ``create_app``
runs right after loading, raising the same :class:`ConfigError`.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from meetcoord.core.settings import (
    ConfigError,
    base_url,
    boolean,
    ca_passphrase,
    check_secret_key,
    choice,
    database_url,
    deployment_id,
    int_range,
    limiter_storage,
    logo_file,
    mail_address,
    pem_file,
    rate_limit,
    redis_url,
    secret_key,
    text,
    zone,
)

ASYNC_MODES = ("eventlet", "gevent", "threading")
ENVIRONMENTS = ("production", "development", "testing")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


MAIL_TRANSPORTS = ("smtp", "console", "file")
SMTP_SECURITY = ("none", "starttls", "ssl")
WORKER_MODES = ("inprocess", "off")


# (environment suffix, config key, parser, default). Defaults are strings so that they go
# through the same parser as real values.
_SETTINGS: tuple[tuple[str, str, Callable[[str, str], Any], str | None], ...] = (
    ("ENV", "MEETCOORD_ENV", choice(ENVIRONMENTS), "production"),
    ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI", database_url, None),
    ("ASYNC_MODE", "SOCKETIO_ASYNC_MODE", choice(ASYNC_MODES), "eventlet"),
    ("SOCKETIO_QUEUE", "SOCKETIO_MESSAGE_QUEUE", redis_url, ""),
    # The deployment's name on a shared Redis (queue channel, keys); derived from the
    # database URL when unset, so two installations on one Redis never mix their meetings.
    ("DEPLOYMENT_ID", "DEPLOYMENT_ID", deployment_id, ""),
    ("HOST", "SERVER_HOST", text, "127.0.0.1"),
    ("PORT", "SERVER_PORT", int_range(1, 65535), "5000"),
    # Connections one server process holds at once (each live-room phone or screen keeps
    # one open). eventlet's own default, 1,024, refused the 1,025th phone of a meeting;
    # the process also raises its open-file limit to fit (meetcoord.server).
    ("MAX_CONNECTIONS", "SERVER_MAX_CONNECTIONS", int_range(100, 100_000), "10000"),
    # How many reverse proxies (nginx) stand in front and set X-Forwarded-*; 0 = none.
    # Trusting more than really exist would let a client forge its address.
    ("PROXY_COUNT", "PROXY_COUNT", int_range(0, 5), "0"),
    ("RATELIMIT_STORAGE_URL", "RATELIMIT_STORAGE_URI", limiter_storage, "memory://"),
    ("LOGIN_RATE_LIMIT", "LOGIN_RATE_LIMIT", rate_limit, "10 per minute;50 per hour"),
    # Failed sign-ins per account (its normalised e-mail address), from any address; past
    # it the account refuses every attempt until the window ends (accounts.throttle).
    (
        "LOGIN_ACCOUNT_RATE_LIMIT",
        "LOGIN_ACCOUNT_RATE_LIMIT",
        rate_limit,
        "10 per 15 minutes;50 per day",
    ),
    # Personal links (pages and API together), per client address.
    (
        "PERSONAL_LINK_RATE_LIMIT",
        "PERSONAL_LINK_RATE_LIMIT",
        rate_limit,
        "60 per minute;600 per hour",
    ),
    # Public self check-in pages (/c/...), per client address. Phones at one venue often
    # share one address (the venue's Wi-Fi), so this is higher than the personal links'.
    ("CHECKIN_RATE_LIMIT", "CHECKIN_RATE_LIMIT", rate_limit, "300 per minute;3000 per hour"),
    # The check-in window (meetings/windows.py): desks, kiosks, self check-in and the online
    # join open this many minutes before the start (the live room too) and close this
    # many after the planned end.
    ("CHECKIN_OPENS_BEFORE_MINUTES", "CHECKIN_OPENS_BEFORE_MINUTES", int_range(0, 24 * 60), "120"),
    ("CHECKIN_GRACE_MINUTES", "CHECKIN_GRACE_MINUTES", int_range(0, 24 * 60), "60"),
    # Live-room commands per person (not per address), in the rate-limit storage above:
    # participants and site coordinators; the chair, the minute-taker and the secretariat.
    ("LIVE_RATE_LIMIT", "LIVE_RATE_LIMIT", rate_limit, "20 per 10 seconds;200 per hour"),
    (
        "LIVE_CHAIR_RATE_LIMIT",
        "LIVE_CHAIR_RATE_LIMIT",
        rate_limit,
        "60 per 10 seconds;2000 per hour",
    ),
    # Questions one participant may send to the moderator (issue 15), besides the above.
    ("QUESTIONS_RATE_LIMIT", "QUESTIONS_RATE_LIMIT", rate_limit, "3 per minute;30 per hour"),
    # The zone for times that belong to no venue (audit trail, account activity).
    ("TIMEZONE", "HOME_TIMEZONE", zone, "Asia/Jakarta"),
    ("DEFAULT_LOCALE", "BABEL_DEFAULT_LOCALE", choice(("id", "en")), "id"),
    ("PAGE_SIZE", "PAGE_SIZE", int_range(5, 200), "25"),
    # API tokens issued through the API (issue 17): every one has a time window, this many
    # days unless the request asks for fewer; no door issues one for longer than the max.
    ("API_TOKEN_DEFAULT_DAYS", "API_TOKEN_DEFAULT_DAYS", int_range(1, 3650), "90"),
    ("API_TOKEN_MAX_DAYS", "API_TOKEN_MAX_DAYS", int_range(1, 3650), "3650"),
    ("CSV_MAX_BYTES", "CSV_MAX_BYTES", int_range(1024, 50 * 1024 * 1024), str(2 * 1024 * 1024)),
    ("CSV_MAX_ROWS", "CSV_MAX_ROWS", int_range(1, 100_000), "5000"),
    # The first institution's letterhead, sender and letter numbers (the institutions
    # migration creates it from these); afterwards each institution keeps its own, and these
    # serve only what belongs to no meeting (the page footer, a mail about an address).
    ("INSTITUTION_NAME", "INSTITUTION_NAME", text, "Badan Perencanaan Pembangunan Daerah"),
    ("INSTITUTION_ADDRESS", "INSTITUTION_ADDRESS", text, ""),
    ("INSTITUTION_LOGO", "INSTITUTION_LOGO", logo_file, ""),
    ("INSTITUTION_CITY", "INSTITUTION_CITY", text, ""),  # "Tambolaka, 15 Maret 2024"
    # Outgoing letter numbers: {seq} runs per year; also {year}, {month}, {month_roman}.
    # Its grammar is the documents' (documents.pdf.letter): create_app checks it at start.
    ("LETTER_NUMBER_PATTERN", "LETTER_NUMBER_PATTERN", text, "005/{seq}/BAPPEDA/{year}"),
    ("LETTER_SIGNER_NAME", "LETTER_SIGNER_NAME", text, ""),
    ("LETTER_SIGNER_POSITION", "LETTER_SIGNER_POSITION", text, "Kepala Bappeda"),
    # The address people reach this service at: personal links in mails and calendars.
    ("BASE_URL", "BASE_URL", base_url, None),
    (
        "UPLOAD_MAX_BYTES",
        "UPLOAD_MAX_BYTES",
        int_range(1024, 50 * 1024 * 1024),
        str(5 * 1024 * 1024),
    ),
    # The largest evidence file sent with a follow-up action's progress update.
    (
        "EVIDENCE_MAX_BYTES",
        "EVIDENCE_MAX_BYTES",
        int_range(1024, 50 * 1024 * 1024),
        str(10 * 1024 * 1024),
    ),
    # The largest material (bahan paparan) attached to an agenda item.
    (
        "MATERIAL_MAX_BYTES",
        "MATERIAL_MAX_BYTES",
        int_range(1024, 500 * 1024 * 1024),
        str(50 * 1024 * 1024),
    ),
    # What one parse of a stranger's file (a PDF to verify, a PKCS#12 to sign with) may
    # cost in its sandboxed child process (core.sandbox): CPU seconds, and memory it may
    # add in MB. It is killed beyond them; the wall-clock limit is 3 × the CPU plus 2 s.
    ("SANDBOX_CPU_SECONDS", "SANDBOX_CPU_SECONDS", int_range(1, 120), "5"),
    ("SANDBOX_MEMORY_MB", "SANDBOX_MEMORY_MB", int_range(64, 16384), "512"),
    ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE", boolean, None),
    ("SECRET_KEY", "SECRET_KEY", secret_key, None),
    # Mail: the outbox is drained by a worker (core.worker) through one transport.
    # `console` prints mail instead of sending it, `file` writes instance/mail/<id>.eml.
    ("MAIL_TRANSPORT", "MAIL_TRANSPORT", choice(MAIL_TRANSPORTS), "console"),
    ("MAIL_FROM", "MAIL_FROM", mail_address, "meetcoord@localhost"),
    ("MAIL_MAX_ATTEMPTS", "MAIL_MAX_ATTEMPTS", int_range(1, 50), "8"),
    ("SMTP_HOST", "SMTP_HOST", text, "127.0.0.1"),
    ("SMTP_PORT", "SMTP_PORT", int_range(1, 65535), "25"),
    ("SMTP_SECURITY", "SMTP_SECURITY", choice(SMTP_SECURITY), "none"),
    ("SMTP_USERNAME", "SMTP_USERNAME", text, ""),
    ("SMTP_PASSWORD", "SMTP_PASSWORD", text, ""),
    ("SMTP_TIMEOUT", "SMTP_TIMEOUT", int_range(1, 300), "10"),
    # Who drains the outbox: the server process itself (`inprocess`, what `make run` needs)
    # or nobody here (`off`: run `meetcoord worker` as its own process). Unset in testing
    # means off, so that no test starts a worker thread without asking for one.
    ("WORKER", "WORKER", choice(WORKER_MODES), None),
    ("WORKER_INTERVAL", "WORKER_INTERVAL", int_range(1, 3600), "2"),
    # Opens the private key of the deployment's signing CA under instance/ca/ (created by
    # `meetcoord init`), which issues each signatory of the minutes a certificate. Without
    # it nothing can be signed; a copied instance folder alone signs nothing.
    ("CA_PASSPHRASE", "CA_PASSPHRASE", ca_passphrase, ""),
    # More CA certificates the verification page trusts (PEM), e.g. a national e-signature
    # CA whose certificates signatories bring as PKCS#12 files.
    ("TRUST_ROOTS", "TRUST_ROOTS", pem_file, ""),
    # Webhooks (issue 17): attempts before a delivery is `failed`, the seconds one POST may
    # take to connect and to answer, and whether http://127.0.0.1 / localhost receivers are
    # allowed (tests only: unset means on in testing, off otherwise; private addresses are
    # always refused, so a registered URL cannot reach the server's own network).
    ("WEBHOOKS_MAX_ATTEMPTS", "WEBHOOKS_MAX_ATTEMPTS", int_range(1, 50), "8"),
    ("WEBHOOKS_TIMEOUT", "WEBHOOKS_TIMEOUT", int_range(1, 60), "5"),
    ("WEBHOOKS_ALLOW_LOOPBACK", "WEBHOOKS_ALLOW_LOOPBACK", boolean, None),
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
    if config["WEBHOOKS_ALLOW_LOOPBACK"] is None:
        config["WEBHOOKS_ALLOW_LOOPBACK"] = env == "testing"
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
        MAX_CONTENT_LENGTH=max(
            config["CSV_MAX_BYTES"], config["UPLOAD_MAX_BYTES"], config["EVIDENCE_MAX_BYTES"]
        )
        + 64 * 1024,
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
