"""Directory tables.

References between directory rows are ``ON DELETE RESTRICT`` so that the database itself
refuses to orphan anyone; the services check first and explain who still refers to a row.
Forum memberships are owned by their forum and go with it (``CASCADE``).
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from meetcoord.core.cleaning import name_key
from meetcoord.core.db import TimestampMixin, str_enum
from meetcoord.core.timezones import zone_label
from meetcoord.directory.regions import province_of, zone_for_region
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.access.models import Institution


class OrgKind(enum.StrEnum):
    OPD = "opd"
    NGO = "ngo"
    ACADEMIA = "academia"
    RELIGIOUS = "religious"
    COMMUNITY = "community"
    PRIVATE = "private"
    MEDIA = "media"
    NATIONAL = "national"


class OrgLevel(enum.StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    REGENCY = "regency"
    VILLAGE = "village"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class StakeholderCategory(enum.StrEnum):
    """Who a participant speaks for; attendance totals and minutes are broken down by it."""

    GOVERNMENT = "government"
    NGO = "ngo"
    ACADEMIA = "academia"
    RELIGIOUS_LEADER = "religious_leader"
    WOMEN_LEADER = "women_leader"
    YOUTH_LEADER = "youth_leader"
    COMMUNITY_LEADER = "community_leader"
    PRIVATE_SECTOR = "private_sector"
    MEDIA = "media"
    FACILITATOR = "facilitator"


class ForumRole(enum.StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"
    MEMBER = "member"


NAME_KEY_LENGTH = 400  # a name of 200 characters, after NFKC and case folding


class NamedMixin:
    """A unique name, compared as :func:`name_key` folds it ("ÉMAUS" = "émaus").

    The key is computed in Python whenever the name is set, and carries the unique
    constraint, so SQLite and PostgreSQL refuse the same duplicates.
    """

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), unique=True)

    @validates("name")
    def _set_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Organization(NamedMixin, TimestampMixin, db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    level: Mapped[OrgLevel] = mapped_column(str_enum(OrgLevel))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    region: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))

    parent: Mapped[Organization | None] = relationship(
        remote_side="Organization.id", back_populates="children"
    )
    # passive_deletes="all": never let the ORM quietly set children's and people's
    # organization to NULL on delete; the database's RESTRICT must get the final word.
    children: Mapped[list[Organization]] = relationship(
        back_populates="parent", passive_deletes="all"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="organization", passive_deletes="all"
    )

    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    @property
    def zone(self) -> str | None:
        """The zone of the province its region names, else its parent's (None if unknown).

        Derived, not stored: correcting an organization's region corrects its people's
        default zone with it.
        """
        org: Organization | None = self
        for _ in range(8):  # a parent chain is short; a cycle must not loop forever
            if org is None:
                return None
            zone = zone_for_region(org.region)
            if zone:
                return zone
            org = org.parent
        return None

    def __str__(self) -> str:
        return self.name


class Person(TimestampMixin, db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))  # jabatan
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, 10))
    category: Mapped[StakeholderCategory] = mapped_column(str_enum(StakeholderCategory))
    has_disability: Mapped[bool] = mapped_column(default=False)
    # The zone this person reads times in (IANA) when they attend online; None means "the
    # zone of their organization's region" (see ``zone``).
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Where this person comes from as they gave it ("Kabupaten Poso, Sulawesi Tengah"), for
    # people whose organization is not in the directory or spans the country (a webinar's
    # registrants); None means "their organization's region".
    region: Mapped[str | None] = mapped_column(String(120))

    organization: Mapped[Organization | None] = relationship(back_populates="people")
    memberships: Mapped[list[ForumMember]] = relationship(
        back_populates="person", passive_deletes="all"
    )

    __table_args__ = (Index("ix_people_name", "name"),)

    @property
    def zone(self) -> str | None:
        """Their own zone if set, else their region's, else their organization's region's."""
        if self.timezone:
            return self.timezone
        own = zone_for_region(self.region)
        if own:
            return own
        return self.organization.zone if self.organization is not None else None

    @property
    def province(self) -> str | None:
        """The province this person comes from (canonical lower-case name), or None.

        Their own region first, then their organization's and its parents': attendance
        by province counts a registrant from Poso under Sulawesi Tengah even when their
        organization was typed without a region.
        """
        found = province_of(self.region)
        org = self.organization
        for _ in range(8):  # as in Organization.zone: a cycle must not loop forever
            if found is not None or org is None:
                break
            found = province_of(org.region)
            org = org.parent
        return found

    @property
    def zone_label(self) -> str | None:
        zone = self.zone
        return zone_label(zone) if zone else None

    def __str__(self) -> str:
        return self.name


class Forum(NamedMixin, TimestampMixin, db.Model):
    __tablename__ = "forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    decree_number: Mapped[str | None] = mapped_column(String(80))  # e.g. 289/KEP/HK/2023
    decree_date: Mapped[date | None]
    decree_issuer: Mapped[str | None] = mapped_column(String(200))  # e.g. Bupati Sumba Barat Daya
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )  # the secretariat that runs the forum
    description: Mapped[str | None] = mapped_column(Text)
    # The institution that owns the forum (its staff keep it); the directory's people,
    # organizations and venues stay shared.
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )

    organization: Mapped[Organization | None] = relationship()
    institution: Mapped[Institution] = relationship()
    members: Mapped[list[ForumMember]] = relationship(
        back_populates="forum",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ForumMember.id",
    )

    def __str__(self) -> str:
        return self.name


class ForumMember(db.Model):
    __tablename__ = "forum_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    role: Mapped[ForumRole] = mapped_column(str_enum(ForumRole, 20), default=ForumRole.MEMBER)

    forum: Mapped[Forum] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("forum_id", "person_id"),)


class Venue(NamedMixin, TimestampMixin, db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int | None]
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )

    organization: Mapped[Organization | None] = relationship()

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def zone_label(self) -> str:
        return zone_label(self.timezone)

    def __str__(self) -> str:
        return self.name


DIRECTORY_MODELS: dict[str, Any] = {
    "organizations": Organization,
    "people": Person,
    "forums": Forum,
    "venues": Venue,
}


def _register_reference_labels() -> None:
    from flask_babel import lazy_gettext as _l

    from meetcoord.core.references import register_reference_label

    register_reference_label("organizations", _l("%(n)d organisasi turunan"))
    register_reference_label("people", _l("%(n)d orang"))
    register_reference_label("forums", _l("%(n)d forum"))
    register_reference_label("forum_members", _l("%(n)d keanggotaan forum"))
    register_reference_label("venues", _l("%(n)d tempat"))


_register_reference_labels()
