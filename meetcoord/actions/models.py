"""A follow-up action: what an agency (OPD) owes after a decision, where and by when.

After the meeting an action moves through :class:`ActionStatus` (``actions.workflow``);
every change, and every progress note with its evidence files, is one
:class:`ActionUpdate` row, so the history of an action is read from one table.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.extensions import db
from meetcoord.live.models import Withdrawable

if TYPE_CHECKING:
    from meetcoord.accounts.models import User
    from meetcoord.directory.models import Organization, Person
    from meetcoord.live.models import Decision
    from meetcoord.meetings.models import Invitation, Meeting


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"  # the secretariat checked the work (final)
    DROPPED = "dropped"  # given up, with a reason (final)


class UpdateKind(enum.StrEnum):
    """What one history row records."""

    PROGRESS = "progress"  # a note, a percentage or milestone, evidence; maybe a status
    STATUS = "status"  # a status change alone (verify, drop)
    DUE = "due"  # the due date moved, with a reason
    FIELDS = "fields"  # corrected in the live room (wording, agency, person, locus, date)


class Action(Withdrawable, TimestampMixin, db.Model):
    """Corrected in the live room (``live.corrections``): ``version`` refuses a stale edit."""

    __tablename__ = "actions"
    # The tracker's filters are an agency or a meeting (a forum's or a series' meetings),
    # with a status and a due window (overdue: open or in progress, due before today):
    # these reach the matching rows without walking every action of a status.
    __table_args__ = (
        Index("ix_actions_organization_status_due", "organization_id", "status", "due_on"),
        Index("ix_actions_meeting_status_due", "meeting_id", "status", "due_on"),
    )

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
    due_on: Mapped[date | None] = mapped_column(index=True)
    # The due date the meeting agreed, kept when the tracker first moves it.
    original_due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, 20), default=ActionStatus.OPEN, index=True
    )
    closed_at: Mapped[datetime | None]  # when it became verified or dropped
    version: Mapped[int] = mapped_column(default=1)

    decision: Mapped[Decision | None] = relationship(back_populates="actions")
    organization: Mapped[Organization] = relationship()
    person: Mapped[Person | None] = relationship()
    meeting: Mapped[Meeting] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action",
        order_by="ActionUpdate.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # Every evidence file of every update, for reading (rows are written with their update).
    evidence: Mapped[list[ActionEvidence]] = relationship(
        order_by="ActionEvidence.id", viewonly=True
    )

    @property
    def is_final(self) -> bool:
        return self.status in (ActionStatus.VERIFIED, ActionStatus.DROPPED)


class ActionUpdate(db.Model):
    """One entry of an action's history: who did what, when (UTC), and what it changed.

    ``changes`` maps each changed field to ``[old, new]`` (dates as ISO text), so a status
    change, a moved due date and a progress note are read the same way.
    """

    __tablename__ = "action_updates"
    __table_args__ = (
        CheckConstraint(
            "percentage IS NULL OR (percentage >= 0 AND percentage <= 100)",
            name="percentage_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[UpdateKind] = mapped_column(str_enum(UpdateKind, 20))
    note: Mapped[str | None] = mapped_column(Text)
    percentage: Mapped[int | None]
    milestone: Mapped[str | None] = mapped_column(String(200))
    status_before: Mapped[str | None] = mapped_column(String(20))
    status_after: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    # The standing agency link (``/a/<token>``) it came through, if any; ``by_label``
    # keeps its label should the link be deleted.
    agency_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency_links.id", ondelete="SET NULL"), index=True
    )
    by_label: Mapped[str] = mapped_column(String(200))  # kept if the account goes
    # The meeting whose action review this update was made in (``actions.carryover``):
    # its minutes print the change; None for an update made outside a meeting.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    user: Mapped[User | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    agency_link: Mapped[AgencyLink | None] = relationship()
    evidence: Mapped[list[ActionEvidence]] = relationship(
        back_populates="update",
        order_by="ActionEvidence.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ActionEvidence(db.Model):
    """A file sent with an update, stored under the instance folder by ``storage_key``."""

    __tablename__ = "action_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("action_updates.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    update: Mapped[ActionUpdate] = relationship(back_populates="evidence")


class AgencyLink(db.Model):
    """A standing link for an agency's head of office: every action of the agency.

    A bearer credential like an API token: only the SHA-256 of the token is kept
    (``core.tokens``), the token itself is shown once when issued; revoking sets
    ``revoked_at`` and the link answers 404 from then on.
    """

    __tablename__ = "agency_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def update_count(self) -> int:
        """How many history rows came through this link (one indexed count, asked only
        where a link is shown to staff: a link used by nobody may be revoked)."""
        if self.id is None:
            return 0
        return int(
            db.session.scalar(
                select(func.count(ActionUpdate.id)).where(ActionUpdate.agency_link_id == self.id)
            )
            or 0
        )
