"""Socket.IO plumbing shared by the features: namespaces registered once per process, the
origins a browser may connect from, the largest message, and coalesced ephemeral signals."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_socketio import Namespace

from meetcoord.extensions import socketio

_registered: set[str] = set()

# The largest Engine.IO message (and HTTP long-polling body) a server process reads. The
# biggest real command is a minute-taker's notes (50,000 characters, up to ~300 KB as
# JSON when every character is escaped); anything larger is refused by the transport
# before it is parsed: the websocket is closed with 1009 "message too big", a polling
# POST gets 413. Everything smaller reaches the command's schema and gets an error ack.
MAX_MESSAGE_BYTES = 512 * 1024


def origin_key(url: str) -> str | None:
    """``scheme://host[:port]`` as browsers send it in ``Origin`` (default ports dropped,
    lower case); None for anything that is not an http(s) origin."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    if ":" in host:  # IPv6, bracketed again as in a URL
        host = f"[{host}]"
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _forwarded(environ: Mapping[str, Any], header: str, proxies: int) -> str | None:
    """The value the outermost of ``proxies`` trusted proxies set, as ProxyFix reads it."""
    values = [v.strip() for v in str(environ.get(header, "")).split(",") if v.strip()]
    return values[-proxies] if proxies and len(values) >= proxies else None


def request_origin(environ: Mapping[str, Any], proxies: int) -> str | None:
    """The origin the request itself was made to: its Host and scheme, or what the
    ``proxies`` trusted reverse proxies say they were (``X-Forwarded-Proto/Host``)."""
    scheme = _forwarded(environ, "HTTP_X_FORWARDED_PROTO", proxies)
    host = _forwarded(environ, "HTTP_X_FORWARDED_HOST", proxies)
    scheme = scheme or str(environ.get("wsgi.url_scheme", "http"))
    host = host or environ.get("HTTP_HOST")
    return origin_key(f"{scheme}://{host}") if host else None


def origin_policy(base_url: str, proxies: int) -> Callable[[str | None, Mapping[str, Any]], bool]:
    """Engine.IO's ``cors_allowed_origins`` check: a browser may connect only from the
    service's own pages.

    Engine.IO checks ``Origin`` only when a client sends one (browsers always do; the
    Python client over long-polling and most server-side clients do not, and need no
    check: they cannot borrow a visitor's cookies). An ``[]`` here would switch the check
    off; its default, the same host, trusts ``X-Forwarded-*`` from anyone. So: the origin
    of ``MEETCOORD_BASE_URL``, or of the request itself as ``proxies`` trusted proxies
    (``MEETCOORD_PROXY_COUNT``) forwarded it, and nothing else. The socket path is served
    outside Flask's ProxyFix, hence the forwarded headers are read here the same way.
    """
    own = origin_key(base_url)

    def allowed(origin: str | None, environ: Mapping[str, Any]) -> bool:
        if not origin:
            return True
        given = origin_key(origin)
        return given is not None and given in (own, request_origin(environ, proxies))

    return allowed


def register_namespace(handler: Namespace) -> None:
    """Once per process: ``socketio`` is one object shared by every app (tests make two).

    Before any ``init_app`` the handler is queued for every app; if a server existed
    already, ``on_namespace`` bound it to that one only, so queue it for later apps too.
    """
    if handler.namespace in _registered:
        return
    socketio.on_namespace(handler)
    if handler not in socketio.namespace_handlers:
        socketio.namespace_handlers.append(handler)
    _registered.add(handler.namespace)


class Coalescer:
    """Ephemeral signals (DESIGN §5): at most one send per key every ``interval`` seconds.

    Sixty people checking in within a minute, or a thousand phones saying hello, produce one
    message per meeting every half second, each carrying the latest state, not one per
    change. ``send(app, key)`` builds and emits that state; it runs in a background task
    with an app context. Under ``TESTING`` it runs at once in the caller's context (the
    tests share one database connection with their thread).
    """

    def __init__(self, send: Callable[[Flask, int], None], interval: float = 0.5) -> None:
        self.send, self.interval = send, interval
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._last_sent: dict[int, float] = {}
        self._flushing = False

    def changed(self, key: int) -> None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.config["TESTING"]:
            self.send(app, key)
            return
        with self._lock:
            self._pending.add(key)
            if self._flushing:
                return
            self._flushing = True
        socketio.start_background_task(self._flush, app)

    def _flush(self, app: Flask) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                due = [
                    k for k in self._pending if now - self._last_sent.get(k, 0.0) >= self.interval
                ]
                for key in due:
                    self._pending.discard(key)
                    self._last_sent[key] = now
                if not due and not self._pending:
                    self._flushing = False
                    return
            for key in due:
                with app.app_context():
                    try:
                        self.send(app, key)
                    except Exception:  # e.g. Redis away for a moment: the next change sends
                        app.logger.exception("signal for %s not sent", key)
            if not due:
                socketio.sleep(self.interval / 5)
