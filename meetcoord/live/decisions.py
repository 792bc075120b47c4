"""Recording the meeting: decisions with per-site votes, notes per item, follow-up actions.

A decision's amendment keeps the earlier wording (``DecisionRevision``); notes carry a
version and an edit made on a stale version is refused with the current text, so two
minute-takers never silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from meetcoord.actions.models import Action
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, ValidationError, field_errors
from meetcoord.directory.models import Organization, Person
from meetcoord.extensions import db
from meetcoord.live import log, state
from meetcoord.live.actors import LiveActor, Power
from meetcoord.live.log import Command
from meetcoord.live.models import (
    Decision,
    DecisionKind,
    DecisionRevision,
    DecisionTally,
    ItemNote,
)
from meetcoord.live.services import item_of, require_running, whole_number
from meetcoord.meetings.models import MeetingSite

TEXT_MAX = 5000
NOTES_MAX = 50_000
VOTES_MAX = 100_000


def _invalid(field: str, message: Any) -> ValidationError:
    return ValidationError(message, errors=field_errors(**{field: message}))


def _text(data: Mapping[str, Any], field: str = "text", limit: int = TEXT_MAX) -> str:
    text = str(data.get(field) or "").strip()
    if not text:
        raise _invalid(field, _l("Teks wajib diisi."))
    if len(text) > limit:
        raise _invalid(field, _l("Teks terlalu panjang (paling banyak %(n)s karakter).", n=limit))
    return text


def _kind(data: Mapping[str, Any]) -> DecisionKind:
    try:
        return DecisionKind(str(data.get("kind") or DecisionKind.CONSENSUS.value))
    except ValueError:
        raise _invalid("kind", _l("Jenis kesepakatan tidak dikenal.")) from None


def _decision(cmd: Command, decision_id: Any) -> Decision:
    wanted = whole_number(decision_id)
    decision = db.session.get(Decision, wanted) if wanted is not None else None
    if decision is None or decision.meeting_id != cmd.meeting.id:
        raise _invalid("decision_id", _l("Kesepakatan tidak ada dalam rapat ini."))
    return decision


def _site(cmd: Command, site_id: Any) -> MeetingSite | None:
    """A site of this meeting, or None for the online participants."""
    if site_id in (None, "", "online"):
        return None
    wanted = whole_number(site_id)
    site = db.session.get(MeetingSite, wanted) if wanted is not None else None
    if site is None or site.meeting_id != cmd.meeting.id:
        raise _invalid("site_id", _l("Lokasi tidak ada dalam rapat ini."))
    return site


def _count(value: Any, field: str) -> int:
    number = 0 if value in (None, "") else whole_number(value)
    if number is None or not 0 <= number <= VOTES_MAX:
        raise _invalid(field, _l("Jumlah suara harus bilangan 0 atau lebih."))
    return number


def _set_tally(cmd: Command, decision: Decision, row: Mapping[str, Any]) -> None:
    site = _site(cmd, row.get("site_id"))
    cmd.actor.require(Power.TALLY, site)
    if decision.kind is not DecisionKind.VOTE:
        raise _invalid(
            "kind", _l("Hanya kesepakatan melalui pemungutan suara yang memiliki suara.")
        )
    counts = {
        "votes_for": _count(row.get("for"), "for"),
        "votes_against": _count(row.get("against"), "against"),
        "abstentions": _count(row.get("abstain"), "abstain"),
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
    actor: LiveActor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """A decision under the current item (or ``item_id``), with tallies for a vote."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Power.RECORD)
        require_running(cmd)
        text, kind = _text(data), _kind(data)
        if data.get("item_id") not in (None, ""):
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
            text=text,
            kind=kind,
            version=1,
            recorded_at=utcnow(),
            recorded_by=cmd.actor.label,
        )
        db.session.add(decision)
        for row in data.get("tallies") or []:
            if not isinstance(row, Mapping):
                raise _invalid("tallies", _l("Format suara tidak sah."))
            _set_tally(cmd, decision, row)
        db.session.flush()
        cmd.append("decision.recorded", {"decision": state.decision_dict(decision)})
        return decision.id

    return log.run(meeting_id, actor, nonce, body)


def amend_decision(
    actor: LiveActor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """New wording for a decision; the old one is kept. ``base_version`` must be current."""

    def body(cmd: Command) -> None:
        cmd.actor.require(Power.RECORD)
        require_running(cmd)
        decision = _decision(cmd, data.get("decision_id"))
        text, kind = _text(data), _kind(data)
        base = whole_number(data.get("base_version"))
        if base is None:
            raise _invalid("base_version", _l("Versi dasar perubahan tidak ada."))
        if base != decision.version:
            raise Conflict(
                _l(
                    "Kesepakatan ini sudah diubah orang lain (versi %(v)s); "
                    "muat ulang lalu ubah lagi.",
                    v=decision.version,
                )
            )
        decision.revisions.append(
            DecisionRevision(
                version=decision.version,
                text=decision.text,
                kind=decision.kind,
                replaced_at=utcnow(),
                replaced_by=cmd.actor.label,
            )
        )
        decision.text, decision.kind = text, kind
        decision.version += 1
        decision.amended_at = utcnow()
        if kind is not DecisionKind.VOTE:
            decision.tallies.clear()
        db.session.flush()
        cmd.append("decision.amended", {"decision": state.decision_dict(decision)})

    return log.run(meeting_id, actor, nonce, body)


def set_tally(
    actor: LiveActor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Votes counted at one site; a coordinator only for their own site."""

    def body(cmd: Command) -> None:
        cmd.actor.require_somewhere(Power.TALLY)
        require_running(cmd)
        decision = _decision(cmd, data.get("decision_id"))
        _set_tally(cmd, decision, data)
        db.session.flush()
        cmd.append("decision.tallied", {"decision": state.decision_dict(decision)})

    return log.run(meeting_id, actor, nonce, body)


def save_notes(
    actor: LiveActor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """The minute-taker's notes on an item, refused when ``base_version`` is stale."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Power.RECORD)
        require_running(cmd)
        item = item_of(cmd, data.get("item_id"))
        text = str(data.get("text") or "")
        if len(text) > NOTES_MAX:
            raise _invalid(
                "text", _l("Catatan terlalu panjang (paling banyak %(n)s karakter).", n=NOTES_MAX)
            )
        note = db.session.get(ItemNote, item.id)
        if note is None:
            note = ItemNote(agenda_item_id=item.id, text="", version=0)
            db.session.add(note)
        base = whole_number(data.get("base_version", 0))
        if base is None:
            raise _invalid("base_version", _l("Versi dasar perubahan tidak ada."))
        if base != note.version:
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


def _due(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _invalid("due_on", _l("Tanggal jatuh tempo tidak sah (TTTT-BB-HH).")) from None


def create_action(
    actor: LiveActor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """A follow-up action from a decision, owed by an agency."""

    def body(cmd: Command) -> int:
        cmd.actor.require(Power.RECORD)
        require_running(cmd)
        decision = _decision(cmd, data.get("decision_id"))
        title = _text(data, "title")
        org_id = whole_number(data.get("organization_id"))
        organization = db.session.get(Organization, org_id) if org_id is not None else None
        if organization is None:
            raise _invalid("organization_id", _l("Pilih instansi (OPD) penanggung jawab."))
        person = None
        if data.get("person_id") not in (None, ""):
            person_id = whole_number(data["person_id"])
            person = db.session.get(Person, person_id) if person_id is not None else None
            if person is None:
                raise _invalid("person_id", _l("Orang tidak dikenal."))
        locus = str(data.get("locus") or "").strip() or None
        if locus and len(locus) > 200:
            raise _invalid("locus", _l("Lokus paling banyak 200 karakter."))
        action = Action(
            meeting_id=cmd.meeting.id,
            decision_id=decision.id,
            title=title,
            organization_id=organization.id,
            person_id=person.id if person else None,
            locus=locus,
            due_on=_due(data.get("due_on")),
        )
        db.session.add(action)
        db.session.flush()
        cmd.append("action.created", {"action": state.action_dict(action)})
        return action.id

    return log.run(meeting_id, actor, nonce, body)
