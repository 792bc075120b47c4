"""Attendance counters to kiosks and staff over Socket.IO, coalesced.

Counters are ephemeral signals (DESIGN §5): no sequence number, and at most two a second
per meeting however fast people arrive. Sixty people checking in within a minute produce
one update every half second, each carrying the latest counts, not sixty.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from meetcoord.core.sockets import Coalescer
from meetcoord.extensions import socketio
from meetcoord.live import log as live_log

NAMESPACE = "/checkin"
INTERVAL = 0.5


def room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def counts_changed(meeting_id: int) -> None:
    """Called after a commit that changed attendance; the counts follow within 0.5 s."""
    _signals.changed(meeting_id)


def emit_counts(app: Flask, meeting_id: int) -> dict[str, Any] | None:
    from meetcoord.checkin.counts import presence
    from meetcoord.extensions import db
    from meetcoord.meetings.models import Meeting

    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return None
        payload = {"meeting": meeting_id, **presence(meeting).as_dict()}
        # End the read transaction before sending: under eventlet with SQLite the
        # connection is the database turn (core.db.Turns), not to be held while emitting.
        db.session.remove()
        socketio.emit("counts", payload, to=room(meeting_id), namespace=NAMESPACE)
        # The live room's staff (chair and minute-taker included, through their personal
        # links, which /checkin does not accept) see attendance and quorum on the console.
        socketio.emit(
            "counts", payload, to=live_log.staff_room(meeting_id), namespace=live_log.NAMESPACE
        )
        return payload


_signals = Coalescer(emit_counts, INTERVAL)
