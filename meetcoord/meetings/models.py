"""Meeting tables.

A meeting happens at one instant (UTC) at one or more linked sites, each a venue with its
own zone; people are invited to a site or to the online link. Invitations carry a personal
token (only its hash is stored) and their own calendar SEQUENCE, so that moving one person
to another site updates only that person's calendar.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.core.tokens import new_salt
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.access.models import Institution
    from meetcoord.accounts.models import User
    from meetcoord.directory.models import Forum, Organization, Person, Venue


def new_site_code() -> str:
    """8 characters people can read off a screen: no 0/O, 1/l/I."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class MeetingKind(enum.StrEnum):
    COORDINATION = "coordination"
    MUSRENBANG_SYNC = "musrenbang_sync"
    EVALUATION = "evaluation"
    KNOWLEDGE_SHARING = "knowledge_sharing"
    SIGNING = "signing"
    OTHER = "other"


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class AgendaKind(enum.StrEnum):
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    DECISION = "decision"
    SIGNING = "signing"
    # Standing items of a series' or forum's next meeting (``meetings.standing``).
    PREVIOUS_MINUTES = "previous_minutes"  # approval of the previous meeting's minutes
    ACTION_REVIEW = "action_review"  # review of the earlier meetings' open actions
    # The synchronisation matrix of proposals (``planning``), marked live.
    SYNC_MATRIX = "sync_matrix"


class InviteeRole(enum.StrEnum):
    CHAIR = "chair"
    MINUTE_TAKER = "minute_taker"
    SPEAKER = "speaker"
    SITE_COORDINATOR = "site_coordinator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class QuorumKind(enum.StrEnum):
    """How a quorum rule counts (``meetings.quorum``): a number of people present, or a
    share of the invited members — at least P% (rounded up), or more than P% (50: "50% + 1")."""

    PEOPLE = "people"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"


# A rule is both columns or neither; a share is a percentage ("more than 100%" cannot hold).
QUORUM_RULE_CHECK = (
    "(quorum_kind IS NULL AND quorum_value IS NULL)"
    " OR (quorum_kind = 'people' AND quorum_value >= 1)"
    " OR (quorum_kind = 'at_least' AND quorum_value BETWEEN 1 AND 100)"
    " OR (quorum_kind = 'more_than' AND quorum_value BETWEEN 1 AND 99)"
)


class Rsvp(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class Series(TimestampMixin, db.Model):
    """Recurring meetings, e.g. a forum's evaluation every 3 months on the second Tuesday."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    rrule: Mapped[str] = mapped_column(String(300))  # RFC 5545 RRULE, e.g. FREQ=MONTHLY;…
    timezone: Mapped[str] = mapped_column(String(64))  # the zone the rule is read in
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forums.id", ondelete="RESTRICT"), index=True
    )

    institution: Mapped[Institution] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="series", order_by="Meeting.start_at", passive_deletes="all"
    )


class Meeting(TimestampMixin, db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True)  # iCalendar UID, never changes
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(Text)  # maksud dan tujuan
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind))
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, 20), default=MeetingStatus.DRAFT
    )
    start_at: Mapped[datetime] = mapped_column(index=True)
    end_at: Mapped[datetime]
    host_venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="RESTRICT"), index=True
    )
    online_url: Mapped[str | None] = mapped_column(String(500))
    forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forums.id", ondelete="RESTRICT"), index=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="RESTRICT"), index=True
    )
    # The occurrence's original start in its series (RECURRENCE-ID); kept when it is moved.
    recurrence_at: Mapped[datetime | None]
    is_series_exception: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE of the meeting
    # The meeting's Ed25519 signing key is derived from the server key and this salt
    # (checkin.credentials.meeting_key); the key itself is never stored.
    signing_salt: Mapped[str] = mapped_column(String(32), default=new_salt)
    # Quorum across all sites (of all invitees); sites may add a rule of their own.
    quorum_kind: Mapped[QuorumKind | None] = mapped_column(str_enum(QuorumKind, 20))
    quorum_value: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The institution that owns the meeting (its letterhead, its numbers, its staff) and
    # the one co-hosting it, if any (a province with a district: NTB + Lombok Timur).
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    cohost_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )

    institution: Mapped[Institution] = relationship(foreign_keys=[institution_id])
    cohost_institution: Mapped[Institution | None] = relationship(
        foreign_keys=[cohost_institution_id]
    )
    host_venue: Mapped[Venue | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    series: Mapped[Series | None] = relationship(back_populates="meetings")
    created_by: Mapped[User | None] = relationship()
    sites: Mapped[list[MeetingSite]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingSite.id",
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AgendaItem.position",
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Invitation.id",
    )

    __table_args__ = (
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        CheckConstraint(QUORUM_RULE_CHECK, name="quorum_rule"),
        UniqueConstraint("series_id", "recurrence_at"),
        CheckConstraint(
            "cohost_institution_id IS NULL OR cohost_institution_id <> institution_id",
            name="cohost_not_owner",
        ),
    )

    def __str__(self) -> str:
        return self.title


class MeetingSite(db.Model):
    """One linked venue of a meeting, with its own coordinator and capacity."""

    __tablename__ = "meeting_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    capacity: Mapped[int | None]  # this meeting's seats here; the venue's capacity if unset
    # Public short code in check-in URLs (/c/<code>/…) and the salt of the site's kiosk
    # secret (derived like personal tokens, never stored).
    code: Mapped[str] = mapped_column(String(12), unique=True, default=new_site_code)
    secret_salt: Mapped[str] = mapped_column(String(32), default=new_salt)
    # This site's own quorum, of the people invited here (meetings.quorum).
    quorum_kind: Mapped[QuorumKind | None] = mapped_column(str_enum(QuorumKind, 20))
    quorum_value: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship(back_populates="sites")
    venue: Mapped[Venue] = relationship()
    coordinator: Mapped[Person | None] = relationship()

    __table_args__ = (
        UniqueConstraint("meeting_id", "venue_id"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(QUORUM_RULE_CHECK, name="quorum_rule"),
    )

    @property
    def seats(self) -> int | None:
        return self.capacity if self.capacity is not None else self.venue.capacity

    def is_coordinated_by(self, invitation: Invitation | None) -> bool:
        """Whether ``invitation``'s holder coordinates this site: the person the site
        names as its coordinator, or an invitee with the coordinator role placed here.

        Written once: the desk (who may run it) and the live room (who tallies the votes
        counted here) used to answer this each in its own way.
        """
        return (
            invitation is not None
            and invitation.withdrawn_at is None
            and invitation.meeting_id == self.meeting_id
            and (
                invitation.person_id == self.coordinator_id
                or (
                    invitation.role is InviteeRole.SITE_COORDINATOR
                    and invitation.site_id == self.id
                )
            )
        )


# The longest agenda item, in minutes: one day. The agenda form, the API and the live room's
# agenda commands all read this one figure (they used to say 1440 in two places, 600 in one).
AGENDA_MINUTES_MAX = 24 * 60


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(200))
    planned_minutes: Mapped[int] = mapped_column(default=15)
    kind: Mapped[AgendaKind] = mapped_column(
        str_enum(AgendaKind, 20), default=AgendaKind.DISCUSSION
    )

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")

    __table_args__ = (CheckConstraint("planned_minutes > 0", name="planned_minutes_positive"),)


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    role: Mapped[InviteeRole] = mapped_column(
        str_enum(InviteeRole, 20), default=InviteeRole.PARTICIPANT
    )
    site_id: Mapped[int | None] = mapped_column(  # NULL: attends online
        ForeignKey("meeting_sites.id", ondelete="RESTRICT"), index=True
    )
    rsvp: Mapped[Rsvp] = mapped_column(str_enum(Rsvp, 20), default=Rsvp.PENDING)
    rsvp_at: Mapped[datetime | None]
    # The personal link's token is HMAC(server key, token_salt): the server can put the same
    # link in every update mail, while the database alone (salt and hash) cannot rebuild it.
    token_salt: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)  # this person's calendar SEQUENCE
    stand_in_name: Mapped[str | None] = mapped_column(String(200))  # diwakili oleh
    stand_in_position: Mapped[str | None] = mapped_column(String(200))
    stand_in_letter: Mapped[str | None] = mapped_column(String(300))  # stored file name
    stand_in_letter_type: Mapped[str | None] = mapped_column(String(60))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    # When the invitation mail was put in the outbox (in the same transaction): what a send
    # job skips, so a job resumed after a crash mails nobody twice. NULL: not sent yet.
    sent_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    person: Mapped[Person] = relationship()
    site: Mapped[MeetingSite | None] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    @property
    def is_online(self) -> bool:
        return self.site_id is None


class CalendarFeed(db.Model):
    """A subscribable calendar of one person's or one organization's meetings."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    token_salt: Mapped[str] = mapped_column(String(32))  # as for invitations: HMAC-derived
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    person: Mapped[Person | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(person_id IS NULL) <> (organization_id IS NULL)", name="exactly_one_owner"
        ),
        Index("ix_calendar_feeds_owner", "person_id", "organization_id"),
    )
