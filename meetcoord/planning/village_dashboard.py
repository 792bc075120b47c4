"""The quarterly evaluation of villages under guidance, and the ranking of agencies.

Per village guided today (an assignment of the reader's institutions running today):
its open and finished follow-up actions, its accommodated proposals (count and amount),
its IDM movement between its last two recorded years, and the agency guiding it. Four
aggregate queries over a bounded set of villages (``MAX_VILLAGES``), never one per row.

**Ranking of agencies** (Maluku's reward for the best agency). Each agency's score is the
sum of three parts, each shown on the page so anyone can recompute it:

- *IDM points* = 100 × the mean change of IDM score over its villages that have two
  recorded years (latest minus the year before; +0.0250 → 2.50 points, a fall is negative);
- *action points* = 10 × the share of its villages' follow-up actions that are done or
  verified (of those not dropped; 0 when there are none);
- *proposal points* = accommodated proposals per guided village (their mean count).

Sorted by score, highest first; equal scores (to two decimals) share a rank, and within
a tie the order is by IDM points, then action points, then the agency's name.
An action is a village's when its locus names the village or it came from a mark of one of
the village's proposals; a proposal's amount is its accommodated mark's amount (its own
estimate when the mark has none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select

from meetcoord.access import scope
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.actions.queries import PENDING, today
from meetcoord.core.pagination import LIKE_ESCAPE, like_pattern
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning import idm
from meetcoord.planning.guidance import running_on
from meetcoord.planning.models import (
    GuidanceAssignment,
    IdmStatus,
    MarkOutcome,
    Proposal,
    ProposalStatus,
    SyncMark,
    VillageIndex,
)
from meetcoord.planning.villages import locus_key

MAX_VILLAGES = 500
DONE = (ActionStatus.DONE, ActionStatus.VERIFIED)
TWO = Decimal("0.01")


@dataclass
class VillageLine:
    village_id: int
    village: str
    region: str | None
    agency_id: int
    agency: str
    open_actions: int = 0
    done_actions: int = 0
    counted_actions: int = 0  # not dropped
    accommodated: int = 0
    amount: int = 0
    previous: tuple[int, Decimal, IdmStatus] | None = None
    latest: tuple[int, Decimal, IdmStatus] | None = None

    @property
    def movement(self) -> idm.Movement:
        return idm.movement(
            self.previous[1] if self.previous else None, self.latest[1] if self.latest else None
        )

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.latest is None:
            return None
        return self.latest[1] - self.previous[1]


@dataclass
class AgencyScore:
    agency_id: int
    agency: str
    villages: int = 0
    idm_points: Decimal = Decimal(0)
    action_points: Decimal = Decimal(0)
    proposal_points: Decimal = Decimal(0)
    compared: int = 0  # villages with two IDM years
    done: int = 0
    counted: int = 0
    accommodated: int = 0
    rank: int = 0
    tied: bool = False

    @property
    def score(self) -> Decimal:
        return self.idm_points + self.action_points + self.proposal_points


@dataclass
class Dashboard:
    villages: list[VillageLine] = field(default_factory=list)
    ranking: list[AgencyScore] = field(default_factory=list)
    truncated: bool = False


def _guided(user: Any, institution_id: int | None) -> list[VillageLine]:
    stmt = (
        select(
            GuidanceAssignment.village_id,
            Organization.name,
            Organization.region,
            GuidanceAssignment.organization_id,
        )
        .join(Organization, Organization.id == GuidanceAssignment.village_id)
        .where(running_on(today()))
        .order_by(Organization.name, GuidanceAssignment.id)
        .limit(MAX_VILLAGES + 1)
    )
    if (mine := scope.owned_by_reach(user, GuidanceAssignment)) is not None:
        stmt = stmt.where(mine)
    if institution_id is not None:
        stmt = stmt.where(GuidanceAssignment.institution_id == institution_id)
    rows = db.session.execute(stmt).all()
    names = (
        dict(
            db.session.execute(
                select(Organization.id, Organization.name).where(
                    Organization.id.in_({r[3] for r in rows})
                )
            ).all()
        )
        if rows
        else {}
    )
    lines: dict[int, VillageLine] = {}
    for village_id, name, region, agency_id in rows:  # one line per village (first assignment)
        lines.setdefault(
            village_id, VillageLine(village_id, name, region, agency_id, names[agency_id])
        )
    return list(lines.values())


def _actions(user: Any, lines: list[VillageLine]) -> None:
    by_mark = (
        select(func.min(Proposal.village_id))
        .join(SyncMark, SyncMark.proposal_id == Proposal.id)
        .where(
            SyncMark.action_id == Action.id, Proposal.village_id.in_([v.village_id for v in lines])
        )
        .correlate(Action)
        .scalar_subquery()
    )
    by_locus = case(
        *[
            (
                Action.locus.ilike(like_pattern(locus_key(v.village)), escape=LIKE_ESCAPE),
                v.village_id,
            )
            for v in lines
        ],
        else_=None,
    )
    village = func.coalesce(by_mark, by_locus).label("village_id")
    stmt = (
        select(
            village,
            func.sum(case((Action.status.in_(PENDING), 1), else_=0)),
            func.sum(case((Action.status.in_(DONE), 1), else_=0)),
            func.sum(case((Action.status != ActionStatus.DROPPED, 1), else_=0)),
        )
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.withdrawn_at.is_(None))
        .group_by(village)
    )
    if (mine := scope.owned_by_reach(user, Meeting)) is not None:
        stmt = stmt.where(mine)
    found = {row[0]: row for row in db.session.execute(stmt) if row[0] is not None}
    for line in lines:
        if line.village_id in found:
            _, pending, done, counted = found[line.village_id]
            line.open_actions, line.done_actions, line.counted_actions = (
                int(pending),
                int(done),
                int(counted),
            )


def _proposals(user: Any, lines: list[VillageLine]) -> None:
    mark_amount = (
        select(func.max(SyncMark.amount))
        .where(SyncMark.proposal_id == Proposal.id, SyncMark.outcome == MarkOutcome.ACCOMMODATED)
        .correlate(Proposal)
        .scalar_subquery()
    )
    stmt = (
        select(
            Proposal.village_id,
            func.count(Proposal.id),
            func.sum(func.coalesce(mark_amount, Proposal.budget, 0)),
        )
        .where(
            Proposal.status == ProposalStatus.ACCOMMODATED,
            Proposal.village_id.in_([v.village_id for v in lines]),
        )
        .group_by(Proposal.village_id)
    )
    if (mine := scope.owned_by_reach(user, Proposal)) is not None:
        stmt = stmt.where(mine)
    found = {row[0]: row for row in db.session.execute(stmt)}
    for line in lines:
        if line.village_id in found:
            line.accommodated, line.amount = (
                int(found[line.village_id][1]),
                int(found[line.village_id][2] or 0),
            )


def _indexes(lines: list[VillageLine]) -> None:
    ordered = func.row_number().over(
        partition_by=VillageIndex.village_id, order_by=VillageIndex.year.desc()
    )
    inner = (
        select(
            VillageIndex.village_id,
            VillageIndex.year,
            VillageIndex.score,
            VillageIndex.status,
            ordered.label("n"),
        )
        .where(VillageIndex.village_id.in_([v.village_id for v in lines]))
        .subquery()
    )
    by_id = {line.village_id: line for line in lines}
    for row in db.session.execute(select(inner).where(inner.c.n <= 2)):
        value = (row.year, Decimal(row.score), IdmStatus(row.status))
        if row.n == 1:
            by_id[row.village_id].latest = value
        else:
            by_id[row.village_id].previous = value


def rank(lines: list[VillageLine]) -> list[AgencyScore]:
    """The agencies' scores from the villages' lines (pure: the rule in the module doc)."""
    agencies: dict[int, AgencyScore] = {}
    changes: dict[int, list[Decimal]] = {}
    for line in lines:
        entry = agencies.setdefault(line.agency_id, AgencyScore(line.agency_id, line.agency))
        entry.villages += 1
        entry.done += line.done_actions
        entry.counted += line.counted_actions
        entry.accommodated += line.accommodated
        if line.change is not None:
            changes.setdefault(line.agency_id, []).append(line.change)
    for agency_id, entry in agencies.items():
        deltas = changes.get(agency_id, [])
        entry.compared = len(deltas)
        if deltas:
            entry.idm_points = (Decimal(100) * sum(deltas) / len(deltas)).quantize(
                TWO, ROUND_HALF_UP
            )
        if entry.counted:
            entry.action_points = (Decimal(10) * entry.done / entry.counted).quantize(
                TWO, ROUND_HALF_UP
            )
        entry.proposal_points = (Decimal(entry.accommodated) / entry.villages).quantize(
            TWO, ROUND_HALF_UP
        )
    ordered = sorted(
        agencies.values(),
        key=lambda a: (-a.score, -a.idm_points, -a.action_points, a.agency.casefold(), a.agency_id),
    )
    for position, entry in enumerate(ordered, start=1):
        before = ordered[position - 2] if position > 1 else None
        if before is not None and before.score == entry.score:
            entry.rank, entry.tied, before.tied = before.rank, True, True
        else:
            entry.rank = position
    return ordered


def dashboard(user: Any, institution_id: int | None = None) -> Dashboard:
    """The evaluation's figures for the reader's institutions (or one of them)."""
    lines = _guided(user, institution_id)
    truncated = len(lines) > MAX_VILLAGES
    lines = lines[:MAX_VILLAGES]
    if lines:
        _actions(user, lines)
        _proposals(user, lines)
        _indexes(lines)
    return Dashboard(lines, rank(lines), truncated)
