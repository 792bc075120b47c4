"""Proposals (usulan) for staff: the list, one proposal, hand entry and edit, the merge.

A proposal belongs to the institution that entered or imported it; a staff account sees
those of its institutions and changes those where it works (admin, secretariat). Anything
else is not found, as a missing id is. The rules for a proposal's values are
:mod:`.importing`'s, so the form, the API and the spreadsheet import refuse alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from meetcoord.access import scope
from meetcoord.access.institutions import acting_institution
from meetcoord.access.permissions import Permission, require, visible
from meetcoord.core import audit
from meetcoord.core.cleaning import name_key
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.pagination import LIKE_ESCAPE, Page, like_pattern, paginate
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning.duplicates import alike
from meetcoord.planning.importing import VillageLookup, clean_row
from meetcoord.planning.models import (
    FundSource,
    Proposal,
    ProposalField,
    ProposalStatus,
    SyncMark,
)

SORTS = ("priority_score", "title", "village", "plan_year", "budget", "status", "created_at")
FIELDS = (
    "title",
    "village_id",
    "field",
    "fund_source",
    "plan_year",
    "budget",
    "priority_score",
    "sector",
    "proposer_kind",
    "proposer_name",
    "source_document",
    "external_ref",
)
INVALID = _l("Usulan belum dapat disimpan; periksa isian yang ditandai.")


@dataclass(frozen=True)
class ProposalQuery:
    """The list's filters, sort and page (the pages and the API share it)."""

    q: str = ""
    institution_id: int | None = None
    village_id: int | None = None
    field: ProposalField | None = None
    fund_source: FundSource | None = None
    plan_year: int | None = None
    status: ProposalStatus | None = None
    sort: str = "priority_score"
    descending: bool = True
    page: int = 1
    per_page: int = 25


def _scoped(user: Any) -> Select[Any]:
    stmt = select(Proposal)
    clause = scope.owned_by_reach(user, Proposal)
    return stmt if clause is None else stmt.where(clause)


def list_proposals(user: Any, query: ProposalQuery) -> Page[Proposal]:
    stmt = _scoped(user).options(selectinload(Proposal.village))
    if query.q.strip():
        pattern = like_pattern(query.q)
        stmt = stmt.where(
            or_(
                Proposal.title.ilike(pattern, escape=LIKE_ESCAPE),
                Proposal.external_ref.ilike(pattern, escape=LIKE_ESCAPE),
                Proposal.title_key.like(like_pattern(name_key(query.q)), escape=LIKE_ESCAPE),
            )
        )
    for name in ("institution_id", "village_id", "field", "fund_source", "plan_year", "status"):
        value = getattr(query, name)
        if value is not None:
            stmt = stmt.where(getattr(Proposal, name) == value)
    if query.sort == "village":
        stmt = stmt.outerjoin(Organization, Organization.id == Proposal.village_id)
        column: Any = Organization.name
    else:
        column = getattr(Proposal, query.sort if query.sort in SORTS else "priority_score")
    ordered = column.desc() if query.descending else column.asc()
    stmt = stmt.order_by(ordered.nulls_last(), Proposal.id)
    return paginate(stmt, query.page, query.per_page)


def get_proposal(user: Any, proposal_id: int) -> Proposal:
    """One proposal the user may see, or not found (another institution's too)."""
    found = db.session.get(Proposal, proposal_id)
    return visible(user, found)


def marks_of(proposal: Proposal) -> list[SyncMark]:
    """What each meeting said of it, oldest first (its history across meetings)."""
    return list(
        db.session.scalars(
            select(SyncMark)
            .where(SyncMark.proposal_id == proposal.id)
            .options(selectinload(SyncMark.meeting), selectinload(SyncMark.organization))
            .order_by(SyncMark.created_at, SyncMark.id)
        )
    )


def village_lookup(region: str = "") -> VillageLookup:
    """Every village of the directory by folded name (namesakes kept apart by region)."""
    lookup = VillageLookup(region=region)
    rows = db.session.execute(
        select(
            Organization.id, Organization.name_key, Organization.region, Organization.name
        ).where(Organization.level == OrgLevel.VILLAGE)
    )
    for org_id, key, region_name, name in rows:
        lookup.by_name.setdefault(key, []).append((org_id, name_key(region_name or ""), name))
    return lookup


def village_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.region)
        .where(Organization.level == OrgLevel.VILLAGE)
        .order_by(Organization.name)
    )
    return [(r.id, f"{r.name} ({r.region})" if r.region else r.name) for r in rows]


def _raw_from(proposal: Proposal | None, data: dict[str, Any]) -> tuple[dict, VillageLookup]:
    """Raw values by target name: the proposal's present ones under the given ones. A
    village given by id is looked up by id (a select on the form, an id in the API)."""
    raw: dict[str, Any] = {}
    if proposal is not None:
        raw = {name: getattr(proposal, name) for name in FIELDS if name != "village_id"}
        raw = {k: (v.value if hasattr(v, "value") else v) for k, v in raw.items()}
        raw["village_id"] = proposal.village_id
    raw.update({k: v for k, v in data.items() if k in (*FIELDS, "village", "region")})
    lookup = VillageLookup()
    village_id = raw.pop("village_id", None)
    if not raw.get("village") and village_id not in (None, ""):
        try:
            found = db.session.get(Organization, int(village_id))
        except (TypeError, ValueError, OverflowError):
            found = None
        if found is not None and found.level == OrgLevel.VILLAGE:
            raw["village"] = found.name
            lookup.by_name[found.name_key] = [(found.id, "", found.name)]
        else:
            raw["village"] = f"#{village_id}"
    return raw, lookup if "village" not in data else village_lookup()


def save_proposal(
    user: Any, proposal: Proposal | None, data: dict[str, Any], institution_id: int | None = None
) -> Proposal:
    """Create (``proposal`` None) or change a proposal; every field checked, all or nothing."""
    if proposal is None:
        institution = acting_institution(user, institution_id)
    else:
        require(user, Permission.MEETING_ARRANGE, proposal)
    raw, lookup = _raw_from(proposal, data)
    clean, errors = clean_row(raw, lookup)
    if clean.get("external_ref") and not errors.get("external_ref"):
        owner = proposal.institution_id if proposal else institution.id
        clash = db.session.scalar(
            select(Proposal.id).where(
                Proposal.institution_id == owner,
                Proposal.external_ref == clean["external_ref"],
                Proposal.id != (proposal.id if proposal else -1),
            )
        )
        if clash is not None:
            errors["external_ref"] = _l("Nomor usulan ini sudah dipakai usulan lain.")
    if errors:
        raise ValidationError(INVALID, errors={k: [v] for k, v in errors.items()})
    values = {name: clean[name] for name in FIELDS}
    values["title_key"] = name_key(values["title"])[:400]
    if proposal is None:
        proposal = Proposal(institution_id=institution.id, created_by_id=user.id, **values)
        db.session.add(proposal)
        db.session.flush()
        audit.record(user, "proposal.create", proposal, f"Usulan dibuat: {proposal.title}"[:300])
    else:
        changes = {
            k: [_plain(getattr(proposal, k)), _plain(v)]
            for k, v in values.items()
            if getattr(proposal, k) != v and k != "title_key"
        }
        for name, value in values.items():
            setattr(proposal, name, value)
        audit.record(user, "proposal.update", proposal, "Usulan diubah", changes)
    db.session.commit()
    return proposal


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    return value if isinstance(value, int | str | type(None)) else str(value)


def merge(user: Any, proposal: Proposal, into_id: int | None) -> Proposal:
    """Fold ``proposal`` into another of the same institution: it keeps its row (its marks,
    its history) with status merged and a pointer to the one that goes on."""
    require(user, Permission.MEETING_ARRANGE, proposal)
    target = db.session.get(Proposal, into_id) if into_id else None
    if target is None or target.institution_id != proposal.institution_id:
        message = _l("Usulan tujuan penggabungan tidak ditemukan.")
        raise NotFound(message, errors={"into_id": [message]})
    if target.id == proposal.id:
        message = _l("Usulan tidak dapat digabung dengan dirinya sendiri.")
        raise ValidationError(message, errors={"into_id": [message]})
    if proposal.status == ProposalStatus.MERGED or target.status == ProposalStatus.MERGED:
        message = _l("Usulan ini sudah digabung; gabungkan ke usulan yang masih berjalan.")
        raise Conflict(message, errors={"into_id": [message]})
    before = proposal.status.value
    proposal.status = ProposalStatus.MERGED
    proposal.merged_into_id = target.id
    audit.record(
        user,
        "proposal.merge",
        proposal,
        f"Usulan #{proposal.id} digabung ke #{target.id}",
        {"status": [before, "merged"], "merged_into_id": [None, target.id]},
    )
    db.session.commit()
    return proposal


def likely_twins(proposal: Proposal) -> list[Proposal]:
    """Other live proposals of the same institution, village and year with a similar
    title: the ones the detail page offers to merge with."""
    others = db.session.scalars(
        select(Proposal).where(
            Proposal.institution_id == proposal.institution_id,
            Proposal.village_id == proposal.village_id,
            Proposal.plan_year == proposal.plan_year,
            Proposal.id != proposal.id,
            Proposal.status != ProposalStatus.MERGED,
        )
    )
    return [other for other in others if alike(proposal.title, other.title)]
