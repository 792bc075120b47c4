"""Answered questions of a meeting, for the minutes and the event report (issue 15).

Plain dicts in agenda order, then in the order they were answered; the asker is named
(with their organization) unless they asked anonymously, in which case the neutral label
of the reader's language stands in (the minutes are Indonesian and pass their own).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaItem, Invitation
from meetcoord.questions.models import Question, QuestionStatus
from meetcoord.questions.state import asker_name, asker_organization


def asker_label(question: Question, anonymous_label: str | None = None) -> str:
    """ "Name (Organization)", or the neutral label for an anonymous question."""
    if question.anonymous:
        return anonymous_label if anonymous_label is not None else _("Anonim")
    name, organization = asker_name(question), asker_organization(question)
    return f"{name} ({organization})" if organization else name


def answered_for_meeting(
    meeting_id: int, anonymous_label: str | None = None
) -> list[dict[str, Any]]:
    """Each answered question: agenda_item_id, item_title, item_position, text, asker
    (a label), votes, answer_note, answered_at (an aware UTC datetime)."""
    rows = db.session.execute(
        select(Question, AgendaItem)
        .join(AgendaItem, Question.agenda_item_id == AgendaItem.id)
        .where(Question.meeting_id == meeting_id, Question.status == QuestionStatus.ANSWERED)
        .options(selectinload(Question.invitation).selectinload(Invitation.person))
        .order_by(AgendaItem.position, Question.answered_at, Question.id)
    ).all()
    return [
        {
            "agenda_item_id": item.id,
            "item_title": item.title,
            "item_position": item.position,
            "text": question.text,
            "asker": asker_label(question, anonymous_label),
            "votes": question.votes,
            "answer_note": question.answer_note,
            "answered_at": question.answered_at,
        }
        for question, item in rows
    ]
