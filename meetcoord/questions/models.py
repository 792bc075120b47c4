"""A participant's question on an agenda item, and the votes it gathers.

The asker is always stored (the moderator sees who asked, anonymous or not); ``anonymous``
only keeps the name from the other participants. ``votes`` is the count of ``QuestionVote``
rows, kept on the question so that an event carries it without a count query; one vote per
invitation and question (a unique constraint, so two phones of one person cannot double it).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.meetings.models import AgendaItem, Invitation

TEXT_MAX = 500
ANSWER_MAX = 1000


class QuestionStatus(enum.StrEnum):
    PENDING = "pending"  # sent, not yet seen by the moderator: the asker and moderators only
    APPROVED = "approved"  # shown to the room, open to votes
    PICKED = "picked"  # the chair's choice, on the projector (one at a time per meeting)
    ANSWERED = "answered"  # done; goes into the minutes
    HIDDEN = "hidden"  # refused by the moderator
    MERGED = "merged"  # folded into another question (``merged_into_id``)


# Seen by every participant (the room): the rest stays with the asker and the moderators.
VISIBLE = (QuestionStatus.APPROVED, QuestionStatus.PICKED, QuestionStatus.ANSWERED)


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[QuestionStatus] = mapped_column(
        str_enum(QuestionStatus, 20), default=QuestionStatus.PENDING
    )
    votes: Mapped[int] = mapped_column(default=0)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    answer_note: Mapped[str | None] = mapped_column(String(ANSWER_MAX))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    moderated_at: Mapped[datetime | None]
    moderated_by: Mapped[str | None] = mapped_column(String(200))
    picked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]

    invitation: Mapped[Invitation] = relationship()
    agenda_item: Mapped[AgendaItem] = relationship()


class QuestionVote(db.Model):
    __tablename__ = "question_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("question_id", "invitation_id"),)
