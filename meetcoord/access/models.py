"""Institutions (penyelenggara) and the staff who belong to them.

A province runs one installation for its own Bappeda, its districts' Bappeda and forums;
each signs its own letters, from its own letterhead, with its own numbering. So the
letterhead, the sender name and the letter-number pattern are columns of an institution,
and the ``MEETCOORD_INSTITUTION_*`` settings are only what the first one starts from.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User


class MemberRole(enum.StrEnum):
    """A staff member's role in one institution (they may hold another elsewhere)."""

    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    VIEWER = "viewer"


# The roles that may create and run an institution's meetings, series, forums, documents.
WORKING_ROLES = (MemberRole.ADMIN, MemberRole.SECRETARIAT)


class Institution(TimestampMixin, db.Model):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # the letterhead's first line
    short_name: Mapped[str | None] = mapped_column(String(60))  # "Bappeda SBD"
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))  # place of issue: "Tambolaka"
    logo_path: Mapped[str | None] = mapped_column(String(500))  # a PNG or JPEG on the server
    mail_sender_name: Mapped[str | None] = mapped_column(String(200))  # From: display name
    letter_number_pattern: Mapped[str] = mapped_column(String(120))
    letter_signer_name: Mapped[str | None] = mapped_column(String(200))
    letter_signer_position: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )  # the same body in the shared directory, when it is there (no relationship: the
    # directory is a feature above this layer)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="institution",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Membership.id",
    )

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def sender_name(self) -> str:
        return self.mail_sender_name or self.name


class Membership(TimestampMixin, db.Model):
    __tablename__ = "institution_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, 20))

    user: Mapped[User] = relationship()
    institution: Mapped[Institution] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("user_id", "institution_id"),)
