"""Moderated questions, live (issue 15, point 4): ask, vote, moderate, pick, answer.

Each command runs through ``live.log.run`` like the matrix's (lock the room → a repeated
nonce answers the first ack → change and append → commit → publish), so the socket
command and its REST twin share one nonce space and a replay changes nothing.

**Who sees what.** The event log is broadcast to the whole meeting room and replayed to
every late client, so an event may only carry what every participant may read:

- ``question.asked`` carries a stub (id, item, ``pending``) and never the text; for an
  anonymous question even the event's actor is the neutral ``ANONYMOUS_ACTOR``, so that
  no participant can link the later approved question to its asker through the log. The
  asker gets their question's id in the ack; the full question (name always, pending
  text) reaches only moderators, through the staff-only read (``questions.api`` and the
  moderation page's JSON), reloaded when a ``question.*`` event arrives.
- Approved, picked and answered questions travel as ``state.public_dict``: the asker's
  name and organization only when the question is not anonymous.
- Hidden and merged ones travel as stubs again (the room drops them from its list).

The staff room is *not* used for pending questions: site coordinators and the minute-taker
sit there too, and they are not moderators.

Asking is rate-limited per invitation (``QUESTIONS_RATE_LIMIT``), on top of the room's
budget for every command (``live.throttle``), and counted inside the command, so a
replayed nonce costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import (
    Conflict,
    PermissionDenied,
    ServiceError,
    ValidationError,
    field_errors,
)
from meetcoord.extensions import db, limiter
from meetcoord.live import log
from meetcoord.live.guards import require_running
from meetcoord.live.log import Command
from meetcoord.meetings.models import AgendaItem
from meetcoord.questions import state
from meetcoord.questions.models import Question, QuestionStatus, QuestionVote

ASK_PERMISSION = Permission.LIVE_SPEAK  # anyone invited (the service wants an invitation)
MODERATE_PERMISSION = Permission.LIVE_RUN  # the chair and the secretariat
ANONYMOUS_ACTOR = "Anonim"  # the event log's actor of an anonymous question
MODERATIONS = ("approve", "hide", "merge")
# The audit summary is stored text, read by an Indonesian secretariat: words, not codes.
MODERATION_WORDS = {"approve": "disetujui", "hide": "disembunyikan", "merge": "digabungkan"}

NOT_FOUND = _l("Pertanyaan tidak ditemukan.")
ONLY_INVITEES = _l("Hanya peserta undangan rapat yang dapat bertanya dan mendukung pertanyaan.")


class TooManyQuestions(ServiceError):
    status = 429
    code = "rate_limited"


@cache
def _limits(spec: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(spec))


def _count_question(invitation_id: int) -> None:
    """Count one question of this invitation; refuse when over its budget."""
    if not limiter.enabled:
        return
    deployment = current_app.config["DEPLOYMENT_ID"]
    items = _limits(current_app.config["QUESTIONS_RATE_LIMIT"])
    try:
        ok = all(
            limiter.limiter.hit(item, "questions", deployment, invitation_id) for item in items
        )
    except Exception:  # the storage is away for a moment: a meeting must not stop
        current_app.logger.warning("questions: rate-limit storage unavailable", exc_info=True)
        return
    if not ok:
        raise TooManyQuestions(
            _l("Terlalu banyak pertanyaan dalam waktu singkat; tunggu sebentar lalu kirim lagi.")
        )


def _question(cmd: Command, question_id: Any, field: str = "question_id") -> Question:
    found = db.session.get(Question, question_id) if question_id is not None else None
    if found is None or found.meeting_id != cmd.meeting.id:
        raise ValidationError(NOT_FOUND, errors=field_errors(**{field: NOT_FOUND}))
    return found


def _invitation(cmd: Command) -> Any:
    inv = cmd.actor.invitation
    if inv is None or inv.meeting_id != cmd.meeting.id or inv.withdrawn_at is not None:
        raise PermissionDenied(ONLY_INVITEES)
    return inv


def _item(cmd: Command, item_id: Any) -> AgendaItem:
    if item_id is None:
        item_id = cmd.room.current_item_id
        if item_id is None:
            message = _l("Belum ada mata acara yang berjalan; pilih mata acaranya.")
            raise ValidationError(message, errors=field_errors(agenda_item_id=message))
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != cmd.meeting.id:
        message = _l("Mata acara tidak ada dalam rapat ini.")
        raise ValidationError(message, errors=field_errors(agenda_item_id=message))
    return item


def _audit(cmd: Command, action: str, question: Question, summary: str) -> None:
    """Staff actions leave an audit row (the event log holds the chair's)."""
    if cmd.actor.account is not None:
        audit.record(cmd.actor.account, action, question, summary)


def _emit(cmd: Command, type_: str, *questions: Question, actor: str | None = None) -> None:
    db.session.flush()
    data = {"questions": [state.public_dict(q) for q in questions]}
    cmd.append(type_, data, actor=actor)


# --- the participant's commands ------------------------------------------------------------


def ask_question(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, int | None]:
    """A question on the current (or the chosen) item; returns (seq, the question's id)."""

    def body(cmd: Command) -> int:
        inv = _invitation(cmd)
        require_running(cmd)
        item = _item(cmd, data.get("agenda_item_id"))
        _count_question(inv.id)
        question = Question(
            meeting_id=cmd.meeting.id,
            agenda_item_id=item.id,
            invitation_id=inv.id,
            text=data["text"],
            anonymous=bool(data.get("anonymous")),
            status=QuestionStatus.PENDING,
            asked_at=utcnow(),
        )
        db.session.add(question)
        _emit(
            cmd, "question.asked", question, actor=ANONYMOUS_ACTOR if question.anonymous else None
        )
        return question.id

    return log.run(meeting_id, actor, nonce, body)


def vote_question(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Support an approved question (``up``), or withdraw one's support; one per person."""

    def body(cmd: Command) -> None:
        inv = _invitation(cmd)
        require_running(cmd)
        question = _question(cmd, data.get("question_id"))
        if question.status not in (QuestionStatus.APPROVED, QuestionStatus.PICKED):
            raise Conflict(_l("Pertanyaan ini tidak terbuka untuk dukungan."))
        if question.invitation_id == inv.id:
            raise Conflict(_l("Anda tidak dapat mendukung pertanyaan Anda sendiri."))
        vote = db.session.scalar(
            select(QuestionVote).where(
                QuestionVote.question_id == question.id, QuestionVote.invitation_id == inv.id
            )
        )
        if data.get("up", True):
            if vote is not None:
                raise Conflict(_l("Anda sudah mendukung pertanyaan ini."))
            db.session.add(QuestionVote(question_id=question.id, invitation_id=inv.id))
            question.votes += 1
        else:
            if vote is None:
                raise Conflict(_l("Anda belum mendukung pertanyaan ini."))
            db.session.delete(vote)
            question.votes -= 1
        _emit(cmd, "question.voted", question)

    return log.run(meeting_id, actor, nonce, body)


# --- the moderator's and the chair's ---------------------------------------------------------


def _merge(cmd: Command, source: Question, target_id: Any) -> Question:
    target = _question(cmd, target_id, "into_id")
    if target.id == source.id:
        message = _l("Pilih pertanyaan lain untuk digabungkan.")
        raise ValidationError(message, errors=field_errors(into_id=message))
    if target.status not in (QuestionStatus.APPROVED, QuestionStatus.PICKED):
        message = _l("Gabungkan ke pertanyaan yang sudah disetujui.")
        raise ValidationError(message, errors=field_errors(into_id=message))
    # The votes move over; a person who supported both counts once.
    have = set(
        db.session.scalars(
            select(QuestionVote.invitation_id).where(QuestionVote.question_id == target.id)
        )
    )
    for vote in db.session.scalars(
        select(QuestionVote).where(QuestionVote.question_id == source.id)
    ).all():
        if vote.invitation_id in have:
            db.session.delete(vote)
        else:
            vote.question_id = target.id
            have.add(vote.invitation_id)
    target.votes = len(have)
    source.votes = 0
    source.status = QuestionStatus.MERGED
    source.merged_into_id = target.id
    return target


def moderate_question(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Approve (shown to the room), hide, or merge into another question (votes summed)."""

    def body(cmd: Command) -> None:
        cmd.actor.require(MODERATE_PERMISSION)
        require_running(cmd)
        question = _question(cmd, data.get("question_id"))
        action = data["action"]
        if question.status in (QuestionStatus.ANSWERED, QuestionStatus.MERGED):
            raise Conflict(_l("Pertanyaan ini sudah dijawab atau digabungkan."))
        changed = [question]
        if action == "approve":
            if question.status not in (QuestionStatus.PENDING, QuestionStatus.HIDDEN):
                raise Conflict(_l("Pertanyaan ini sudah disetujui."))
            question.status = QuestionStatus.APPROVED
        elif action == "hide":
            if question.status is QuestionStatus.HIDDEN:
                raise Conflict(_l("Pertanyaan ini sudah disembunyikan."))
            question.status = QuestionStatus.HIDDEN
        else:
            changed.append(_merge(cmd, question, data.get("into_id")))
        question.moderated_at = utcnow()
        question.moderated_by = cmd.actor.label
        done = MODERATION_WORDS.get(action, action)
        _audit(cmd, f"question.{action}", question, f"Pertanyaan {question.id}: {done}")
        _emit(cmd, "question.moderated", *changed)

    return log.run(meeting_id, actor, nonce, body)


def pick_question(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """The chair picks the question to answer now; the one picked before goes back."""

    def body(cmd: Command) -> None:
        cmd.actor.require(MODERATE_PERMISSION)
        require_running(cmd)
        question = _question(cmd, data.get("question_id"))
        if question.status is not QuestionStatus.APPROVED:
            raise Conflict(_l("Hanya pertanyaan yang disetujui dan belum dijawab dapat dipilih."))
        before = state.meeting_questions(cmd.meeting.id, [QuestionStatus.PICKED])
        for old in before:
            old.status = QuestionStatus.APPROVED
            old.picked_at = None
        question.status = QuestionStatus.PICKED
        question.picked_at = utcnow()
        _audit(cmd, "question.pick", question, f"Pertanyaan {question.id}: dipilih")
        _emit(cmd, "question.picked", *before, question)

    return log.run(meeting_id, actor, nonce, body)


def answer_question(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Mark a question answered, with an optional short note; it goes into the minutes."""

    def body(cmd: Command) -> None:
        cmd.actor.require(MODERATE_PERMISSION)
        require_running(cmd)
        question = _question(cmd, data.get("question_id"))
        if question.status not in (QuestionStatus.PICKED, QuestionStatus.APPROVED):
            raise Conflict(_l("Hanya pertanyaan yang disetujui dapat ditandai terjawab."))
        question.status = QuestionStatus.ANSWERED
        question.answer_note = data.get("note") or None
        question.answered_at = utcnow()
        question.picked_at = None
        _audit(cmd, "question.answer", question, f"Pertanyaan {question.id}: dijawab")
        _emit(cmd, "question.answered", question)

    return log.run(meeting_id, actor, nonce, body)
