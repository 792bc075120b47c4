"""Link health: which sites have a screen or a coordinator connected, and when last heard.

Ephemeral (DESIGN §5): kept in this process's memory, sent to the staff room with no seq,
at most twice a second per meeting. With several server processes (a Redis message queue)
each one also keeps its own counts in a Redis hash per meeting and sends the sum over all
processes: were each to send only its own, a console would flip between one process's
view and another's. A process refreshes its entry every ``REFRESH`` seconds; the entry of
a process that died is ignored once it is ``STALE``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from meetcoord.core.sockets import Coalescer
from meetcoord.extensions import socketio
from meetcoord.live import chain
from meetcoord.live.log import NAMESPACE, shared_key, shared_redis, staff_room

INTERVAL = 0.5
REFRESH = 10.0  # seconds between re-sending a meeting's counts (and this process's entry)
STALE = 3 * REFRESH  # an entry not refreshed for this long belongs to a dead process
SOURCE = uuid.uuid4().hex  # this process, in the shared Redis hash


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
_refreshing = False


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


def forget_all() -> None:
    """Drop every connection this process knows: for a test that starts over, where
    the next meeting reuses the ids (and site ids) of the one before it."""
    with _lock:
        _connections.clear()


def connection(sid: str) -> Connection | None:
    return _connections.get(sid)


def _site_entry() -> dict[str, Any]:
    return {"screens": 0, "coordinators": 0, "connected": 0, "last_heard_at": None}


def _add(sites: dict[str, dict[str, Any]], key: str, part: dict[str, Any]) -> None:
    entry = sites.setdefault(key, _site_entry())
    for name in ("screens", "coordinators", "connected"):
        entry[name] += part[name]
    heard_at = part["last_heard_at"]
    if heard_at is not None and (entry["last_heard_at"] or "") < heard_at:
        entry["last_heard_at"] = heard_at


def local_summary(meeting_id: int) -> dict[str, Any]:
    """Per site (key "online" for no site): screens, coordinators, people, last heard."""
    sites: dict[str, dict[str, Any]] = {}
    with _lock:
        conns = [c for c in _connections.values() if c.meeting_id == meeting_id]
    for conn in conns:
        key = str(conn.site_id) if conn.site_id is not None else "online"
        _add(
            sites,
            key,
            {
                "screens": int(conn.is_screen),
                "coordinators": int(conn.role == "site_coordinator"),
                "connected": 1,
                "last_heard_at": chain.timestamp_epoch(conn.last_heard),
            },
        )
    return {"meeting": meeting_id, "sites": sites, "connections": len(conns)}


def summary(meeting_id: int) -> dict[str, Any]:
    """This meeting's link health over every server process."""
    mine = local_summary(meeting_id)
    client = shared_redis()
    if client is None:
        return mine
    key = shared_key("live-presence", meeting_id)
    now = time.time()
    pipe = client.pipeline()
    pipe.hset(key, SOURCE, json.dumps({"at": now, **mine}))
    pipe.expire(key, int(STALE * 2))
    pipe.hgetall(key)
    try:
        entries = pipe.execute()[-1]
    except Exception:  # Redis away for a moment: what this process knows is still true
        current_app.logger.warning("presence: Redis unavailable", exc_info=True)
        return mine
    total: dict[str, Any] = {"meeting": meeting_id, "sites": {}, "connections": 0}
    for raw in entries.values():
        part = json.loads(raw)
        if now - part.get("at", 0) > STALE:
            continue  # a process that stopped refreshing: it is gone
        total["connections"] += part["connections"]
        for site_key, site in part["sites"].items():
            _add(total["sites"], site_key, site)
    return total


def changed(meeting_id: int) -> None:
    """This meeting's link health changed: the staff room hears within ``INTERVAL``."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _signals.changed(meeting_id)
    if app.config.get("SOCKETIO_MESSAGE_QUEUE") and not _refreshing:
        _start_refresh(app)


def _emit(meeting_id: int) -> None:
    socketio.emit("presence", summary(meeting_id), to=staff_room(meeting_id), namespace=NAMESPACE)


def _start_refresh(app: Flask) -> None:
    global _refreshing
    with _lock:
        if _refreshing:
            return
        _refreshing = True
    socketio.start_background_task(_refresh, app)


def _refresh(app: Flask) -> None:
    """Every ``REFRESH`` s: re-send the counts of each meeting this process serves.

    That keeps this process's entry fresh, drops a dead process's, and moves "last
    heard" on the consoles. Runs for the life of the process (a Redis queue only).
    """
    while True:
        socketio.sleep(REFRESH)
        with _lock:
            meetings = {c.meeting_id for c in _connections.values()}
        for meeting_id in meetings:
            with app.app_context():
                changed(meeting_id)


_signals = Coalescer(lambda app, meeting_id: _emit(meeting_id), INTERVAL)
