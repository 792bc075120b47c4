"""Correcting the record: amend or withdraw a decision, update or withdraw an action.

People make mistakes in a meeting: a decision typed under pressure, a vote that was a
consensus, an action given to the wrong agency, a decision that should never have been
recorded. The chair, the minute-taker and the secretariat (``Permission.LIVE_RECORD``) correct them
while the meeting runs and, after the room closes, until the minutes are final
(``guards.require_correctable``); after that only an addendum corrects the minutes.

Corrections go through the room's event log like every other command (lock, nonce,
append, commit, publish), so every console and phone sees them and the hash chain keeps
who did what and when. A withdrawal deletes nothing: the decision or action stays, struck
through, with its reason; the minutes leave it out of their decisions and actions and list
it, with the reason, among what was withdrawn. Withdrawing a decision withdraws its
actions with it. After close, each correction reaches the minutes' draft at once
(``guards.corrected``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.actions import history
from meetcoord.actions.models import Action
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict
from meetcoord.extensions import db
from meetcoord.live import log, state
from meetcoord.live.decisions import decision_of, invalid, organization_of, person_of
from meetcoord.live.guards import corrected, require_correctable
from meetcoord.live.log import Command
from meetcoord.live.models import DecisionKind, DecisionRevision, Withdrawable

Data = Mapping[str, Any]


def _begin(cmd: Command) -> None:
    cmd.actor.require(Permission.LIVE_RECORD)
    require_correctable(cmd)


def _withdraw(cmd: Command, record: Withdrawable, reason: str) -> None:
    record.withdrawn_at = utcnow()
    record.withdrawn_by = cmd.actor.label
    record.withdrawn_reason = reason


def action_of(cmd: Command, action_id: int | None) -> Action:
    """An action of this meeting that still stands."""
    action = db.session.get(Action, action_id) if action_id is not None else None
    if action is None or action.meeting_id != cmd.meeting.id:
        raise invalid("action_id", _l("Tindak lanjut tidak ada dalam rapat ini."))
    if action.is_withdrawn:
        raise Conflict(_l("Tindak lanjut ini sudah dicabut."))
    return action


def amend_decision(
    actor: Actor, meeting_id: int, data: Data, nonce: Any = None
) -> tuple[int, None]:
    """New wording (and kind) for a decision; the old one is kept. ``base_version`` must
    be current, so a second console cannot overwrite what it has not seen."""

    def body(cmd: Command) -> None:
        _begin(cmd)
        decision = decision_of(cmd, data.get("decision_id"))
        if data.get("base_version") != decision.version:
            raise Conflict(
                _l(
                    "Kesepakatan ini sudah diubah orang lain (versi %(v)s); "
                    "muat ulang lalu ubah lagi.",
                    v=decision.version,
                )
            )
        kind = DecisionKind(data["kind"]) if data.get("kind") else decision.kind
        decision.revisions.append(
            DecisionRevision(
                version=decision.version,
                text=decision.text,
                kind=decision.kind,
                replaced_at=utcnow(),
                replaced_by=cmd.actor.label,
            )
        )
        decision.text, decision.kind = data["text"], kind
        decision.version += 1
        decision.amended_at = utcnow()
        if kind is not DecisionKind.VOTE:
            decision.tallies.clear()
        db.session.flush()
        cmd.append("decision.amended", {"decision": state.decision_dict(decision)})
        corrected(cmd, {"decision": decision.number, "amended": decision.version})

    return log.run(meeting_id, actor, nonce, body)


def withdraw_decision(
    actor: Actor, meeting_id: int, data: Data, nonce: Any = None
) -> tuple[int, None]:
    """The decision, and every action that follows from it, withdrawn with ``reason``."""

    def body(cmd: Command) -> None:
        _begin(cmd)
        decision = decision_of(cmd, data.get("decision_id"))
        reason = data["reason"]
        _withdraw(cmd, decision, reason)
        cmd.append("decision.withdrawn", {"decision": state.decision_dict(decision)})
        for action in decision.actions:
            if not action.is_withdrawn:
                _withdraw(cmd, action, reason)
                cmd.append("action.withdrawn", {"action": state.action_dict(action)})
        corrected(cmd, {"decision": decision.number, "withdrawn": reason})

    return log.run(meeting_id, actor, nonce, body)


def update_action(actor: Actor, meeting_id: int, data: Data, nonce: Any = None) -> tuple[int, None]:
    """Change what an action says; only the fields sent change (None clears one)."""

    def body(cmd: Command) -> None:
        _begin(cmd)
        action = action_of(cmd, data.get("action_id"))
        if data.get("base_version") != action.version:
            raise Conflict(
                _l(
                    "Tindak lanjut ini sudah diubah orang lain (versi %(v)s); "
                    "muat ulang lalu ubah lagi.",
                    v=action.version,
                )
            )
        before = history.snapshot(action)
        if "decision_id" in data:
            action.decision = decision_of(cmd, data["decision_id"])
        if "organization_id" in data:
            action.organization = organization_of(data["organization_id"])
        if "person_id" in data:
            action.person = person_of(data["person_id"])
        for name in ("title", "locus", "due_on"):
            if name in data:
                setattr(action, name, data[name])
        action.version += 1
        db.session.flush()  # the relationships set above reach their id columns
        history.record_fields(cmd.actor, action, before)  # the tracker's history shows it
        cmd.append("action.updated", {"action": state.action_dict(action)})
        corrected(cmd, {"action": action.id, "updated": action.version})

    return log.run(meeting_id, actor, nonce, body)


def withdraw_action(
    actor: Actor, meeting_id: int, data: Data, nonce: Any = None
) -> tuple[int, None]:
    def body(cmd: Command) -> None:
        _begin(cmd)
        action = action_of(cmd, data.get("action_id"))
        _withdraw(cmd, action, data["reason"])
        cmd.append("action.withdrawn", {"action": state.action_dict(action)})
        corrected(cmd, {"action": action.id, "withdrawn": data["reason"]})

    return log.run(meeting_id, actor, nonce, body)
