"""The reminder tables: one row per reminder sent, and who asked for none.

:class:`Reminder`'s unique key ``(kind, ref_type, ref_id, occasion)`` is what makes the
sender idempotent: the row and its outbox message are committed together, so a second run
(or a second worker racing the first) fails on the key and sends nothing. ``occasion`` says
which occurrence the reminder is for — a meeting's start instant, so a rescheduled meeting
is reminded again at its new time, or a date bucket for digests that repeat.

The references are generic (``ref_type``/``ref_id``, as the outbox has) so that other
reminder kinds (follow-up actions) share the table and the mute without a new key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetcoord.core.db import utcnow
from meetcoord.extensions import db


class Reminder(db.Model):
    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. meeting_day_before, meeting_morning
    # The person reminded; None for a reminder to a group (the forum's secretariat summary).
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    ref_type: Mapped[str] = mapped_column(String(40))  # e.g. invitation
    ref_id: Mapped[int]
    occasion: Mapped[str] = mapped_column(String(40))  # the meeting's start (UTC ISO) or a date
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "ref_type", "ref_id", "occasion"),)


class ReminderMute(db.Model):
    """A person who asked (from a reminder mail) to get no more reminders."""

    __tablename__ = "reminder_mutes"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    muted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSettings(db.Model):
    """How an institution wants its follow-up actions reminded; no row means the defaults
    (``reminders.settings.DEFAULTS``), so an institution never has to be set up first."""

    __tablename__ = "reminder_settings"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    days_before: Mapped[int] = mapped_column(default=3)  # 0: no reminder before the due date
    overdue_every_days: Mapped[int] = mapped_column(default=7)
    forum_summary: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("days_before >= 0 AND days_before <= 30", name="days_before_range"),
        CheckConstraint(
            "overdue_every_days >= 1 AND overdue_every_days <= 30", name="overdue_every_range"
        ),
    )
