"""Reading the live room for the REST API: its state, its record, its log in pages.

The rows are serialized by :mod:`meetcoord.live.state`, as the socket's events and
snapshot are, so what a system reads here is what the room's clients hold. Access is the
caller's check (``live.api``); these only read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select

from meetcoord.actions.models import Action
from meetcoord.core.db import utcnow
from meetcoord.core.pagination import Page, like_pattern, paginate
from meetcoord.extensions import db
from meetcoord.live import chain, log, state
from meetcoord.live.models import (
    Decision,
    ItemNote,
    LiveRoom,
    RoomState,
    SpeakerRequest,
    SpeakerStatus,
)
from meetcoord.meetings.models import AgendaItem, Meeting

WAITING_ROOM = {
    "state": RoomState.WAITING.value,
    "current_item_id": None,
    "item_timer": None,
    "opened_at": None,
    "closed_at": None,
}


def room_state(meeting: Meeting) -> dict[str, Any]:
    """The room now: run state, agenda, current item and the speakers' queue (the part
    of the socket's snapshot a running console draws first)."""
    live_room = db.session.get(LiveRoom, meeting.id)
    speakers = db.session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting.id,
            SpeakerRequest.status.in_([SpeakerStatus.WAITING, SpeakerStatus.SPEAKING]),
        )
        .order_by(SpeakerRequest.requested_at, SpeakerRequest.id)
    ).all()
    current = live_room.current_item if live_room is not None else None
    return {
        "seq": live_room.last_seq if live_room is not None else 0,
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "start_at": chain.timestamp(meeting.start_at) if meeting.start_at else None,
            "end_at": chain.timestamp(meeting.end_at) if meeting.end_at else None,
            "status": meeting.status.value,
        },
        "room": state.room_dict(live_room) if live_room is not None else dict(WAITING_ROOM),
        "current_item": state.item_dict(current) if current is not None else None,
        "sites": [state.site_dict(site) for site in meeting.sites],
        "agenda": [state.item_dict(item) for item in meeting.agenda],
        "speakers": [state.speaker_dict(s) for s in speakers],
        "server_time": chain.timestamp(utcnow()),
    }


def _ordered(query: Select[Any], column: Any, args: Mapping[str, Any], tiebreak: Any) -> Any:
    if args.get("order") == "desc":
        return query.order_by(column.desc(), tiebreak.desc())
    return query.order_by(column, tiebreak)


def _page(query: Select[Any], args: Mapping[str, Any], dump: Any) -> Page[dict[str, Any]]:
    found = paginate(query, args["page"], args["per_page"])
    return Page(
        items=[dump(row) for row in found.items],
        page=found.page,
        per_page=found.per_page,
        total=found.total,
    )


def decisions(meeting: Meeting, args: Mapping[str, Any]) -> Page[dict[str, Any]]:
    """The meeting's decisions, withdrawn ones too (marked), by number unless sorted."""
    query = select(Decision).where(Decision.meeting_id == meeting.id)
    if args.get("item_id") is not None:
        query = query.where(Decision.agenda_item_id == args["item_id"])
    if args.get("q"):
        query = query.where(Decision.text.ilike(like_pattern(args["q"]), escape="\\"))
    column = Decision.recorded_at if args.get("sort") == "recorded_at" else Decision.number
    return _page(_ordered(query, column, args, Decision.id), args, state.decision_dict)


def notes(meeting: Meeting, args: Mapping[str, Any]) -> Page[dict[str, Any]]:
    """The minute-taker's notes, one per agenda item that has any, in agenda order."""
    query = (
        select(ItemNote)
        .join(AgendaItem, ItemNote.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting.id)
    )
    if args.get("item_id") is not None:
        query = query.where(ItemNote.agenda_item_id == args["item_id"])
    if args.get("q"):
        query = query.where(ItemNote.text.ilike(like_pattern(args["q"]), escape="\\"))
    ordered = _ordered(query, AgendaItem.position, args, AgendaItem.id)
    return _page(ordered, args, state.note_dict)


ACTION_SORTS = {"id": Action.id, "due_on": Action.due_on, "title": Action.title}


def actions(meeting: Meeting, args: Mapping[str, Any]) -> Page[dict[str, Any]]:
    """The follow-up actions recorded in this meeting, withdrawn ones too (marked)."""
    query = select(Action).where(Action.meeting_id == meeting.id)
    for key, column in (
        ("decision_id", Action.decision_id),
        ("organization_id", Action.organization_id),
    ):
        if args.get(key) is not None:
            query = query.where(column == args[key])
    if args.get("q"):
        query = query.where(Action.title.ilike(like_pattern(args["q"]), escape="\\"))
    column = ACTION_SORTS.get(args.get("sort") or "id", Action.id)
    return _page(_ordered(query, column, args, Action.id), args, state.action_dict)


def events(meeting: Meeting, after_seq: int, limit: int) -> dict[str, Any]:
    """One bounded page of the log after ``after_seq``, with the seq to ask from next."""
    head = log.head(meeting.id)
    items = log.events_after(meeting.id, after_seq, limit=limit)
    next_seq = items[-1]["seq"] if items else min(after_seq, head)
    return {
        "items": items,
        "after_seq": after_seq,
        "next_seq": next_seq,
        "head": head,
        "more": next_seq < head,
    }
