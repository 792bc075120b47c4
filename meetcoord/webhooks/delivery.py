"""Posting due webhook deliveries: signed, bounded in time, never to a private address.

Rules, and why:

- Each delivery is claimed by moving its ``next_attempt_at`` forward under a
  compare-and-set (the row changes only if nobody else moved it first), committed, then
  posted outside any transaction and its outcome recorded in a transaction of its own. So
  two workers never post one delivery together, no lock is held while a slow receiver
  answers, and a worker killed mid-post leaves the row to be tried again when its claim
  lapses (receivers get each event at least once; the event id lets them drop a repeat).
- A 2xx answer is ``sent``. Any other status, a timeout or a refused connection costs one
  attempt and is tried again after the mail outbox's backoff (``core.worker.backoff``);
  after ``MEETCOORD_WEBHOOKS_MAX_ATTEMPTS`` it is ``failed`` and waits for a person.
- The receiver's host is resolved at delivery and every address it resolves to must be a
  public one; the connection then goes to that vetted address (no second lookup a DNS
  rebinding could answer differently). Loopback is allowed only with
  ``MEETCOORD_WEBHOOKS_ALLOW_LOOPBACK`` (tests); private ranges never.
- The body sent is rebuilt from the row alone, so a retry sends the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from meetcoord.core.db import utcnow
from meetcoord.core.tokens import derived_token
from meetcoord.core.worker import backoff
from meetcoord.extensions import db
from meetcoord.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger("meetcoord.webhooks")

BATCH = 20  # deliveries per worker pass
MAX_RESPONSE_BYTES = 64 * 1024  # read (and ignored) from the receiver's answer
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SECRET_PREFIX = "whsec_"  # noqa: S105  (a marker, not a secret)
USER_AGENT = "meetcoord-webhooks/1"


class Refused(Exception):
    """The URL may not be posted to (scheme, host or resolved address)."""


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    """The endpoint's signing secret, derived from the server key and its salt."""
    key = current_app.config["SECRET_KEY"]
    return SECRET_PREFIX + derived_token(key, "webhook-secret", endpoint.secret_salt)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``: the header's value."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, tolerance: int | None = None) -> bool:
    """What a receiver does with the header: recompute, compare in constant time, and
    (with ``tolerance`` seconds) refuse an old timestamp, so a captured call is not replayed."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
        expected = signature(secret, timestamp, body)
    except (KeyError, ValueError):
        return False
    if tolerance is not None and abs(time.time() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(expected, header.strip())


def body_of(row: WebhookDelivery) -> bytes:
    envelope = {
        "id": row.event_id,
        "type": row.event_type,
        "created_at": row.created_at.isoformat(),
        "data": row.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# --- where we may post -----------------------------------------------------------------


def check_url(url: str, allow_loopback: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL we may post to; :class:`Refused` otherwise.

    HTTPS only; plain HTTP only to a loopback host with ``allow_loopback``. An address
    written in the URL is judged here already; a name is judged when it is resolved.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused("invalid URL") from exc
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise Refused("the URL needs a host and no user name or password")
    loopback_host = host in LOOPBACK_NAMES
    if scheme == "http" and not (allow_loopback and loopback_host):
        raise Refused("only https URLs are allowed")
    if scheme not in ("http", "https"):
        raise Refused("only https URLs are allowed")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal, allow_loopback)
    elif loopback_host and not allow_loopback:
        raise Refused("private or loopback addresses are not allowed")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, loopback: bool) -> None:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address.is_loopback and loopback:
        return
    if not address.is_global or address.is_multicast:
        raise Refused(f"private or loopback address refused: {address}")


def resolve(host: str, port: int, allow_loopback: bool) -> str:
    """The first address of ``host``, once every address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConnectionError(f"cannot resolve {host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        check_address(ipaddress.ip_address(address.split("%")[0]), allow_loopback)
    if not addresses:
        raise ConnectionError(f"cannot resolve {host}")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an already vetted address, while Host names the receiver."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a vetted address; the certificate is still checked against the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, loopback: bool
) -> Outcome:
    """POST ``body``; the answer's status, its body read up to 64 KB and dropped."""
    try:
        scheme, host, port, path = check_url(url, loopback)
        address = resolve(host, port, loopback)
    except (Refused, ConnectionError) as exc:
        return Outcome(False, None, str(exc))
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, timeout)
    deadline = time.monotonic() + 2 * timeout
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        left = MAX_RESPONSE_BYTES
        while left > 0 and time.monotonic() < deadline:
            chunk = response.read(min(left, 8192))
            if not chunk:
                break
            left -= len(chunk)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
    if 200 <= status < 300:
        return Outcome(True, status)
    return Outcome(False, status, f"HTTP {status}")


# --- the worker ------------------------------------------------------------------------


def _claim(now: datetime, lease: timedelta) -> WebhookDelivery | None:
    """Take the next due delivery for this worker, or None when nothing is due."""
    for _ in range(5):  # another worker may win a row: look at the next one
        row = db.session.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        due = row.next_attempt_at
        taken = db.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == row.id,
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at == due,
            )
            .values(next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return db.session.get(WebhookDelivery, row.id, populate_existing=True)
    return None


def _random() -> float:
    import secrets

    return secrets.randbelow(1_000_000) / 1_000_000


def deliver_one(row: WebhookDelivery, clock: Callable[[], datetime] = utcnow) -> Outcome:
    """Post one claimed delivery and record what happened (its own transaction)."""
    config = current_app.config
    endpoint = row.endpoint
    body = body_of(row)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Meetcoord-Event": row.event_type,
        "X-Meetcoord-Delivery": str(row.id),
        "X-Meetcoord-Signature": signature(endpoint_secret(endpoint), timestamp, body),
    }
    url, row_id = endpoint.url, row.id
    db.session.commit()  # hold no transaction while the receiver answers
    outcome = post(
        url,
        body,
        headers,
        timeout=float(config["WEBHOOKS_TIMEOUT"]),
        loopback=bool(config["WEBHOOKS_ALLOW_LOOPBACK"]),
    )
    row = db.session.get(WebhookDelivery, row_id, populate_existing=True)
    if row is None:  # the endpoint was deleted meanwhile
        db.session.commit()
        return outcome
    row.attempts += 1
    row.last_status_code = outcome.status_code
    now = clock()
    if outcome.ok:
        row.status = DeliveryStatus.SENT
        row.sent_at = now
        row.last_error = None
    else:
        row.last_error = outcome.error
        if row.attempts >= int(config["WEBHOOKS_MAX_ATTEMPTS"]):
            row.status = DeliveryStatus.FAILED
            log.error("webhook delivery #%s failed for good: %s", row_id, outcome.error)
        else:
            row.next_attempt_at = now + backoff(row.attempts, _random())
            log.warning("webhook delivery #%s will be retried: %s", row_id, outcome.error)
    db.session.commit()
    return outcome


def deliver_due(limit: int = BATCH, clock: Callable[[], datetime] = utcnow) -> int:
    """One worker pass: post up to ``limit`` due deliveries; returns how many were tried."""
    lease = timedelta(seconds=4 * int(current_app.config["WEBHOOKS_TIMEOUT"]) + 60)
    done = 0
    while done < limit:
        row = _claim(clock(), lease)
        if row is None:
            break
        deliver_one(row, clock)
        done += 1
    db.session.commit()
    return done
