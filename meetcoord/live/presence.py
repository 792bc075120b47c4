"""Link health: which sites have a screen or a coordinator connected, and when last heard.

Ephemeral (DESIGN §5): kept in this process's memory, sent to the staff room with no seq,
at most twice a second per meeting. With several server processes each one reports the
connections it holds; a site is connected when any process says so.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from meetcoord.extensions import socketio
from meetcoord.live import chain
from meetcoord.live.log import NAMESPACE, staff_room

INTERVAL = 0.5


@dataclass
class Connection:
    meeting_id: int
    role: str
    site_id: int | None
    label: str
    is_screen: bool = False  # a projector or kiosk page for a site
    last_heard: float = field(default_factory=time.time)


_lock = threading.Lock()
_connections: dict[str, Connection] = {}
_pending: set[int] = set()
_last_sent: dict[int, float] = {}
_flushing = False


def joined(sid: str, conn: Connection) -> None:
    with _lock:
        _connections[sid] = conn
    changed(conn.meeting_id)


def heard(sid: str) -> Connection | None:
    with _lock:
        conn = _connections.get(sid)
        if conn is not None:
            conn.last_heard = time.time()
    return conn


def left(sid: str) -> Connection | None:
    with _lock:
        conn = _connections.pop(sid, None)
    if conn is not None:
        changed(conn.meeting_id)
    return conn


def connection(sid: str) -> Connection | None:
    return _connections.get(sid)


def summary(meeting_id: int) -> dict[str, Any]:
    """Per site (key "online" for no site): screens, coordinators, people, last heard."""
    sites: dict[str, dict[str, Any]] = {}
    with _lock:
        conns = [c for c in _connections.values() if c.meeting_id == meeting_id]
    for conn in conns:
        key = str(conn.site_id) if conn.site_id is not None else "online"
        entry = sites.setdefault(
            key, {"screens": 0, "coordinators": 0, "connected": 0, "last_heard_at": None}
        )
        entry["connected"] += 1
        entry["screens"] += int(conn.is_screen)
        entry["coordinators"] += int(conn.role == "site_coordinator")
        heard_at = chain.timestamp_epoch(conn.last_heard)
        if entry["last_heard_at"] is None or heard_at > entry["last_heard_at"]:
            entry["last_heard_at"] = heard_at
    return {"meeting": meeting_id, "sites": sites, "connections": len(conns)}


def changed(meeting_id: int) -> None:
    global _flushing
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["TESTING"]:
        _emit(meeting_id)
        return
    with _lock:
        _pending.add(meeting_id)
        if _flushing:
            return
        _flushing = True
    socketio.start_background_task(_flush, app)


def _emit(meeting_id: int) -> None:
    socketio.emit("presence", summary(meeting_id), to=staff_room(meeting_id), namespace=NAMESPACE)


def _flush(app: Flask) -> None:
    global _flushing
    while True:
        with _lock:
            now = time.monotonic()
            due = [m for m in _pending if now - _last_sent.get(m, 0.0) >= INTERVAL]
            for meeting_id in due:
                _pending.discard(meeting_id)
                _last_sent[meeting_id] = now
            if not due and not _pending:
                _flushing = False
                return
        for meeting_id in due:
            _emit(meeting_id)
        if not due:
            socketio.sleep(INTERVAL / 5)
