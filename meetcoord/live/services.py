"""Running the room: open, pause, resume, close; the current agenda item; agenda changes.

Each function takes the actor and the command's nonce, checks, changes, logs an event in
the same transaction and returns ``(seq, result)``; :mod:`meetcoord.live.log` commits and
broadcasts. A repeated nonce returns the first seq and changes nothing. The command's data
arrives loaded by its schema (:mod:`meetcoord.live.schemas`: typed, bounded, defaults
filled in); what is checked here is what only the database can tell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, ValidationError, field_errors
from meetcoord.extensions import db
from meetcoord.live import guards, log, state
from meetcoord.live.guards import require_running
from meetcoord.live.log import Command
from meetcoord.live.models import RoomState
from meetcoord.live.speakers import close_queue, end_current_turn
from meetcoord.meetings import opening
from meetcoord.meetings.models import AgendaItem, AgendaKind, MeetingStatus


def _transition(cmd: Command, to: RoomState, frm: set[RoomState], type_: str) -> None:
    cmd.actor.require(Permission.LIVE_RUN)
    if cmd.meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(guards.CANCELLED)
    if cmd.room.state not in frm:
        raise Conflict(guards.STATE_MESSAGES[cmd.room.state])
    now = utcnow()
    cmd.room.state = to
    if to is RoomState.OPEN and cmd.room.opened_at is None:
        cmd.room.opened_at = now
        cmd.meeting.status = MeetingStatus.LIVE
    if to is RoomState.CLOSED:
        cmd.room.closed_at = now
        cmd.meeting.status = MeetingStatus.CLOSED
    cmd.append(type_, {"room": state.room_dict(cmd.room)})


def open_meeting(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    def body(cmd: Command) -> None:
        if cmd.meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.DRAFT):
            cmd.actor.require(Permission.LIVE_RUN)
            raise Conflict(_l("Rapat yang masih draf atau dibatalkan tidak dapat dibuka."))
        if cmd.room.state is RoomState.WAITING and cmd.actor.may(Permission.LIVE_RUN):
            # Not before check-in opens (meetings.windows), told in the opener's zone.
            opening.require_open(cmd.meeting, cmd.actor.invitation, room=True)
        _transition(cmd, RoomState.OPEN, {RoomState.WAITING}, "meeting.opened")

    return log.run(meeting_id, actor, nonce, body)


def pause_meeting(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    return log.run(
        meeting_id,
        actor,
        nonce,
        lambda cmd: _transition(cmd, RoomState.PAUSED, {RoomState.OPEN}, "meeting.paused"),
    )


def resume_meeting(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    return log.run(
        meeting_id,
        actor,
        nonce,
        lambda cmd: _transition(cmd, RoomState.OPEN, {RoomState.PAUSED}, "meeting.resumed"),
    )


def close_meeting(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd)
        # Whoever still holds the floor stops speaking first, and the queue empties, so a
        # client applying the events in order never sees a closed meeting with speakers.
        end_current_turn(cmd)
        close_queue(cmd)
        _transition(cmd, RoomState.CLOSED, {RoomState.OPEN, RoomState.PAUSED}, "meeting.closed")

    return log.run(meeting_id, actor, nonce, body)


def item_of(cmd: Command, item_id: int | None, field: str = "item_id") -> AgendaItem:
    item = db.session.get(AgendaItem, item_id) if item_id is not None else None
    if item is None or item.meeting_id != cmd.meeting.id:
        raise ValidationError(
            _l("Mata acara tidak ada dalam rapat ini."),
            errors=field_errors(**{field: _l("Mata acara tidak ada dalam rapat ini.")}),
        )
    return item


def _make_current(cmd: Command, item: AgendaItem) -> None:
    """``item`` becomes the current one; its timer starts now."""
    cmd.room.current_item = item
    cmd.room.current_item_id = item.id
    cmd.room.item_started_at = utcnow()
    cmd.append(
        "item.activated",
        {
            "item_id": item.id,
            "timer": state.timer(cmd.room.item_started_at, item.planned_minutes * 60),
        },
    )


def activate_item(
    actor: Actor, meeting_id: int, item_id: int, nonce: Any = None
) -> tuple[int, None]:
    """Make ``item_id`` the current item; its timer starts now."""

    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd, paused_ok=False)
        _make_current(cmd, item_of(cmd, item_id))

    return log.run(meeting_id, actor, nonce, body)


def next_item(actor: Actor, meeting_id: int, nonce: Any = None) -> tuple[int, None]:
    """The item after the current one (the first when none is current)."""

    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd, paused_ok=False)
        items = list(cmd.meeting.agenda)
        ids = [item.id for item in items]
        current = cmd.room.current_item_id
        index = ids.index(current) + 1 if current in ids else 0
        if not items:
            raise Conflict(_l("Agenda rapat masih kosong."))
        if index >= len(items):
            raise Conflict(_l("Ini mata acara terakhir."))
        _make_current(cmd, items[index])

    return log.run(meeting_id, actor, nonce, body)


def _agenda_changed(cmd: Command) -> None:
    db.session.flush()
    db.session.refresh(cmd.meeting, ["agenda"])
    cmd.append("agenda.changed", {"agenda": [state.item_dict(i) for i in cmd.meeting.agenda]})


def add_item(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """Add an item at the end of the agenda during the meeting."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd)
        position = max((i.position for i in cmd.meeting.agenda), default=0) + 1
        item = AgendaItem(
            meeting_id=cmd.meeting.id,
            position=position,
            title=data["title"],
            planned_minutes=data.get("planned_minutes", 15),
            kind=AgendaKind.DISCUSSION,
        )
        db.session.add(item)
        _agenda_changed(cmd)
        return item.id

    return log.run(meeting_id, actor, nonce, body)


def reorder_items(
    actor: Actor, meeting_id: int, item_ids: list[int], nonce: Any = None
) -> tuple[int, None]:
    """Put the agenda in the order of ``item_ids`` (every item exactly once)."""

    def body(cmd: Command) -> None:
        cmd.actor.require(Permission.LIVE_RUN)
        require_running(cmd)
        items = {item.id: item for item in cmd.meeting.agenda}
        wanted = list(item_ids)
        if sorted(wanted) != sorted(items):
            message = _l("Urutan harus memuat setiap mata acara tepat satu kali.")
            raise ValidationError(message, errors=field_errors(item_ids=message))
        for position, item_id in enumerate(wanted, start=1):
            items[item_id].position = position
        _agenda_changed(cmd)

    return log.run(meeting_id, actor, nonce, body)
