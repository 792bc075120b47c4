"""Public registration of a meeting: its settings and the people who registered.

Off by default: a meeting has no settings row until the secretariat opens registration.
The public page is found by a random ``slug`` (never the meeting's id), kept when
registration is closed so that an address already shared comes back when it reopens.

A :class:`Registration` is what a visitor typed, not a person: registrants enter the
directory (``people``) only when the secretariat accepts them, so a bot or a typo never
reaches the directory. One registration per (meeting, e-mail): registering again updates it.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingSite


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # waits for the secretariat (holds a seat)
    ACCEPTED = "accepted"  # in the directory, invited (holds a seat)
    WAITLISTED = "waitlisted"  # over capacity: moves up when a seat frees
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Who holds one of the ``capacity`` seats.
SEATED = (RegistrationStatus.PENDING, RegistrationStatus.ACCEPTED)

# The fixed set of fields an institution may ask, in the form's order. Name and e-mail are
# always asked and always required; "disability" asks the flag and the access needs.
FIELDS: tuple[str, ...] = (
    "name",
    "email",
    "position",
    "organization",
    "region",
    "phone",
    "gender",
    "category",
    "disability",
)
ALWAYS = ("name", "email")
OPTIONAL_FIELDS = tuple(f for f in FIELDS if f not in ALWAYS)


class FieldRule(enum.StrEnum):
    OFF = "off"
    OPTIONAL = "optional"
    REQUIRED = "required"


def new_slug() -> str:
    """22 URL-safe characters (128 random bits): registration pages cannot be enumerated."""
    return secrets.token_urlsafe(16)


def default_fields() -> dict[str, str]:
    return {"position": "optional", "organization": "optional", "region": "required"}


class RegistrationSettings(db.Model):
    __tablename__ = "registration_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    slug: Mapped[str] = mapped_column(String(32), unique=True, default=new_slug)
    enabled_at: Mapped[datetime | None]
    # Whose decision the public's registrations act under (auto-accept invites as them).
    enabled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    disabled_at: Mapped[datetime | None]
    opens_at: Mapped[datetime | None]  # None: from the moment it is turned on
    closes_at: Mapped[datetime | None]  # None: until the meeting starts
    capacity: Mapped[int | None]  # None: no limit
    auto_accept: Mapped[bool] = mapped_column(default=False)
    # field name → "optional" | "required" (absent or "off": not asked)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=default_fields)
    # Where accepted registrants are invited; None: online.
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_sites.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()
    site: Mapped[MeetingSite | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "capacity IS NULL OR (capacity >= 1 AND capacity <= 1000000)",
            name="capacity_range",
        ),
    )

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None and self.disabled_at is None

    def rule(self, field: str) -> FieldRule:
        if field in ALWAYS:
            return FieldRule.REQUIRED
        try:
            return FieldRule((self.fields or {}).get(field, "off"))
        except ValueError:
            return FieldRule.OFF

    def asked(self) -> list[str]:
        return [f for f in FIELDS if self.rule(f) is not FieldRule.OFF]


class Registration(TimestampMixin, db.Model):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))  # normalised, lower case
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    organization: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, 10))
    category: Mapped[StakeholderCategory | None] = mapped_column(str_enum(StakeholderCategory))
    has_disability: Mapped[bool] = mapped_column(default=False)
    access_needs: Mapped[str | None] = mapped_column(Text)
    zone: Mapped[str | None] = mapped_column(String(64))  # the browser's, as detected
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, 20), default=RegistrationStatus.PENDING, index=True
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    matched_by: Mapped[str | None] = mapped_column(String(10))  # email | name | new

    meeting: Mapped[Meeting] = relationship()
    person: Mapped[Person | None] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "email"),)
