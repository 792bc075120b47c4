"""The room as data: what events carry and what a late or far-behind client is sent.

One serializer per thing (item, decision, action, speaker), used both in event payloads
and in the snapshot, so a client that applied every event holds exactly the snapshot.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from meetcoord.actions import carryover
from meetcoord.actions.models import Action
from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from meetcoord.live import chain
from meetcoord.live.models import (
    Decision,
    DecisionRevision,
    ItemNote,
    LiveRoom,
    RoomState,
    SpeakerRequest,
    SpeakerStatus,
    Withdrawable,
)
from meetcoord.meetings.models import AgendaItem, AgendaKind, Meeting, MeetingSite
from meetcoord.planning.matrix import matrix_state
from meetcoord.questions.state import room_list as question_list

SPEAKER_SECONDS = 180  # the default turn: three minutes


def _ts(moment: Any) -> str | None:
    return chain.timestamp(moment) if moment is not None else None


def site_dict(site: MeetingSite) -> dict[str, Any]:
    venue = site.venue
    return {
        "id": site.id,
        "name": venue.name,
        "zone": venue.timezone,
        "zone_label": venue.zone_label,
    }


def item_dict(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position,
        "title": item.title,
        "presenter": item.presenter,
        "planned_minutes": item.planned_minutes,
        "kind": item.kind.value,
    }


def timer(started_at: Any, seconds: int | None) -> dict[str, Any] | None:
    """Timers travel as ``{started_at, duration}``; each client counts down itself."""
    if started_at is None:
        return None
    return {"started_at": _ts(started_at), "duration": seconds}


def room_dict(live_room: LiveRoom) -> dict[str, Any]:
    item = live_room.current_item
    return {
        "state": live_room.state.value,
        "current_item_id": live_room.current_item_id,
        "item_timer": timer(live_room.item_started_at, item.planned_minutes * 60 if item else None),
        "opened_at": _ts(live_room.opened_at),
        "closed_at": _ts(live_room.closed_at),
    }


def withdrawal(record: Withdrawable) -> dict[str, Any] | None:
    """When, by whom and why a decision or action was withdrawn; None while it stands."""
    if record.withdrawn_at is None:
        return None
    return {
        "at": _ts(record.withdrawn_at),
        "by": record.withdrawn_by,
        "reason": record.withdrawn_reason,
    }


def decision_dict(decision: Decision) -> dict[str, Any]:
    tallies = [
        {
            "site_id": t.site_id,
            "for": t.votes_for,
            "against": t.votes_against,
            "abstain": t.abstentions,
        }
        for t in decision.tallies
    ]
    return {
        "id": decision.id,
        "number": decision.number,
        "item_id": decision.agenda_item_id,
        "text": decision.text,
        "kind": decision.kind.value,
        "version": decision.version,
        "recorded_by": decision.recorded_by,
        "recorded_at": _ts(decision.recorded_at),
        "amended_at": _ts(decision.amended_at),
        "withdrawn": withdrawal(decision),
        "tallies": tallies,
        "totals": {key: sum(t[key] for t in tallies) for key in ("for", "against", "abstain")},
    }


def action_dict(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "decision_id": action.decision_id,
        "title": action.title,
        "organization_id": action.organization_id,
        "organization": action.organization.name,
        "person_id": action.person_id,
        "person": action.person.name if action.person else None,
        "locus": action.locus,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "status": action.status.value,
        "version": action.version,
        "withdrawn": withdrawal(action),
    }


def speaker_dict(request: SpeakerRequest) -> dict[str, Any]:
    inv = request.invitation
    person = inv.person
    return {
        "id": request.id,
        "invitation_id": inv.id,
        "name": inv.stand_in_name or person.name,
        "organization": person.organization.name if person.organization else None,
        "site_id": request.site_id,
        "site": request.site.venue.name if request.site else None,
        "status": request.status.value,
        "raised_by": request.raised_by,
        "requested_at": _ts(request.requested_at),
        "timer": timer(request.started_at, request.duration_seconds)
        if request.status is SpeakerStatus.SPEAKING
        else None,
    }


def note_dict(note: ItemNote) -> dict[str, Any]:
    return {
        "item_id": note.agenda_item_id,
        "text": note.text,
        "version": note.version,
        "updated_by": note.updated_by,
        "updated_at": _ts(note.updated_at),
    }


def revision_dict(revision: DecisionRevision) -> dict[str, Any]:
    """An earlier wording of a decision (kept when it was amended)."""
    return {
        "decision_id": revision.decision_id,
        "version": revision.version,
        "text": revision.text,
        "kind": revision.kind.value,
        "replaced_at": _ts(revision.replaced_at),
        "replaced_by": revision.replaced_by,
    }


def review_list(meeting: Meeting) -> list[dict[str, Any]]:
    """The carried-over actions this meeting reviews, as ``action.reviewed`` carries them.

    Only a meeting with a "Tinjauan tindak lanjut" item reviews anything (a first meeting
    of a forum has none, and staff may have taken the item off). Bounded by
    ``carryover.REVIEW_MAX``; ``review_rows`` loads every action's history in one query.
    """
    if not any(item.kind is AgendaKind.ACTION_REVIEW for item in meeting.agenda):
        return []
    return [carryover.review_dict(row.action, meeting.id) for row in carryover.review_rows(meeting)]


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """Everything a client needs to draw the room, with the seq it is current to."""
    live_room = db.session.get(LiveRoom, meeting.id)
    item_ids = [item.id for item in meeting.agenda]
    notes = (
        db.session.scalars(select(ItemNote).where(ItemNote.agenda_item_id.in_(item_ids))).all()
        if item_ids
        else []
    )
    decisions = db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.number)
    ).all()
    actions = db.session.scalars(
        select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
    ).all()
    speakers = db.session.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.meeting_id == meeting.id,
            SpeakerRequest.status.in_([SpeakerStatus.WAITING, SpeakerStatus.SPEAKING]),
        )
        .order_by(SpeakerRequest.requested_at, SpeakerRequest.id)
    ).all()
    revisions = db.session.scalars(
        select(DecisionRevision)
        .join(Decision, DecisionRevision.decision_id == Decision.id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(DecisionRevision.decision_id, DecisionRevision.version)
    ).all()
    return {
        "seq": live_room.last_seq if live_room else 0,
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "start_at": _ts(meeting.start_at),
            "end_at": _ts(meeting.end_at),
            "status": meeting.status.value,
        },
        "room": room_dict(live_room)
        if live_room
        else {
            "state": RoomState.WAITING.value,
            "current_item_id": None,
            "item_timer": None,
            "opened_at": None,
            "closed_at": None,
        },
        "sites": [site_dict(site) for site in meeting.sites],
        "agenda": [item_dict(item) for item in meeting.agenda],
        "notes": [note_dict(note) for note in notes],
        "decisions": [decision_dict(d) for d in decisions],
        "actions": [action_dict(a) for a in actions],
        "speakers": [speaker_dict(s) for s in speakers],
        # The action review (carry-over, issue 13): kept current by ``action.reviewed``.
        "review": review_list(meeting),
        # The synchronisation matrix (issue 14): None without a sync_matrix item; kept
        # current by ``matrix.added``, ``proposal.marked`` and ``proposal.confirmed``.
        "matrix": matrix_state(meeting),
        # Additions for the pages: earlier wordings of amended decisions, and the server's
        # clock when this was made (clients count timers down against it).
        "revisions": [revision_dict(r) for r in revisions],
        # Moderated questions (issue 15): the approved ones only, kept current by the
        # ``question.*`` events (questions.services says what they carry).
        "questions": question_list(meeting.id),
        "server_time": _ts(utcnow()),
    }
