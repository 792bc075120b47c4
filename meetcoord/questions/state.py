"""Questions as data: what the room sees, what the moderator sees.

Two shapes, so that nothing private can slip into an event by accident:

- :func:`public_dict` is what goes to the whole room (events, snapshot): only for a
  question the moderator approved, and without the asker's name or invitation when it
  is anonymous (``asker`` is None and the pages print their own neutral label);
- :func:`moderator_dict` adds the asker always, and the text of a pending question; it
  is sent only to moderators (staff REST read, the moderation page) and to the asker in
  the answer to their own command.

A pending, hidden or merged question reaches the room only as :func:`stub` (its id, item
and status), so the room's lists stay in step without the text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from meetcoord.extensions import db
from meetcoord.live import chain
from meetcoord.questions.models import VISIBLE, Question, QuestionVote


def _ts(moment: Any) -> str | None:
    return chain.timestamp(moment) if moment is not None else None


def asker_name(question: Question) -> str:
    inv = question.invitation
    return str(inv.stand_in_name or inv.person.name)


def asker_organization(question: Question) -> str | None:
    org = question.invitation.person.organization
    return org.name if org is not None else None


def voters(question: Question) -> list[int]:
    return list(
        db.session.scalars(
            select(QuestionVote.invitation_id)
            .where(QuestionVote.question_id == question.id)
            .order_by(QuestionVote.id)
        )
    )


def stub(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "agenda_item_id": question.agenda_item_id,
        "status": question.status.value,
        "merged_into_id": question.merged_into_id,
    }


def public_dict(question: Question) -> dict[str, Any]:
    """The room's view: only for a visible question (else its :func:`stub`)."""
    if question.status not in VISIBLE:
        return stub(question)
    return {
        **stub(question),
        "text": question.text,
        "anonymous": question.anonymous,
        "asker": None if question.anonymous else asker_name(question),
        "organization": None if question.anonymous else asker_organization(question),
        "votes": question.votes,
        "voters": voters(question),
        "answer_note": question.answer_note,
        "picked_at": _ts(question.picked_at),
        "answered_at": _ts(question.answered_at),
    }


def moderator_dict(question: Question) -> dict[str, Any]:
    """Everything, for moderators and for the asker's own question."""
    return {
        **stub(question),
        "text": question.text,
        "anonymous": question.anonymous,
        "asker": asker_name(question),
        "organization": asker_organization(question),
        "invitation_id": question.invitation_id,
        "votes": question.votes,
        "voters": voters(question),
        "answer_note": question.answer_note,
        "asked_at": _ts(question.asked_at),
        "moderated_by": question.moderated_by,
        "picked_at": _ts(question.picked_at),
        "answered_at": _ts(question.answered_at),
    }


def meeting_questions(meeting_id: int, statuses: Any = None) -> list[Question]:
    query = select(Question).where(Question.meeting_id == meeting_id)
    if statuses is not None:
        query = query.where(Question.status.in_(list(statuses)))
    return list(db.session.scalars(query.order_by(Question.asked_at, Question.id)))


def room_list(meeting_id: int) -> list[dict[str, Any]]:
    """The snapshot's ``questions``: the visible ones only."""
    return [public_dict(q) for q in meeting_questions(meeting_id, VISIBLE)]
