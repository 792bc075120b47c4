"""What state a room must be in for a command: running, or still open to corrections.

Every command module (services, speakers, decisions, corrections) checks these first.
They live apart from :mod:`meetcoord.live.services` so that the speakers' queue, which
``services.close_meeting`` empties, need not import services back.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.core.errors import Conflict
from meetcoord.documents import room as room_record
from meetcoord.live.log import Command
from meetcoord.live.models import RoomState
from meetcoord.meetings.models import MeetingStatus

CANCELLED = _l("Rapat ini dibatalkan.")
STATE_MESSAGES = {
    RoomState.WAITING: _l("Rapat belum dibuka."),
    RoomState.OPEN: _l("Rapat sedang berlangsung."),
    RoomState.PAUSED: _l("Rapat sedang diskors."),
    RoomState.CLOSED: _l("Rapat sudah ditutup."),
}


def require_running(cmd: Command, *, paused_ok: bool = True) -> None:
    """Commands that change the record need an open (or paused) meeting."""
    if cmd.meeting.status is MeetingStatus.CANCELLED:
        # Cancelled while clients were connected: the room takes no more commands.
        raise Conflict(CANCELLED)
    allowed = {RoomState.OPEN, RoomState.PAUSED} if paused_ok else {RoomState.OPEN}
    if cmd.room.state not in allowed:
        raise Conflict(STATE_MESSAGES[cmd.room.state])


def require_correctable(cmd: Command) -> None:
    """Corrections (withdraw, amend, update) during the meeting and, once it is closed,
    until its minutes are final; after that the minutes' addendum is the only way."""
    if cmd.meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(CANCELLED)
    if cmd.room.state is RoomState.CLOSED:
        room_record.require_open(cmd.meeting)
    elif cmd.room.state is not RoomState.OPEN and cmd.room.state is not RoomState.PAUSED:
        raise Conflict(STATE_MESSAGES[cmd.room.state])


def corrected(cmd: Command, detail: dict[str, Any]) -> None:
    """A correction after the meeting closed reaches the minutes' draft, if there is one."""
    if cmd.room.state is RoomState.CLOSED:
        room_record.take_corrections(cmd.meeting, cmd.actor, detail)
