"""Attendance tables.

One attendance per (meeting, person), enforced by the database: two desks scanning the same
credential at the same moment produce one row and one "already checked in". Every check-in
request carries a client nonce; the first answer is stored under it and a retry gets that
same answer back, so a desk that lost the response to a dropped connection can simply send
again.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User
    from meetcoord.directory.models import Person
    from meetcoord.meetings.models import Invitation, Meeting, MeetingSite


class CheckinMethod(enum.StrEnum):
    KIOSK = "kiosk"  # scanned the kiosk QR with the personal link in the browser
    KIOSK_CONFIRMED = "kiosk_confirmed"  # scanned the kiosk QR, found themselves, 2nd factor
    DESK = "desk"  # a coordinator scanned the personal credential
    DESK_OFFLINE = "desk_offline"  # … while the desk was offline, uploaded later
    MANUAL = "manual"  # a coordinator or the secretariat ticked the name
    ONLINE = "online"  # followed the online link from the personal page
    WALK_IN = "walk_in"  # not invited; registered at the site
    LIVE_VIEW = "live_view"  # an online participant opened the live view (issue 15)
    PLATFORM = "platform"  # imported from a video platform's participant report


class Attendance(db.Model):
    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(  # NULL: attended online
        ForeignKey("meeting_sites.id", ondelete="RESTRICT"), index=True
    )
    method: Mapped[CheckinMethod] = mapped_column(str_enum(CheckinMethod, 20))
    checked_in_at: Mapped[datetime]  # when the scan happened (a desk's clock when offline)
    checked_out_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the server got it
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    is_walk_in: Mapped[bool] = mapped_column(default=False)
    walk_in_organization: Mapped[str | None] = mapped_column(String(200))
    stand_in_name: Mapped[str | None] = mapped_column(String(200))  # diwakili oleh
    stand_in_position: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship()
    person: Mapped[Person] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    site: Mapped[MeetingSite | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)


class CheckinNonce(db.Model):
    """The first answer to a check-in request, returned again for a retry with its nonce."""

    __tablename__ = "checkin_nonces"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("meeting_id", "nonce"),)


class CheckinConflict(db.Model):
    """A person scanned at two sites: the earliest scan won; the other is kept for review."""

    __tablename__ = "checkin_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendances.id", ondelete="CASCADE"), index=True
    )
    other_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_sites.id", ondelete="RESTRICT"), index=True
    )
    other_scanned_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()
    attendance: Mapped[Attendance] = relationship()
    other_site: Mapped[MeetingSite | None] = relationship()
