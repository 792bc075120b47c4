"""Recording the meeting: decisions with per-site votes, notes per item, follow-up actions.

Notes carry a version and an edit made on a stale version is refused with the current
text, so two minute-takers never silently overwrite each other. Corrections (amending,
withdrawing, updating an action) are in :mod:`meetcoord.live.corrections`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from meetcoord import webhooks
from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.actions.models import Action
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, ValidationError, field_errors
from meetcoord.directory.models import Organization, Person
from meetcoord.extensions import db
from meetcoord.live import log, state
from meetcoord.live.guards import corrected, require_correctable, require_running
from meetcoord.live.log import Command
from meetcoord.live.models import (
    Decision,
    DecisionKind,
    DecisionTally,
    ItemNote,
    RoomState,
)
from meetcoord.live.services import item_of
from meetcoord.meetings.models import MeetingSite


def invalid(field: str, message: Any) -> ValidationError:
    return ValidationError(message, errors=field_errors(**{field: message}))


def decision_of(cmd: Command, decision_id: int | None) -> Decision:
    """A decision of this meeting that still stands (a withdrawn one takes no more)."""
    decision = db.session.get(Decision, decision_id) if decision_id is not None else None
    if decision is None or decision.meeting_id != cmd.meeting.id:
        raise invalid("decision_id", _l("Kesepakatan tidak ada dalam rapat ini."))
    if decision.is_withdrawn:
        raise Conflict(_l("Kesepakatan %(n)s sudah dicabut.", n=decision.number))
    return decision


def _site(cmd: Command, site_id: int | None) -> MeetingSite | None:
    """A site of this meeting, or None for the online participants."""
    if site_id is None:
        return None
    site = db.session.get(MeetingSite, site_id)
    if site is None or site.meeting_id != cmd.meeting.id:
        raise invalid("site_id", _l("Lokasi tidak ada dalam rapat ini."))
    return site


def _set_tally(cmd: Command, decision: Decision, row: Mapping[str, Any]) -> None:
    site = _site(cmd, row.get("site_id"))
    cmd.actor.require(Permission.LIVE_TALLY, site)
    if decision.kind is not DecisionKind.VOTE:
        raise invalid("kind", _l("Hanya kesepakatan melalui pemungutan suara yang memiliki suara."))
    counts = {
        "votes_for": row.get("for", 0),
        "votes_against": row.get("against", 0),
        "abstentions": row.get("abstain", 0),
    }
    site_id = site.id if site else None
    tally = next((t for t in decision.tallies if t.site_id == site_id), None)
    if tally is None:
        tally = DecisionTally(site_id=site_id, **counts)
        decision.tallies.append(tally)
    else:
        for key, value in counts.items():
            setattr(tally, key, value)


def record_decision(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """A decision under the current item (or ``item_id``), with tallies for a vote."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Permission.LIVE_RECORD)
        require_running(cmd)
        if data.get("item_id") is not None:
            item_id = item_of(cmd, data["item_id"]).id
        else:
            item_id = cmd.room.current_item_id
        number = (
            db.session.scalar(
                select(func.max(Decision.number)).where(Decision.meeting_id == cmd.meeting.id)
            )
            or 0
        ) + 1
        decision = Decision(
            meeting_id=cmd.meeting.id,
            agenda_item_id=item_id,
            number=number,
            text=data["text"],
            kind=DecisionKind(data.get("kind") or DecisionKind.CONSENSUS),
            version=1,
            recorded_at=utcnow(),
            recorded_by=cmd.actor.label,
        )
        db.session.add(decision)
        for row in data.get("tallies", []):
            _set_tally(cmd, decision, row)
        db.session.flush()
        cmd.append("decision.recorded", {"decision": state.decision_dict(decision)})
        webhooks.decision_recorded(decision, cmd.meeting)
        return decision.id

    return log.run(meeting_id, actor, nonce, body)


def set_tally(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Votes counted at one site; a coordinator only for their own site, while the
    meeting runs; after it closes, a correction by the chair or the minute-taker."""

    def body(cmd: Command) -> None:
        cmd.actor.require_somewhere(Permission.LIVE_TALLY)
        if cmd.room.state is RoomState.CLOSED:
            cmd.actor.require(Permission.LIVE_RECORD)
        require_correctable(cmd)
        decision = decision_of(cmd, data.get("decision_id"))
        _set_tally(cmd, decision, data)
        db.session.flush()
        cmd.append("decision.tallied", {"decision": state.decision_dict(decision)})
        corrected(cmd, {"decision": decision.number, "tallied": True})

    return log.run(meeting_id, actor, nonce, body)


def save_notes(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """The minute-taker's notes on an item, refused when ``base_version`` is stale."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Permission.LIVE_RECORD)
        require_running(cmd)
        item = item_of(cmd, data.get("item_id"))
        text = data.get("text", "")
        note = db.session.get(ItemNote, item.id)
        if note is None:
            note = ItemNote(agenda_item_id=item.id, text="", version=0)
            db.session.add(note)
        if data.get("base_version", 0) != note.version:
            raise Conflict(
                _l(
                    "Catatan ini sudah diubah (versi %(v)s) oleh %(who)s; "
                    "salin teks Anda, muat ulang, lalu gabungkan.",
                    v=note.version,
                    who=note.updated_by or "-",
                )
            )
        note.text = text
        note.version += 1
        note.updated_at = utcnow()
        note.updated_by = cmd.actor.label
        cmd.append("notes.saved", {"note": state.note_dict(note)})
        return note.version

    return log.run(meeting_id, actor, nonce, body)


def create_action(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """A follow-up action from a decision, owed by an agency."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Permission.LIVE_RECORD)
        require_running(cmd)
        decision = decision_of(cmd, data.get("decision_id"))
        organization = organization_of(data.get("organization_id"))
        person = person_of(data.get("person_id"))
        action = Action(
            meeting_id=cmd.meeting.id,
            decision_id=decision.id,
            title=data["title"],
            organization_id=organization.id,
            person_id=person.id if person else None,
            locus=data.get("locus"),
            due_on=data.get("due_on"),
        )
        db.session.add(action)
        db.session.flush()
        cmd.append("action.created", {"action": state.action_dict(action)})
        return action.id

    return log.run(meeting_id, actor, nonce, body)


def organization_of(organization_id: int | None) -> Organization:
    found = db.session.get(Organization, organization_id) if organization_id is not None else None
    if found is None:
        raise invalid("organization_id", _l("Pilih instansi (OPD) penanggung jawab."))
    return found


def person_of(person_id: int | None) -> Person | None:
    """The person named responsible, or None when none is."""
    if person_id is None:
        return None
    found = db.session.get(Person, person_id)
    if found is None:
        raise invalid("person_id", _l("Orang tidak dikenal."))
    return found
