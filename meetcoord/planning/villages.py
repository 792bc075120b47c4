"""Villages under guidance: the list, one village's page, and its IDM history by hand.

A village is a shared directory :class:`Organization` of level ``village`` (every staff
account sees it, as the directory). What is *about* it is scoped to the reader's
institutions: its guidance assignments and proposals by their ``institution_id``, its
follow-up actions and meetings by the meetings' owners. IDM values are public figures of
the ministry, shared like the directory: any secretariat or administrator enters them
(``DIRECTORY_EDIT``, as the directory's own edits); a value already recorded for a year is
replaced only when the request says so explicitly, with an audit entry of both values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from meetcoord.access import scope
from meetcoord.access.permissions import Permission, require
from meetcoord.actions.models import Action
from meetcoord.actions.queries import today
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.pagination import LIKE_ESCAPE, Page, like_pattern
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning import idm
from meetcoord.planning.guidance import running_on
from meetcoord.planning.models import (
    GuidanceAssignment,
    IdmStatus,
    Proposal,
    SyncMark,
    VillageIndex,
)

MIN_YEAR, MAX_YEAR = 2010, 2100  # IDM is published since 2015; older years are typos
DETAIL_LIMIT = 200  # rows of each list on a village's page
VILLAGE_PREFIXES = ("desa ", "kelurahan ", "kampung ", "negeri ", "gampong ", "nagari ")


@dataclass(frozen=True)
class VillageQuery:
    q: str = ""
    region: str = ""
    status: IdmStatus | None = None
    guided: bool | None = None
    organization_id: int | None = None
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class VillageRow:
    """A village in the list: its latest IDM and who guides it today (reader's scope)."""

    id: int
    name: str
    region: str | None
    year: int | None
    score: Decimal | None
    status: IdmStatus | None
    agency_id: int | None
    agency: str | None


def locus_key(name: str) -> str:
    """The village's name as a locus would write it: "Desa Wee Rame" → "wee rame"."""
    key = " ".join(name.lower().split())
    for prefix in VILLAGE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _assignments_in_reach(user: Any) -> Any:
    clause = scope.owned_by_reach(user, GuidanceAssignment)
    return clause if clause is not None else True


def _latest_index() -> Any:
    latest = (
        select(VillageIndex.village_id, func.max(VillageIndex.year).label("year"))
        .group_by(VillageIndex.village_id)
        .subquery()
    )
    return (
        select(VillageIndex)
        .join(
            latest,
            and_(
                latest.c.village_id == VillageIndex.village_id, latest.c.year == VillageIndex.year
            ),
        )
        .subquery()
    )


def _list_select(user: Any, query: VillageQuery) -> Select[Any]:
    on = today()
    index = _latest_index()
    current = (
        select(
            GuidanceAssignment.village_id,
            func.min(GuidanceAssignment.organization_id).label("organization_id"),
        )
        .where(running_on(on), _assignments_in_reach(user))
        .group_by(GuidanceAssignment.village_id)
        .subquery()
    )
    agency = aliased(Organization)
    stmt = (
        select(
            Organization.id,
            Organization.name,
            Organization.region,
            index.c.year,
            index.c.score,
            index.c.status,
            agency.id.label("agency_id"),
            agency.name.label("agency"),
        )
        .where(Organization.level == OrgLevel.VILLAGE)
        .outerjoin(index, index.c.village_id == Organization.id)
        .outerjoin(current, current.c.village_id == Organization.id)
        .outerjoin(agency, agency.id == current.c.organization_id)
    )
    if query.q.strip():
        stmt = stmt.where(Organization.name.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    if query.region.strip():
        stmt = stmt.where(Organization.region.ilike(like_pattern(query.region), escape=LIKE_ESCAPE))
    if query.status is not None:
        stmt = stmt.where(index.c.status == query.status.value)
    if query.guided is not None:
        stmt = stmt.where(
            current.c.village_id.is_not(None) if query.guided else current.c.village_id.is_(None)
        )
    if query.organization_id is not None:
        stmt = stmt.where(
            exists().where(
                GuidanceAssignment.village_id == Organization.id,
                GuidanceAssignment.organization_id == query.organization_id,
                running_on(on),
                _assignments_in_reach(user),
            )
        )
    return stmt.order_by(Organization.name, Organization.id)


def list_villages(user: Any, query: VillageQuery) -> Page[VillageRow]:
    """Villages with their latest IDM and current agency, filtered and paged."""
    stmt = _list_select(user, query)
    total = int(
        db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    )
    pages = max(1, -(-total // query.per_page))
    page = min(max(1, query.page), pages)
    rows = db.session.execute(stmt.limit(query.per_page).offset((page - 1) * query.per_page))
    items = [
        VillageRow(
            r.id,
            r.name,
            r.region,
            r.year,
            r.score,
            IdmStatus(r.status) if r.status else None,
            r.agency_id,
            r.agency,
        )
        for r in rows
    ]
    return Page(items=items, page=page, per_page=query.per_page, total=total)


def get_village(village_id: int) -> Organization:
    """A village of the directory (shared); anything else is not found."""
    found = db.session.get(Organization, village_id)
    if found is None or found.level is not OrgLevel.VILLAGE:
        raise NotFound(scope.NOT_FOUND)
    return found


def idm_history(village: Organization) -> list[VillageIndex]:
    return list(
        db.session.scalars(
            select(VillageIndex)
            .where(VillageIndex.village_id == village.id)
            .order_by(VillageIndex.year)
        )
    )


def village_actions_clause(village: Organization) -> Any:
    """SQL: an action is the village's — its locus names it, or it came from a mark of one
    of its proposals (``SyncMark.action_id``)."""
    from_marks = (
        select(SyncMark.action_id)
        .join(Proposal, Proposal.id == SyncMark.proposal_id)
        .where(Proposal.village_id == village.id, SyncMark.action_id.is_not(None))
    )
    return or_(
        Action.locus.ilike(like_pattern(locus_key(village.name)), escape=LIKE_ESCAPE),
        Action.id.in_(from_marks),
    )


def village_page(user: Any, village: Organization) -> dict[str, Any]:
    """Everything the village's page shows, each list within the reader's reach."""
    assignments = select(GuidanceAssignment).where(GuidanceAssignment.village_id == village.id)
    proposals = select(Proposal).where(Proposal.village_id == village.id)
    actions = (
        select(Action)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.withdrawn_at.is_(None), village_actions_clause(village))
    )
    meetings = select(Meeting).where(
        Meeting.id.in_(
            select(SyncMark.meeting_id)
            .join(Proposal, Proposal.id == SyncMark.proposal_id)
            .where(Proposal.village_id == village.id)
        )
    )
    if (mine := scope.owned_by_reach(user, GuidanceAssignment)) is not None:
        assignments = assignments.where(mine)
    if (mine := scope.owned_by_reach(user, Proposal)) is not None:
        proposals = proposals.where(mine)
    if (mine := scope.owned_by_reach(user, Meeting)) is not None:
        actions, meetings = actions.where(mine), meetings.where(mine)
    history = idm_history(village)
    return {
        "village": village,
        "history": history,
        "movement": movement_of(history),
        "assignments": list(
            db.session.scalars(
                assignments.options(selectinload(GuidanceAssignment.organization))
                .order_by(GuidanceAssignment.starts_on.desc())
                .limit(DETAIL_LIMIT)
            )
        ),
        "proposals": list(
            db.session.scalars(
                proposals.order_by(Proposal.plan_year.desc(), Proposal.status, Proposal.id).limit(
                    DETAIL_LIMIT
                )
            )
        ),
        "actions": list(
            db.session.scalars(
                actions.options(selectinload(Action.organization), selectinload(Action.meeting))
                .order_by(Action.due_on.asc().nulls_last(), Action.id)
                .limit(DETAIL_LIMIT)
            )
        ),
        "meetings": list(
            db.session.scalars(meetings.order_by(Meeting.start_at.desc()).limit(DETAIL_LIMIT))
        ),
        "today": today(),
    }


def movement_of(history: list[VillageIndex]) -> idm.Movement:
    """The movement between the last two recorded years of ``history`` (by year)."""
    if len(history) < 2:
        return idm.Movement.UNKNOWN
    return idm.movement(history[-2].score, history[-1].score)


def clean_entry(data: dict[str, Any]) -> tuple[int, Decimal, IdmStatus, bool, str | None]:
    """(year, score, status, contradicts, source) from a form or the API, or the errors.

    The status is the given one when there is one (flagged when it contradicts the score),
    else the class the score falls in."""
    errors: dict[str, list[Any]] = {}
    year = data.get("year")
    if isinstance(year, str):
        year = int(year) if year.strip().isdigit() else None
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [
            _l("Tahun harus antara %(low)d dan %(high)d.", low=MIN_YEAR, high=MAX_YEAR)
        ]
    score = idm.parse_score(data.get("score"))
    if score is None:
        errors["score"] = [_l("Nilai IDM harus berupa angka.")]
    elif not idm.in_range(score):
        errors["score"] = [_l("Nilai IDM harus antara 0 dan 1.")]
    given = str(data.get("status") or "").strip()
    status = idm.parse_status(given) if given else None
    if given and status is None:
        errors["status"] = [_l("Status IDM tidak dikenal.")]
    source = str(data.get("source") or "").strip() or None
    if source and len(source) > 200:
        errors["source"] = [_l("Paling banyak 200 karakter.")]
    if errors:
        raise ValidationError(_l("Periksa kembali nilai IDM."), errors=errors)
    assert score is not None
    assert isinstance(year, int)
    final = status or idm.classify(score)
    return year, score, final, idm.contradicts(final, score), source


REPLACE_NEEDED = _l(
    "Sudah ada nilai IDM untuk desa dan tahun ini; centang konfirmasi untuk menggantinya."
)


def record_idm(
    user: Any, village: Organization, data: dict[str, Any], *, replace: bool = False
) -> VillageIndex:
    """Record one year's IDM of ``village``; an existing year only with ``replace``."""
    require(user, Permission.DIRECTORY_EDIT)
    year, score, status, _flag, source = clean_entry(data)
    row = db.session.scalars(
        select(VillageIndex).where(VillageIndex.village_id == village.id, VillageIndex.year == year)
    ).first()
    if row is not None and not replace:
        raise Conflict(
            REPLACE_NEEDED, errors={"year": [REPLACE_NEEDED]}, extra={"existing_id": row.id}
        )
    if row is None:
        row = VillageIndex(
            village_id=village.id, year=year, score=score, status=status, source=source
        )
        db.session.add(row)
        db.session.flush()
        audit.record(user, "create", row, f"idm: {village.name} {year} = {score} ({status.value})")
    else:
        before = {"score": str(row.score), "status": row.status.value, "source": row.source}
        row.score, row.status, row.source = score, status, source
        row.recorded_at = utcnow()
        audit.record(
            user,
            "replace",
            row,
            f"idm: {village.name} {year} replaced {before['score']} → {score}",
            {
                "before": before,
                "after": {"score": str(score), "status": status.value, "source": source},
            },
        )
    db.session.commit()
    return row


def agency_choices(user: Any) -> list[tuple[int, str]]:
    """Agencies that guide a village in the reader's institutions (any period)."""
    stmt = (
        select(Organization.id, Organization.name)
        .where(
            Organization.id.in_(
                select(GuidanceAssignment.organization_id).where(_assignments_in_reach(user))
            )
        )
        .order_by(Organization.name)
    )
    return [(r.id, r.name) for r in db.session.execute(stmt)]


def region_choices() -> list[str]:
    stmt = (
        select(Organization.region)
        .where(Organization.level == OrgLevel.VILLAGE, Organization.region.is_not(None))
        .distinct()
        .order_by(Organization.region)
        .limit(500)
    )
    return [r for r in db.session.scalars(stmt) if r]


def is_running(row: GuidanceAssignment, on: date) -> bool:
    return row.starts_on <= on and (row.ends_on is None or row.ends_on >= on)
