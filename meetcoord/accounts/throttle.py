"""Failed sign-ins counted per account, besides the per-address limit on ``/login``.

The per-address limit alone lets a botnet (or a whole office behind one NAT address,
counted as one) guess one account's password from many addresses. So every failed
attempt is also counted under the e-mail address it named, normalised as the account
lookup normalises it (``sayang@X`` and `` SAYANG@x`` are one account, one counter); past
``LOGIN_ACCOUNT_RATE_LIMIT`` that account refuses every attempt, right or wrong, until the
window ends, and the person is told when. Unknown addresses are counted the same way, so
the lock does not tell which addresses have accounts.

The counters live in Flask-Limiter's storage (``RATELIMIT_STORAGE_URL``): shared by every
process on Redis, per process in memory.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many

from meetcoord.core.errors import ServiceError
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.extensions import limiter

SCOPE = "login-account"


def account_key(email: str) -> str:
    """The one spelling of an account's e-mail address: lookups and counters use it."""
    return email.strip().lower()[:254]


class LoginLocked(ServiceError):
    """Too many failed sign-ins for this account: refused until ``retry_at`` (UTC)."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_at: datetime, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        self.retry_at = retry_at
        self.retry_after = max(1, math.ceil((retry_at - now).total_seconds()))
        minutes = max(1, math.ceil(self.retry_after / 60))
        zone = current_app.config["HOME_TIMEZONE"]
        super().__init__(
            _l(
                "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Demi keamanan, "
                "akun ini dikunci sementara: coba lagi dalam %(minutes)d menit (pukul "
                "%(time)s).",
                minutes=minutes,
                time=format_time_in_zone(retry_at, zone, str(get_locale() or "id")),
            )
        )


def _limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])


def _ids(email: str) -> tuple[str, str, str]:
    return SCOPE, current_app.config["DEPLOYMENT_ID"], account_key(email)


def check(email: str) -> None:
    """Raise :class:`LoginLocked` when the account behind ``email`` is locked now."""
    if not limiter.enabled:
        return
    ids = _ids(email)
    ends = [
        limiter.limiter.get_window_stats(item, *ids).reset_time
        for item in _limits()
        if not limiter.limiter.test(item, *ids)
    ]
    if ends:
        raise LoginLocked(datetime.fromtimestamp(max(ends), UTC))


def failed(email: str) -> None:
    """Count one failed attempt against the account behind ``email``."""
    if not limiter.enabled:
        return
    ids = _ids(email)
    for item in _limits():
        limiter.limiter.hit(item, *ids)
