"""The demo's planning data: the three seed situations (issue 14), loaded once."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from meetcoord.access.models import Institution
from meetcoord.demo import load_demo
from meetcoord.demo.planning import DECREE, LOTIM_MEETING, SBD_MEETING, idm_status
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaKind, Meeting, MeetingStatus
from meetcoord.planning.models import (
    Confirmation,
    GuidanceAssignment,
    IdmStatus,
    MarkOutcome,
    PlanningForum,
    Proposal,
    ProposalStatus,
    SyncMark,
    VillageIndex,
)

PLANNING = (Proposal, SyncMark, VillageIndex, GuidanceAssignment)


@pytest.fixture
def demo(db_session):
    return load_demo()


def _institution(short_name: str) -> Institution:
    return db.session.scalar(select(Institution).where(Institution.short_name == short_name))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _meeting(title: str) -> Meeting:
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == title))
    assert meeting is not None, title
    return meeting


def test_loading_twice_adds_no_planning_row(demo):
    assert demo["proposals"] == 35
    assert demo["sync marks"] == 33
    assert demo["village indexes"] == 15
    assert demo["guidance assignments"] == 5
    assert demo["sync meetings"] == 2
    before = [_count(model) for model in (*PLANNING, Meeting, Organization)]
    again = load_demo()
    assert set(again.values()) == {0}
    assert [_count(model) for model in (*PLANNING, Meeting, Organization)] == before


def test_forum_bangkit_synchronised_village_livelihood_plans_with_sbd_agencies(demo):
    sbd = _institution("Bappeda SBD")
    meeting = _meeting(SBD_MEETING)
    assert meeting.institution_id == sbd.id
    assert meeting.status is MeetingStatus.CLOSED
    assert meeting.start_at.date().isoformat() == "2024-03-15"  # 09.00 WITA, seed 001
    assert any(item.kind is AgendaKind.SYNC_MATRIX for item in meeting.agenda)
    proposals = db.session.scalars(select(Proposal).where(Proposal.institution_id == sbd.id)).all()
    assert len(proposals) == 20
    assert all(p.village.level is OrgLevel.VILLAGE for p in proposals)
    assert all("Sumba Barat Daya" in p.village.region for p in proposals)
    assert all(p.source_document.startswith("Rencana Penghidupan Masyarakat") for p in proposals)
    marks = db.session.scalars(select(SyncMark).where(SyncMark.meeting_id == meeting.id)).all()
    outcomes = Counter(m.outcome for m in marks)
    assert outcomes[MarkOutcome.ACCOMMODATED] >= 8
    assert outcomes[MarkOutcome.CARRIED] >= 4
    assert outcomes[MarkOutcome.NOT_ACCOMMODATED] >= 2
    assert outcomes[MarkOutcome.MERGED] == 1
    confirmations = Counter(m.confirmation for m in marks if m.outcome is MarkOutcome.ACCOMMODATED)
    assert confirmations[Confirmation.CONFIRMED] >= 4
    assert confirmations[Confirmation.DISPUTED] == 1
    accommodated = [m for m in marks if m.outcome is MarkOutcome.ACCOMMODATED]
    assert all("Sumba Barat Daya" in m.organization.name for m in accommodated)
    assert all(m.plan_document == "RKPD 2024" and m.amount > 0 for m in accommodated)
    assert {m.carried_to for m in marks if m.outcome is MarkOutcome.CARRIED} == {
        PlanningForum.MUSRENBANGCAM,
        PlanningForum.MUSRENBANGKAB,
    }
    assert all(m.reason for m in marks if m.outcome is MarkOutcome.NOT_ACCOMMODATED)
    for mark in marks:  # a proposal's status is what its mark says
        assert mark.proposal.status.value == mark.outcome.value
    merged = next(m for m in marks if m.outcome is MarkOutcome.MERGED)
    assert merged.proposal.merged_into_id == merged.merged_with_id
    assert sum(p.status is ProposalStatus.SUBMITTED for p in proposals) == 2


def test_lombok_timur_proposals_were_carried_to_the_musrenbang(demo):
    ntb, lotim = _institution("BAPPEDA NTB"), _institution("BAPPEDA Lombok Timur")
    meeting = _meeting(LOTIM_MEETING)
    assert (meeting.institution_id, meeting.cohost_institution_id) == (ntb.id, lotim.id)
    proposals = db.session.scalars(select(Proposal).where(Proposal.institution_id == ntb.id)).all()
    assert len(proposals) == 15
    assert all("Lombok Timur" in p.village.region for p in proposals)
    assert all("HIMASPI" in p.proposer_name for p in proposals)
    assert {p.status for p in proposals} == {ProposalStatus.CARRIED}
    forums = Counter(
        db.session.scalars(select(SyncMark.carried_to).where(SyncMark.meeting_id == meeting.id))
    )
    assert set(forums) == {PlanningForum.MUSRENBANGKAB, PlanningForum.MUSRENBANGPROV}
    assert sum(forums.values()) == 15


def test_maluku_villages_have_idm_history_and_their_guiding_agency(demo):
    maluku = _institution("Bappeda Maluku")
    assignments = db.session.scalars(select(GuidanceAssignment)).all()
    assert len(assignments) == 5
    for a in assignments:
        assert a.institution_id == maluku.id
        assert a.decree_number == DECREE == "SK Gubernur Maluku Nomor 90 Tahun 2023"
        assert a.decree_date.year == 2023
        assert a.organization.name.endswith("Provinsi Maluku")
        assert a.village.level is OrgLevel.VILLAGE
        assert a.village.region.endswith("Maluku")
        history = db.session.scalars(
            select(VillageIndex)
            .where(VillageIndex.village_id == a.village_id)
            .order_by(VillageIndex.year)
        ).all()
        assert [i.year for i in history] == [2022, 2023, 2024]
        assert [i.status for i in history] == [idm_status(i.score) for i in history]
        assert history[0].score < history[-1].score  # the programme's villages move up
    statuses = set(db.session.scalars(select(VillageIndex.status)))
    assert IdmStatus.VERY_UNDERDEVELOPED in statuses
    assert IdmStatus.UNDERDEVELOPED in statuses


@pytest.mark.parametrize(
    ("score", "status"),
    [
        ("0.4907", IdmStatus.VERY_UNDERDEVELOPED),
        ("0.4908", IdmStatus.UNDERDEVELOPED),
        ("0.5989", IdmStatus.UNDERDEVELOPED),
        ("0.7072", IdmStatus.DEVELOPING),
        ("0.8155", IdmStatus.ADVANCED),
        ("0.8156", IdmStatus.INDEPENDENT),
    ],
)
def test_idm_thresholds(score, status):
    assert idm_status(Decimal(score)) is status
