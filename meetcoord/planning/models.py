"""Planning synchronisation: proposals (usulan), the marks a meeting gives them, villages'
development index (IDM) and which agency guides which village.

The vocabulary is the Musrenbang's (seeds 001–003): a proposal comes from a village, a
community group or an organization, for a locus (a village: an :class:`Organization` of
level ``village``), in one field (bidang) and a source of funds; a synchronisation meeting
gives it one :class:`SyncMark` — accommodated in an agency's programme and activity for a
plan year, carried to the next planning forum, merged into another proposal, or not
accommodated with a reason — which the agency confirms or disputes. Amounts are whole
Rupiah (``BigInteger``: a district's plan passes 2^31).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.access.models import Institution
    from meetcoord.directory.models import Organization
    from meetcoord.meetings.models import Meeting


class ProposalField(enum.StrEnum):
    """The four fields (bidang) e-Musrenbang groups proposals by."""

    ECONOMY = "economy"  # ekonomi
    SOCIAL_CULTURE = "social_culture"  # sosial budaya
    INFRASTRUCTURE = "infrastructure"  # prasarana wilayah
    GOVERNANCE = "governance"  # pemerintahan


class FundSource(enum.StrEnum):
    APBDES = "apbdes"
    APBD_REGENCY = "apbd_regency"  # APBD kabupaten/kota
    APBD_PROVINCE = "apbd_province"
    APBN = "apbn"
    DAK = "dak"
    CSR = "csr"
    ZAKAT = "zakat"  # Baznas/zakat
    OTHER = "other"


class ProposerKind(enum.StrEnum):
    VILLAGE = "village"
    COMMUNITY_GROUP = "community_group"
    ORGANIZATION = "organization"


class ProposalStatus(enum.StrEnum):
    """Where a proposal stands; the latest confirmed-or-pending mark sets it."""

    SUBMITTED = "submitted"
    DISCUSSED = "discussed"  # on a meeting's matrix, not marked yet
    ACCOMMODATED = "accommodated"
    CARRIED = "carried"
    MERGED = "merged"
    NOT_ACCOMMODATED = "not_accommodated"


class MarkOutcome(enum.StrEnum):
    ACCOMMODATED = "accommodated"  # in agency X's programme/activity Y, plan year Z, amount
    CARRIED = "carried"  # to the next planning forum
    MERGED = "merged"  # with another proposal
    NOT_ACCOMMODATED = "not_accommodated"  # with a reason


class PlanningForum(enum.StrEnum):
    """Where a carried proposal goes next."""

    MUSRENBANGDES = "musrenbangdes"
    MUSRENBANGCAM = "musrenbangcam"
    MUSRENBANGKAB = "musrenbangkab"
    MUSRENBANGPROV = "musrenbangprov"
    RKP = "rkp"


class Confirmation(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class IdmStatus(enum.StrEnum):
    """Indeks Desa Membangun, from the lowest class to the highest."""

    VERY_UNDERDEVELOPED = "very_underdeveloped"  # sangat tertinggal
    UNDERDEVELOPED = "underdeveloped"  # tertinggal
    DEVELOPING = "developing"  # berkembang
    ADVANCED = "advanced"  # maju
    INDEPENDENT = "independent"  # mandiri


class Proposal(TimestampMixin, db.Model):
    """One usulan, owned by the institution that imported or entered it.

    ``title_key`` is the folded title (``core.cleaning.name_key``) the duplicate check
    compares; ``external_ref`` is the id in the system it came from (e-Musrenbang, SIPD).
    """

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_own_merge"),
        UniqueConstraint("institution_id", "external_ref"),
        Index("ix_proposals_institution_year_village", "institution_id", "plan_year", "village_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    external_ref: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(String(400), index=True)
    proposer_kind: Mapped[ProposerKind] = mapped_column(str_enum(ProposerKind, 20))
    proposer_name: Mapped[str] = mapped_column(String(200))
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    field: Mapped[ProposalField] = mapped_column(str_enum(ProposalField, 20))
    sector: Mapped[str | None] = mapped_column(String(120))
    budget: Mapped[int | None] = mapped_column(BigInteger)  # whole Rupiah
    fund_source: Mapped[FundSource] = mapped_column(str_enum(FundSource, 20))
    source_document: Mapped[str | None] = mapped_column(String(200))
    plan_year: Mapped[int]
    priority_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, 20), default=ProposalStatus.SUBMITTED, index=True
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    institution: Mapped[Institution] = relationship()
    village: Mapped[Organization | None] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side="Proposal.id")
    marks: Mapped[list[SyncMark]] = relationship(
        back_populates="proposal",
        foreign_keys="SyncMark.proposal_id",
        order_by="SyncMark.id",
        passive_deletes=True,
    )


class SyncMark(TimestampMixin, db.Model):
    """What one meeting's synchronisation matrix says of one proposal (one row per proposal
    and meeting, changed in place through the live room's event log; ``version`` refuses a
    stale edit). After the meeting's berita acara is signed the row is locked: a change
    goes through an addendum.
    """

    __tablename__ = "sync_marks"
    __table_args__ = (
        UniqueConstraint("meeting_id", "proposal_id"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        Index("ix_sync_marks_meeting_organization", "meeting_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[MarkOutcome | None] = mapped_column(str_enum(MarkOutcome, 20))
    # accommodated: whose programme, which activity, for which plan and year, how much
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    programme: Mapped[str | None] = mapped_column(String(300))
    activity: Mapped[str | None] = mapped_column(String(300))
    plan_document: Mapped[str | None] = mapped_column(String(60))  # e.g. "RKPD 2025"
    plan_year: Mapped[int | None]
    amount: Mapped[int | None] = mapped_column(BigInteger)
    # carried / merged / not accommodated
    carried_to: Mapped[PlanningForum | None] = mapped_column(str_enum(PlanningForum, 20))
    merged_with_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    # the agency's answer from its representative's phone
    confirmation: Mapped[Confirmation] = mapped_column(
        str_enum(Confirmation, 20), default=Confirmation.PENDING
    )
    confirmation_note: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None]
    # the follow-up action this row became (issue 9), if any
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("actions.id", ondelete="SET NULL"), index=True
    )
    marked_by: Mapped[str | None] = mapped_column(String(200))
    marked_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship()
    proposal: Mapped[Proposal] = relationship(back_populates="marks", foreign_keys=[proposal_id])
    organization: Mapped[Organization | None] = relationship()
    merged_with: Mapped[Proposal | None] = relationship(foreign_keys=[merged_with_id])


class VillageIndex(db.Model):
    """A village's IDM for one year; the history is the rows, never overwritten silently."""

    __tablename__ = "village_indexes"
    __table_args__ = (
        UniqueConstraint("village_id", "year"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int]
    score: Mapped[Decimal] = mapped_column(Numeric(5, 4))  # IDM 0.0000–1.0000
    status: Mapped[IdmStatus] = mapped_column(str_enum(IdmStatus, 30))
    source: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Organization] = relationship()


class GuidanceAssignment(TimestampMixin, db.Model):
    """One agency (OPD) guiding one village for a period, by a decree (Satu OPD Satu Desa
    Binaan, seed 003). ``ends_on`` open means it still runs."""

    __tablename__ = "guidance_assignments"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period_order"),
        Index("ix_guidance_assignments_village_period", "village_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    village_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    decree_number: Mapped[str] = mapped_column(String(100))
    decree_date: Mapped[date]

    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    village: Mapped[Organization] = relationship(foreign_keys=[village_id])
