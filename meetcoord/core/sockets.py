"""Socket.IO plumbing shared by the features: namespaces registered once per process, and
coalesced ephemeral signals."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from flask_socketio import Namespace

from meetcoord.extensions import socketio

_registered: set[str] = set()


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
