"""The live room's state and its event log.

``LiveRoom`` is the head of a meeting's log (last seq and hash) and its run state; every
command locks that row first, so seq numbers are gapless and the chain is linear even
with several server processes. ``MeetingEvent`` rows are the log itself: written in the
same transaction as the change they describe, broadcast only after the commit.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.actions.models import Action
    from meetcoord.meetings.models import AgendaItem, Invitation, MeetingSite

GENESIS_HASH = "0" * 64


class RoomState(enum.StrEnum):
    WAITING = "waiting"  # not opened yet
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class DecisionKind(enum.StrEnum):
    CONSENSUS = "consensus"  # mufakat
    VOTE = "vote"  # pemungutan suara
    NOTED = "noted"  # dicatat
    DEFERRED = "deferred"  # ditunda


class SpeakerStatus(enum.StrEnum):
    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"


class Withdrawable:
    """A record the chair or the minute-taker withdrew: kept, struck through, with why.

    A withdrawn decision or action is left out of the minutes' decisions and actions and
    listed, with its reason, among what was withdrawn (``documents.sources``); the event log
    keeps who withdrew it and when.
    """

    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class LiveRoom(db.Model):
    __tablename__ = "live_rooms"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[RoomState] = mapped_column(str_enum(RoomState, 20), default=RoomState.WAITING)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    item_started_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    current_item: Mapped[AgendaItem | None] = relationship()


class MeetingEvent(db.Model):
    """One entry of a meeting's log; ``hash = sha256(prev_hash + canonical JSON)``."""

    __tablename__ = "meeting_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    actor: Mapped[str] = mapped_column(String(200))  # a label: "Ir. Yohanes (Ketua)"
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC with milliseconds, as hashed
    nonce: Mapped[str | None] = mapped_column(String(64))
    # On the nonce's row: the ``id`` its first ack answered (the decision, action, item,
    # request, question made, or the notes' version), so a replay answers the same ack.
    # Not part of the hash: it describes the answer, not the event.
    ack_id: Mapped[int | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("meeting_id", "seq"),
        UniqueConstraint("meeting_id", "nonce"),
        CheckConstraint("seq > 0", name="seq_positive"),
    )


class Decision(Withdrawable, db.Model):
    """A kesepakatan under an agenda item; amendments keep the earlier wording."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int]  # 1, 2, 3 … within the meeting
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[DecisionKind] = mapped_column(str_enum(DecisionKind, 20))
    version: Mapped[int] = mapped_column(default=1)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    amended_at: Mapped[datetime | None]

    agenda_item: Mapped[AgendaItem | None] = relationship()
    tallies: Mapped[list[DecisionTally]] = relationship(
        back_populates="decision",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DecisionTally.id",
    )
    revisions: Mapped[list[DecisionRevision]] = relationship(
        back_populates="decision",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DecisionRevision.version",
    )
    actions: Mapped[list[Action]] = relationship(back_populates="decision", order_by="Action.id")

    __table_args__ = (UniqueConstraint("meeting_id", "number"),)


class DecisionTally(db.Model):
    """Votes counted at one site (``site_id`` NULL: the online participants)."""

    __tablename__ = "decision_tallies"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_sites.id", ondelete="CASCADE"), index=True
    )
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    abstentions: Mapped[int] = mapped_column(default=0)

    decision: Mapped[Decision] = relationship(back_populates="tallies")
    site: Mapped[MeetingSite | None] = relationship()

    __table_args__ = (
        UniqueConstraint("decision_id", "site_id"),
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0",
            name="votes_not_negative",
        ),
    )


class DecisionRevision(db.Model):
    """The wording a decision had before an amendment."""

    __tablename__ = "decision_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[DecisionKind] = mapped_column(str_enum(DecisionKind, 20))
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_by: Mapped[str] = mapped_column(String(200))

    decision: Mapped[Decision] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("decision_id", "version"),)


class ItemNote(db.Model):
    """The minute-taker's notes on one agenda item; ``version`` refuses stale edits."""

    __tablename__ = "item_notes"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None]
    updated_by: Mapped[str | None] = mapped_column(String(200))


class SpeakerRequest(db.Model):
    """A request for the floor, from a phone or raised by a site coordinator."""

    __tablename__ = "speaker_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(  # where they speak from; NULL: online
        ForeignKey("meeting_sites.id", ondelete="SET NULL")
    )
    status: Mapped[SpeakerStatus] = mapped_column(
        str_enum(SpeakerStatus, 20), default=SpeakerStatus.WAITING
    )
    raised_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    duration_seconds: Mapped[int | None]

    invitation: Mapped[Invitation] = relationship()
    site: Mapped[MeetingSite | None] = relationship()
