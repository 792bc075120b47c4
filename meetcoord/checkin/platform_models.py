"""A video platform's participant report, imported into a meeting's attendance.

An upload is kept as a draft (its participants and what each would become) until the
secretariat has seen the preview and confirms; only then are attendances written. The
participants nobody could be matched to stay on the import for the secretariat to match
by hand or dismiss, so an online guest who typed a nickname is not silently lost.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User
    from meetcoord.checkin.models import Attendance
    from meetcoord.meetings.models import Invitation


class ImportState(enum.StrEnum):
    DRAFT = "draft"  # uploaded, previewed, nothing written yet
    CONFIRMED = "confirmed"


class Outcome(enum.StrEnum):
    MATCHED = "matched"  # (to be) recorded as an online attendance
    ALREADY = "already"  # the invitee was already present (at a site or online)
    UNMATCHED = "unmatched"  # no invitation found: waits for the secretariat
    AMBIGUOUS = "ambiguous"  # the name fits several invitations: waits too
    MANUAL = "manual"  # matched by hand afterwards
    DISMISSED = "dismissed"  # not one of ours (a technician, a guest): set aside

    @property
    def waiting(self) -> bool:
        return self in (Outcome.UNMATCHED, Outcome.AMBIGUOUS)


class PlatformImport(db.Model):
    __tablename__ = "platform_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ImportState] = mapped_column(str_enum(ImportState, 12))
    platform: Mapped[str] = mapped_column(String(10))  # zoom, teams, meet, csv
    zone: Mapped[str] = mapped_column(String(64))  # the zone the report's times were read in
    filename: Mapped[str | None] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(default=0)  # lines of the file (rejoins included)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    confirmed_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
    participants: Mapped[list[PlatformParticipant]] = relationship(
        back_populates="platform_import",
        order_by="PlatformParticipant.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class PlatformParticipant(db.Model):
    """One person of a report (their rejoins merged) and what became of them."""

    __tablename__ = "platform_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("platform_imports.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    minutes: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 12))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    attendance_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendances.id", ondelete="SET NULL"), index=True
    )
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    platform_import: Mapped[PlatformImport] = relationship(back_populates="participants")
    invitation: Mapped[Invitation | None] = relationship()
    attendance: Mapped[Attendance | None] = relationship()
