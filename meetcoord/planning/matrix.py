"""A meeting's synchronisation matrix: its rows, and the three changes made to it.

Staff put proposals on the matrix of a meeting that has a "sync_matrix" agenda item
(:func:`stage_add`); during the meeting the chair or the minute-taker marks each row
(:func:`stage_mark`) and the agency it names confirms or disputes it from a phone
(:func:`stage_confirm`). Each function works in the caller's transaction and commits
nothing: the live room's commands (``live.matrix``) run them inside ``live.log.run``, so a
change and its event are one commit, every site sees it in seq order, and a REST call and
a socket command with the same nonce get the same answer. Each asks
``locks.require_unlocked`` first: a signed berita acara freezes the matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaItem, AgendaKind, Meeting
from meetcoord.planning import totals as sums
from meetcoord.planning.locks import matrix_locked, require_unlocked
from meetcoord.planning.models import (
    Confirmation,
    MarkOutcome,
    PlanningForum,
    Proposal,
    ProposalStatus,
    SyncMark,
)

MATRIX_MAX = 2000  # rows on one meeting's matrix: what a room (and a phone) can carry
AMOUNT_MAX = 10**15  # whole Rupiah; a district's plan is far below

NO_ITEM = _l("Rapat ini tidak memiliki mata acara matriks sinkronisasi.")
NOT_ON_MATRIX = _l("Usulan tidak ada dalam matriks rapat ini.")
STALE = _l("Baris ini sudah diubah orang lain; muat ulang lalu tandai lagi.")
OTHER_AGENCY = _l("Anda hanya dapat mengonfirmasi baris instansi Anda sendiri.")
NOT_MARKED = _l("Baris ini belum ditandai; belum ada yang dikonfirmasi.")
TOO_MANY = _l("Matriks paling banyak memuat %(n)s usulan.", n=MATRIX_MAX)
NOTHING_FOUND = _l("Tidak ada usulan baru yang cocok dengan saringan ini.")


def matrix_item(meeting: Meeting) -> AgendaItem | None:
    """The meeting's synchronisation item (the first, should there be two)."""
    return next((i for i in meeting.agenda if i.kind is AgendaKind.SYNC_MATRIX), None)


def has_matrix(meeting: Meeting) -> bool:
    return matrix_item(meeting) is not None


def mark_dict(mark: SyncMark) -> dict[str, Any]:
    """One row as every client, the API and the totals read it."""
    p = mark.proposal
    return {
        "id": mark.id,
        "proposal_id": p.id,
        "title": p.title,
        "proposer": p.proposer_name,
        "village_id": p.village_id,
        "village": p.village.name if p.village else None,
        "field": p.field.value,
        "sector": p.sector,
        "fund_source": p.fund_source.value,
        "budget": p.budget,
        "score": float(p.priority_score) if p.priority_score is not None else None,
        "proposal_year": p.plan_year,
        "outcome": mark.outcome.value if mark.outcome else None,
        "organization_id": mark.organization_id,
        "organization": mark.organization.name if mark.organization else None,
        "programme": mark.programme,
        "activity": mark.activity,
        "plan_document": mark.plan_document,
        "plan_year": mark.plan_year,
        "amount": mark.amount,
        "carried_to": mark.carried_to.value if mark.carried_to else None,
        "merged_with_id": mark.merged_with_id,
        "merged_with": mark.merged_with.title if mark.merged_with else None,
        "reason": mark.reason,
        "confirmation": mark.confirmation.value,
        "confirmation_note": mark.confirmation_note,
        "confirmed_by": mark.confirmed_by,
        "marked_by": mark.marked_by,
        "version": mark.version,
    }


def matrix_marks(meeting_id: int) -> list[SyncMark]:
    """Every row of the matrix, in the order they were put on it (bounded)."""
    return list(
        db.session.scalars(
            select(SyncMark)
            .where(SyncMark.meeting_id == meeting_id)
            .options(
                selectinload(SyncMark.proposal).selectinload(Proposal.village),
                selectinload(SyncMark.organization),
                selectinload(SyncMark.merged_with),
            )
            .order_by(SyncMark.id)
            .limit(MATRIX_MAX)
        )
    )


def matrix_rows(meeting_id: int) -> list[dict[str, Any]]:
    return [mark_dict(m) for m in matrix_marks(meeting_id)]


def totals_rows(meeting_id: int) -> list[dict[str, Any]]:
    """The matrix's rows with only what ``totals.totals`` reads, in one plain query.

    Every mark's event carries the new totals; building them from :func:`matrix_rows`
    (300 rows loaded as objects with their proposal, village and agencies) took ~100 ms
    of the server's one thread per mark, so a room of 200 phones waited on it.
    """
    village, agency = aliased(Organization), aliased(Organization)
    query = (
        select(
            Proposal.budget,
            Proposal.village_id,
            village.name.label("village"),
            SyncMark.outcome,
            SyncMark.amount,
            SyncMark.confirmation,
            SyncMark.organization_id,
            agency.name.label("organization"),
        )
        .join(Proposal, Proposal.id == SyncMark.proposal_id)
        .outerjoin(village, village.id == Proposal.village_id)
        .outerjoin(agency, agency.id == SyncMark.organization_id)
        .where(SyncMark.meeting_id == meeting_id)
        .order_by(SyncMark.id)
        .limit(MATRIX_MAX)
    )
    rows = []
    for r in db.session.execute(query):
        row = r._asdict()
        row["outcome"] = r.outcome.value if r.outcome else None
        row["confirmation"] = r.confirmation.value
        rows.append(row)
    return rows


def matrix_state(meeting: Meeting) -> dict[str, Any] | None:
    """The matrix as the snapshot carries it; None for a meeting without the item."""
    item = matrix_item(meeting)
    if item is None:
        return None
    rows = matrix_rows(meeting.id)
    return {
        "item_id": item.id,
        "rows": rows,
        "totals": sums.totals(rows),
        "locked": matrix_locked(meeting.id),
    }


# --- putting proposals on the matrix ------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which proposals of the meeting's institution to put on its matrix; empty: all."""

    village_ids: Sequence[int] = ()
    plan_year: int | None = None
    field: str | None = None
    proposal_ids: Sequence[int] = ()


def _owners(meeting: Meeting) -> list[int]:
    return [i for i in (meeting.institution_id, meeting.cohost_institution_id) if i is not None]


def stage_add(actor: Actor, meeting: Meeting, chosen: Selection) -> list[SyncMark]:
    """New rows, not marked yet ("discussed"), for the proposals ``chosen`` that are not on
    this matrix already and not merged away; their status becomes discussed."""
    require_unlocked(meeting.id)
    item = matrix_item(meeting)
    if item is None:
        raise ValidationError(NO_ITEM)
    on_matrix = select(SyncMark.proposal_id).where(SyncMark.meeting_id == meeting.id)
    query = select(Proposal).where(
        Proposal.institution_id.in_(_owners(meeting)),
        Proposal.id.not_in(on_matrix),
        Proposal.status != ProposalStatus.MERGED,
    )
    if chosen.village_ids:
        query = query.where(Proposal.village_id.in_(list(chosen.village_ids)))
    if chosen.plan_year is not None:
        query = query.where(Proposal.plan_year == chosen.plan_year)
    if chosen.field:
        query = query.where(Proposal.field == chosen.field)
    if chosen.proposal_ids:
        query = query.where(Proposal.id.in_(list(chosen.proposal_ids)))
    have = db.session.scalar(
        select(func.count()).select_from(SyncMark).where(SyncMark.meeting_id == meeting.id)
    )
    found = list(
        db.session.scalars(
            query.order_by(Proposal.priority_score.desc().nulls_last(), Proposal.id).limit(
                MATRIX_MAX + 1
            )
        )
    )
    if not found:
        raise ValidationError(NOTHING_FOUND)
    if (have or 0) + len(found) > MATRIX_MAX:
        raise ValidationError(TOO_MANY)
    marks = []
    for proposal in found:
        mark = SyncMark(
            meeting_id=meeting.id,
            agenda_item_id=item.id,
            proposal=proposal,
            confirmation=Confirmation.PENDING,
            version=1,
        )
        if proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.CARRIED):
            proposal.status = ProposalStatus.DISCUSSED
        db.session.add(mark)
        marks.append(mark)
    db.session.flush()
    return marks


# --- marking --------------------------------------------------------------------------------


def _row(meeting: Meeting, mark_id: Any) -> SyncMark:
    mark = db.session.get(SyncMark, mark_id) if isinstance(mark_id, int) else None
    if mark is None or mark.meeting_id != meeting.id:
        raise ValidationError(NOT_ON_MATRIX, errors={"mark_id": [NOT_ON_MATRIX]})
    return mark


def row_keys(meeting: Meeting, mark_id: Any) -> dict[str, Any]:
    """The agency and village a row counts under now (empty when it is not on this
    matrix): a mark's event sends the totals of those it left as well as of the new ones."""
    mark = db.session.get(SyncMark, mark_id) if isinstance(mark_id, int) else None
    if mark is None or mark.meeting_id != meeting.id:
        return {}
    return {"organization_id": mark.organization_id, "village_id": mark.proposal.village_id}


def _refuse(errors: dict[str, Any]) -> None:
    if errors:
        said = " ".join(dict.fromkeys(str(m) for m in errors.values()))
        raise ValidationError(said, errors={k: [v] for k, v in errors.items()})


def _checked(meeting: Meeting, mark: SyncMark, data: Mapping[str, Any]) -> dict[str, Any]:
    """The row's new values for its outcome, or every reason it cannot be so marked."""
    try:
        outcome = MarkOutcome(data.get("outcome"))
    except ValueError:
        message = _l("Pilih hasil: diakomodasi, dibawa, digabung atau tidak diakomodasi.")
        raise ValidationError(message, errors={"outcome": [message]}) from None
    errors: dict[str, Any] = {}
    new: dict[str, Any] = dict.fromkeys(
        (
            "programme",
            "activity",
            "plan_document",
            "plan_year",
            "amount",
            "carried_to",
            "merged_with_id",
            "reason",
        )
    )
    new["outcome"] = outcome
    org_id = data.get("organization_id")
    if org_id is not None and db.session.get(Organization, org_id) is None:
        errors["organization_id"] = _l("Instansi (OPD) tidak dikenal.")
    new["organization_id"] = org_id
    new["reason"] = data.get("reason") or None
    if outcome is MarkOutcome.ACCOMMODATED:
        if org_id is None:
            errors["organization_id"] = _l("Usulan yang diakomodasi perlu instansi (OPD).")
        if not (data.get("programme") or data.get("activity")):
            errors["programme"] = _l("Isi program atau kegiatan yang menampung usulan.")
        if data.get("plan_year") is None:
            errors["plan_year"] = _l("Isi tahun rencana (mis. RKPD 2025).")
        amount = data.get("amount")
        if amount is None or isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            errors["amount"] = _l("Pagu harus bilangan bulat rupiah 0 atau lebih.")
        new.update(
            {k: data.get(k) or None for k in ("programme", "activity", "plan_document")},
            plan_year=data.get("plan_year"),
            amount=amount,
        )
    elif outcome is MarkOutcome.CARRIED:
        try:
            new["carried_to"] = PlanningForum(data.get("carried_to"))
        except ValueError:
            errors["carried_to"] = _l("Pilih forum tujuan (Musrenbangcam, Musrenbangkab, …).")
    elif outcome is MarkOutcome.MERGED:
        other = data.get("merged_with_id")
        target = (
            db.session.scalar(
                select(SyncMark).where(
                    SyncMark.meeting_id == meeting.id, SyncMark.proposal_id == other
                )
            )
            if isinstance(other, int) and other != mark.proposal_id
            else None
        )
        if target is None or target.proposal.institution_id != mark.proposal.institution_id:
            errors["merged_with_id"] = _l("Pilih usulan lain dalam matriks ini untuk digabung.")
        new["merged_with_id"] = other
    elif not new["reason"]:
        errors["reason"] = _l("Tulis alasan usulan tidak diakomodasi.")
    _refuse(errors)
    return new


PROPOSAL_STATUS = {
    MarkOutcome.ACCOMMODATED: ProposalStatus.ACCOMMODATED,
    MarkOutcome.CARRIED: ProposalStatus.CARRIED,
    MarkOutcome.MERGED: ProposalStatus.MERGED,
    MarkOutcome.NOT_ACCOMMODATED: ProposalStatus.NOT_ACCOMMODATED,
}


def stage_mark(actor: Actor, meeting: Meeting, data: Mapping[str, Any]) -> SyncMark:
    """Mark one row; a stale ``version`` is refused. The agency's answer starts over
    (a changed mark is not what it confirmed), and the proposal's status follows."""
    require_unlocked(meeting.id)
    mark = _row(meeting, data.get("mark_id"))
    if data.get("version") != mark.version:
        raise Conflict(STALE)
    new = _checked(meeting, mark, data)
    proposal = mark.proposal
    if mark.merged_with_id is not None and proposal.merged_into_id == mark.merged_with_id:
        proposal.merged_into_id = None  # this matrix had merged it; no longer
    for key, value in new.items():
        setattr(mark, key, value)
    mark.confirmation = Confirmation.PENDING
    mark.confirmation_note = mark.confirmed_by = mark.confirmed_at = None
    mark.marked_by, mark.marked_at = actor.label, utcnow()
    mark.version += 1
    proposal.status = PROPOSAL_STATUS[new["outcome"]]
    if new["outcome"] is MarkOutcome.MERGED:
        proposal.merged_into_id = new["merged_with_id"]
    db.session.flush()
    db.session.refresh(mark)  # the relationships of changed ids, for the event's row
    return mark


def agency_of(actor: Actor) -> int | None:
    """The organization the personal link's person belongs to (their agency), or None."""
    invitation = actor.invitation
    if invitation is None or invitation.person is None:
        return None
    return invitation.person.organization_id


def stage_confirm(actor: Actor, meeting: Meeting, data: Mapping[str, Any]) -> SyncMark:
    """The agency's answer to its row: confirmed, or disputed with a note. Only the
    person of the row's agency, or the meeting's staff, may answer; a disputed row stays
    disputed (shown to everyone) until it is re-marked or confirmed."""
    require_unlocked(meeting.id)
    mark = _row(meeting, data.get("mark_id"))
    if not actor.is_staff and (
        mark.organization_id is None or agency_of(actor) != mark.organization_id
    ):
        raise PermissionDenied(OTHER_AGENCY)
    if mark.outcome is None:
        raise ValidationError(NOT_MARKED, errors={"mark_id": [NOT_MARKED]})
    if data.get("version") is not None and data["version"] != mark.version:
        raise Conflict(STALE)
    try:
        answer = Confirmation(data.get("answer"))
        if answer is Confirmation.PENDING:
            raise ValueError
    except ValueError:
        message = _l("Jawaban harus dikonfirmasi atau disanggah.")
        raise ValidationError(message, errors={"answer": [message]}) from None
    note = data.get("note") or None
    if answer is Confirmation.DISPUTED and not note:
        message = _l("Tulis catatan mengapa baris ini disanggah.")
        raise ValidationError(message, errors={"note": [message]})
    mark.confirmation, mark.confirmation_note = answer, note
    mark.confirmed_by, mark.confirmed_at = actor.label, utcnow()
    db.session.flush()
    return mark


def may_mark(actor: Actor) -> bool:
    """The chair, the minute-taker, the institution's staff (the command table's row)."""
    return actor.may(Permission.LIVE_RECORD)
