"""A follow-up action: what an agency (OPD) owes after a decision, where and by when."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum
from meetcoord.extensions import db
from meetcoord.live.models import Withdrawable

if TYPE_CHECKING:
    from meetcoord.directory.models import Organization, Person
    from meetcoord.live.models import Decision


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Action(Withdrawable, TimestampMixin, db.Model):
    """Corrected in the live room (``live.corrections``): ``version`` refuses a stale edit."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    locus: Mapped[str | None] = mapped_column(String(200))  # e.g. a village (desa)
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, 20), default=ActionStatus.OPEN
    )
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    decision: Mapped[Decision | None] = relationship(back_populates="actions")
    organization: Mapped[Organization] = relationship()
    person: Mapped[Person | None] = relationship()
