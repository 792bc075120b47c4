"""Public tracking of proposals: one institution's switch and the page anyone may read.

Off by default: an institution has no row until its working staff turn tracking on, as a
meeting's public page (``meetcoord.public``) works. The page is found by a random slug,
never the institution's id; turning it off keeps the row and its slug so the address a
village notice board may carry comes back when it is turned on again. Every switch is
one audit entry in the same commit.

What the page shows is built here as plain dictionaries from an explicit list of
columns (:func:`page`): a proposal's title, locus, field, plan year, source document and
budget, then each meeting that discussed it (title, date in the venue's zone with its
label) and what the meeting said — accommodated in an agency's programme, carried to a
forum, merged, not accommodated and why — with the agency's confirmation state and the
follow-up action's status. Never a person: not the proposer's name, not who marked or
confirmed a row, not the action's contact.

Its words are those of :mod:`meetcoord.planning.labels`; for a villager it spells the
forums out (``FORUM_NAMES``) and says the confirmation is the agency's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from meetcoord.access import scope
from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission, require
from meetcoord.actions.labels import STATUS_LABELS as ACTION_STATUS_LABELS
from meetcoord.actions.models import Action
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.core.timezones import format_long_date, format_time_in_zone, zone_label
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingStatus
from meetcoord.meetings.zones import host_zone
from meetcoord.planning.labels import FIELD_LABELS, OUTCOME_LABELS, STATUS_LABELS
from meetcoord.planning.labels import FORUM_NAMES as FORUM_LABELS
from meetcoord.planning.labels import PUBLIC_CONFIRMATION_LABELS as CONFIRMATION_LABELS
from meetcoord.planning.models import MarkOutcome, Proposal, ProposalStatus, SyncMark
from meetcoord.public.models import new_slug

MANAGE = Permission.MEETING_ARRANGE  # the institution's working staff (admin, secretariat)
# Meetings whose marks the public sees: announced or held, never a draft or a cancellation.
SHOWN_MEETINGS = (MeetingStatus.SCHEDULED, MeetingStatus.LIVE, MeetingStatus.CLOSED)
MAX_RESULTS = 100
MAX_QUERY = 100


class ProposalTracking(db.Model):
    """One institution's public tracking page: on while ``enabled_at`` is set and
    ``disabled_at`` is not."""

    __tablename__ = "proposal_trackings"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(32), unique=True, default=new_slug)
    enabled_at: Mapped[datetime | None]
    enabled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    disabled_at: Mapped[datetime | None]

    @property
    def id(self) -> int:
        """The audit trail names an entity by ``id``: the institution's."""
        return self.institution_id

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None and self.disabled_at is None


# --- the staff's switch -------------------------------------------------------------------


def tracking_of(institution_id: int) -> ProposalTracking | None:
    return db.session.get(ProposalTracking, institution_id)


def institution_for(actor: Any, institution_id: int) -> Institution:
    """The institution if ``actor`` works for it; another's (or none) is not found, and a
    viewer member is told they may only look (``access.permissions.require``)."""
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise NotFound(scope.NOT_FOUND)
    probe = tracking_of(institution.id) or ProposalTracking(institution_id=institution.id)
    require(actor, MANAGE, probe)
    return institution


def managed_institutions(actor: Any) -> list[Institution]:
    """The institutions whose tracking ``actor`` may switch (an administrator: all)."""
    reach = scope.reach_of(actor)
    stmt = select(Institution).order_by(Institution.name)
    if not reach.everything:
        stmt = stmt.where(Institution.id.in_(sorted(reach.worked)))
    return list(db.session.scalars(stmt))


def enable(actor: Any, institution: Institution) -> ProposalTracking:
    """Open the institution's tracking page (its slug is kept from an earlier opening)."""
    found = tracking_of(institution.id)
    require(actor, MANAGE, found or ProposalTracking(institution_id=institution.id))
    if found is not None and found.is_enabled:
        return found  # already public: nothing changes, nothing to audit
    if found is None:
        found = ProposalTracking(institution_id=institution.id)
        db.session.add(found)
    found.enabled_at = utcnow()
    found.enabled_by_id = actor.id
    found.disabled_at = None
    db.session.flush()
    audit.record(
        actor,
        "proposal_tracking.enable",
        found,
        f"Pelacakan usulan publik dibuka: {institution.name}",
        {"institution_id": institution.id},
    )
    db.session.commit()
    return found


def disable(actor: Any, institution: Institution) -> ProposalTracking | None:
    """Close the tracking page: its address answers 404 from now on."""
    found = tracking_of(institution.id)
    require(actor, MANAGE, found or ProposalTracking(institution_id=institution.id))
    if found is None or not found.is_enabled:
        return found
    found.disabled_at = utcnow()
    audit.record(
        actor,
        "proposal_tracking.disable",
        found,
        f"Pelacakan usulan publik ditutup: {institution.name}",
        {"institution_id": institution.id},
    )
    db.session.commit()
    return found


def published(slug: str) -> ProposalTracking:
    """The tracking behind ``slug`` while it is on; a slug never issued or one turned off:
    the same not found."""
    found = db.session.scalar(select(ProposalTracking).where(ProposalTracking.slug == slug[:32]))
    if found is None or not found.is_enabled:
        raise NotFound(scope.NOT_FOUND)
    return found


# --- what the public page shows -----------------------------------------------------------


def _language() -> str:
    return str(get_locale() or "id")


def rupiah(amount: int | None) -> str | None:
    return None if amount is None else "Rp " + f"{amount:,}".replace(",", ".")


def regions(institution_id: int) -> list[dict[str, Any]]:
    """The villages the institution holds proposals for, grouped by region (kecamatan or
    regency as the directory names it), both in alphabetical order."""
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.region)
        .where(
            Organization.level == OrgLevel.VILLAGE,
            Organization.id.in_(
                select(Proposal.village_id).where(Proposal.institution_id == institution_id)
            ),
        )
        .order_by(Organization.region, Organization.name)
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for village_id, name, region in rows:
        grouped.setdefault(region or "—", []).append({"id": village_id, "name": name})
    return [{"name": name, "villages": villages} for name, villages in grouped.items()]


def _meeting_step(meeting: Meeting) -> dict[str, Any]:
    zone = host_zone(meeting)
    lang = _language()
    return {
        "stage": "discussed",
        "label": str(STATUS_LABELS[ProposalStatus.DISCUSSED]),
        "detail": meeting.title,
        "meeting": meeting.title,
        "date_label": format_long_date(meeting.start_at, zone, lang),
        "time_label": format_time_in_zone(meeting.start_at, zone, lang).rsplit(" ", 1)[0],
        "zone_label": zone_label(zone, meeting.start_at),
        "timezone": zone,
    }


def _accommodated(mark: SyncMark) -> str:
    agency = mark.organization.name if mark.organization else _("instansi")
    parts = [p for p in (mark.programme, mark.activity) if p]
    plan = mark.plan_document or (str(mark.plan_year) if mark.plan_year else None)
    text = _("Diakomodasi dalam %(agency)s", agency=agency)
    if parts:
        text += ": " + " — ".join(parts)
    if plan:
        text += f" ({plan})"
    return text


def _outcome_step(mark: SyncMark) -> dict[str, Any] | None:
    if mark.outcome is None:
        return None
    step: dict[str, Any] = {
        "stage": mark.outcome.value,
        "confirmation": mark.confirmation.value,
        "label": str(OUTCOME_LABELS[mark.outcome]),
        "confirmation_label": str(CONFIRMATION_LABELS[mark.confirmation]),
    }
    if mark.outcome is MarkOutcome.ACCOMMODATED:
        step |= {
            "detail": _accommodated(mark),
            "agency": mark.organization.name if mark.organization else None,
            "programme": mark.programme,
            "activity": mark.activity,
            "plan_document": mark.plan_document,
            "plan_year": mark.plan_year,
            "amount": mark.amount,
            "amount_label": rupiah(mark.amount),
        }
    elif mark.outcome is MarkOutcome.CARRIED:
        forum = str(FORUM_LABELS[mark.carried_to]) if mark.carried_to else _("forum berikutnya")
        step |= {
            "detail": _("Dibawa ke %(forum)s", forum=forum),
            "forum": mark.carried_to.value if mark.carried_to else None,
            "forum_label": forum,
        }
    elif mark.outcome is MarkOutcome.MERGED:
        into = mark.merged_with.title if mark.merged_with else None
        step |= {
            "detail": _("Digabung dengan usulan: %(title)s", title=into) if into else _("Digabung"),
            "merged_into": into,
        }
    else:
        step |= {
            "detail": (
                _("Tidak diakomodasi karena %(reason)s", reason=mark.reason)
                if mark.reason
                else _("Tidak diakomodasi")
            ),
            "reason": mark.reason,
        }
    return step


def _action_step(action: Action) -> dict[str, Any]:
    return {
        "stage": "action",
        "label": _("Tindak lanjut"),
        "detail": action.title,
        "agency": action.organization.name,
        "action_status": action.status.value,
        "action_status_label": str(ACTION_STATUS_LABELS[action.status]),
        "due_on": action.due_on,
    }


def _path(proposal: Proposal, actions: dict[int, Action]) -> list[dict[str, Any]]:
    submitted = _("Diajukan untuk tahun rencana %(year)s", year=proposal.plan_year)
    if proposal.source_document:
        submitted += f" · {proposal.source_document}"
    steps = [
        {
            "stage": "submitted",
            "label": str(STATUS_LABELS[ProposalStatus.SUBMITTED]),
            "detail": submitted,
        }
    ]
    marks = [m for m in proposal.marks if m.meeting.status in SHOWN_MEETINGS]
    for mark in sorted(marks, key=lambda m: m.meeting.start_at):
        steps.append(_meeting_step(mark.meeting))
        outcome = _outcome_step(mark)
        if outcome is not None:
            steps.append(outcome)
        if mark.action_id in actions:
            steps.append(_action_step(actions[mark.action_id]))
    return steps


def _proposal(proposal: Proposal, actions: dict[int, Action]) -> dict[str, Any]:
    return {
        "id": proposal.id,
        "title": proposal.title,
        "village": proposal.village.name if proposal.village else None,
        "field": proposal.field.value,
        "field_label": str(FIELD_LABELS[proposal.field]),
        "sector": proposal.sector,
        "plan_year": proposal.plan_year,
        "budget": proposal.budget,
        "budget_label": rupiah(proposal.budget),
        "source_document": proposal.source_document,
        "status": proposal.status.value,
        "status_label": str(STATUS_LABELS[proposal.status]),
        "merged_into": proposal.merged_into.title if proposal.merged_into else None,
        "path": _path(proposal, actions),
    }


def proposals(
    institution_id: int, village_id: int | None = None, query: str | None = None
) -> list[dict[str, Any]]:
    """The institution's proposals for one village, or those whose title or village
    matches ``query``, each with its path through the meetings."""
    stmt = (
        select(Proposal)
        .where(Proposal.institution_id == institution_id)
        .options(
            selectinload(Proposal.village),
            selectinload(Proposal.merged_into),
            selectinload(Proposal.marks).selectinload(SyncMark.meeting),
            selectinload(Proposal.marks).selectinload(SyncMark.organization),
            selectinload(Proposal.marks).selectinload(SyncMark.merged_with),
        )
        .order_by(Proposal.plan_year.desc(), Proposal.title, Proposal.id)
        .limit(MAX_RESULTS)
    )
    if village_id is not None:
        stmt = stmt.where(Proposal.village_id == village_id)
    if query:
        pattern = f"%{query.lower()}%"
        villages = select(Organization.id).where(func.lower(Organization.name).like(pattern))
        stmt = stmt.where(
            or_(func.lower(Proposal.title).like(pattern), Proposal.village_id.in_(villages))
        )
    found = list(db.session.scalars(stmt))
    action_ids = {m.action_id for p in found for m in p.marks if m.action_id is not None}
    actions = {
        a.id: a
        for a in db.session.scalars(
            select(Action)
            .where(Action.id.in_(action_ids), Action.withdrawn_at.is_(None))
            .options(selectinload(Action.organization))
        )
    }
    return [_proposal(p, actions) for p in found]


def page(
    tracking: ProposalTracking, village_id: int | None = None, query: str | None = None
) -> dict[str, Any]:
    """The whole public page: the regions and villages to choose from and, once a village
    is chosen or a text searched, the proposals found. An unknown village: not found."""
    institution = db.session.get(Institution, tracking.institution_id)
    assert institution is not None  # the row cascades with its institution
    listed = regions(institution.id)
    village = None
    if village_id is not None:
        known = {v["id"]: v for r in listed for v in r["villages"]}
        if village_id not in known:
            raise NotFound(_("Desa tidak ditemukan."))
        village = known[village_id]
    query = (query or "").strip()[:MAX_QUERY] or None
    chosen = village is not None or query is not None
    return {
        "institution": institution.name,
        "language": _language(),
        "regions": listed,
        "village": village,
        "query": query,
        "proposals": proposals(institution.id, village_id, query) if chosen else [],
    }
