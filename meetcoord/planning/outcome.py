"""The outcome of a synchronisation meeting (issue 14, point 3): what its documents print
and the follow-up actions its rows become.

:func:`matrix_rows` reads the meeting's marks into the documents' snapshot rows
(``documents.pdf.matrix``), labels already Indonesian since the minutes and the berita
acara are formal Indonesian records; the documents take them when drafted and again when
frozen, so a signed PDF shows the matrix as it was signed.

:func:`create_actions` turns each accommodated or carried row into a follow-up
:class:`Action` of the meeting (so the tracker and the minutes' follow-up table list it)
owed by the responsible agency: the mark's agency for an accommodated row, the one chosen
for a carried row. The mark keeps the action's id, which makes it idempotent: a row
becomes an action once. It changes no mark's content, so it is allowed after the matrix
is locked.

The labels come from :mod:`meetcoord.planning.labels`, rendered under the Indonesian
locale (``force_locale("id")``): the documents are formal Indonesian records whatever the
language of the staff member who drafts them, while the pages show the same labels in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission, require
from meetcoord.actions.models import Action
from meetcoord.core import audit
from meetcoord.core.errors import ValidationError
from meetcoord.core.timezones import to_zone
from meetcoord.core.validation import parse_int
from meetcoord.directory.models import Organization
from meetcoord.documents.pdf.matrix import MatrixRowData
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.zones import host_zone
from meetcoord.planning.labels import (
    CONFIRMATION_LABELS,
    FIELD_LABELS,
    FORUM_LABELS,
    FUND_SOURCE_LABELS,
)
from meetcoord.planning.models import Confirmation, MarkOutcome, Proposal, SyncMark

DOCUMENT_LOCALE = "id"  # the minutes and the berita acara are Indonesian for every reader

# The rows that can become an action.
ACTIONABLE = (MarkOutcome.ACCOMMODATED, MarkOutcome.CARRIED)


def meeting_marks(meeting: Meeting, *, lock: bool = False) -> list[SyncMark]:
    """The meeting's matrix, in the order its rows were taken (``lock``: held until the
    commit, so two requests cannot both turn a row into an action)."""
    stmt = (
        select(SyncMark)
        .where(SyncMark.meeting_id == meeting.id)
        .options(
            selectinload(SyncMark.proposal).selectinload(Proposal.village),
            selectinload(SyncMark.organization),
            selectinload(SyncMark.merged_with),
        )
        .order_by(SyncMark.id)
    )
    if lock:
        stmt = stmt.with_for_update(of=SyncMark)
    return list(db.session.scalars(stmt))


def _row(mark: SyncMark) -> MatrixRowData:
    """One snapshot row; called under ``force_locale(DOCUMENT_LOCALE)``."""
    proposal = mark.proposal
    return MatrixRowData(
        proposal=proposal.title,
        village=proposal.village.name if proposal.village else None,
        field=str(FIELD_LABELS[proposal.field]),
        fund_source=str(FUND_SOURCE_LABELS[proposal.fund_source]),
        budget=proposal.budget,
        outcome=mark.outcome.value if mark.outcome else "",
        confirmation=str(CONFIRMATION_LABELS[mark.confirmation]),
        disputed=mark.confirmation is Confirmation.DISPUTED,
        agency=mark.organization.name if mark.organization else None,
        programme=mark.programme,
        activity=mark.activity,
        plan_document=mark.plan_document,
        plan_year=mark.plan_year,
        amount=mark.amount,
        carried_to=str(FORUM_LABELS[mark.carried_to]) if mark.carried_to else None,
        merged_with=mark.merged_with.title if mark.merged_with else None,
        reason=mark.reason,
    )


def matrix_rows(meeting: Meeting) -> list[MatrixRowData]:
    """The documents' rows of ``meeting``'s matrix (empty for a meeting without marks)."""
    marks = meeting_marks(meeting)
    with force_locale(DOCUMENT_LOCALE):
        return [_row(mark) for mark in marks]


# --- rows become actions --------------------------------------------------------------

DUE_REQUIRED = _l("Pilih tenggat tindak lanjut (TTTT-BB-HH).")
DUE_BEFORE_MEETING = _l("Tenggat tidak boleh sebelum tanggal rapat.")
UNKNOWN_ROW = _l("Baris matriks ini tidak ada di rapat ini.")
NOT_ACTIONABLE = _l(
    "Hanya usulan yang diakomodasi atau dibawa ke forum berikutnya yang dapat menjadi "
    "tindak lanjut."
)
UNKNOWN_AGENCY = _l("Instansi (OPD) tidak dikenal.")
CARRIED_AGENCY = _l(
    "Pilih instansi (OPD) penanggung jawab untuk usulan yang dibawa ke forum berikutnya."
)
NO_AGENCY = _l("Usulan yang diakomodasi ini belum punya instansi (OPD).")


def _invalid(field: str, message: Any) -> ValidationError:
    return ValidationError(message, errors={field: [message]})


def _due(raw: Any, meeting: Meeting) -> date:
    if isinstance(raw, date):
        due = raw
    else:
        try:
            due = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            raise _invalid("due_on", DUE_REQUIRED) from None
    if due < to_zone(meeting.start_at, host_zone(meeting)).date():
        raise _invalid("due_on", DUE_BEFORE_MEETING)
    return due


def _agency(raw: Any) -> Organization | None:
    if raw in (None, ""):
        return None
    found = db.session.get(Organization, parse_int(raw, minimum=1) or 0)
    if found is None:
        raise _invalid("organization_id", UNKNOWN_AGENCY)
    return found


def _chosen(marks: list[SyncMark], raw: Any) -> list[SyncMark]:
    """One row (``mark_id``) or, without it, every actionable row not yet an action."""
    if raw in (None, ""):
        return [m for m in marks if m.outcome in ACTIONABLE and m.action_id is None]
    mark_id = parse_int(raw, minimum=1)
    found = next((m for m in marks if m.id == mark_id), None)
    if found is None:
        raise _invalid("mark_id", UNKNOWN_ROW)
    if found.outcome not in ACTIONABLE:
        raise _invalid("mark_id", NOT_ACTIONABLE)
    return [found] if found.action_id is None else []


def action_title(mark: SyncMark) -> str:
    """ "Laksanakan usulan "Jalan tani" (Desa Kalembu)": names the proposal and village."""
    proposal = mark.proposal
    where = f" ({proposal.village.name})" if proposal.village else ""
    if mark.outcome is MarkOutcome.CARRIED:
        with force_locale(DOCUMENT_LOCALE):  # an action's title is stored, in Indonesian
            forum = f" ke {FORUM_LABELS[mark.carried_to]}" if mark.carried_to else ""
        return f'Kawal usulan "{proposal.title}"{where}{forum}'
    return f'Laksanakan usulan "{proposal.title}"{where}'


def create_actions(actor: Actor, meeting: Meeting, data: Mapping[str, Any]) -> list[Action]:
    """Make the follow-up actions of one row (``mark_id``) or of all the meeting's rows.

    ``due_on`` is required; ``organization_id``, when given, is the agency of the carried
    row asked for by ``mark_id``, or, for all rows, of the carried rows whose mark names no
    agency. Rows already an
    action are skipped, so a repeated request creates nothing. All or nothing: one row
    that cannot become an action refuses the request.
    """
    require(actor, Permission.MEETING_ARRANGE, meeting)
    due = _due(data.get("due_on"), meeting)
    chosen_agency = _agency(data.get("organization_id"))
    marks = meeting_marks(meeting, lock=True)
    rows = _chosen(marks, data.get("mark_id"))
    plans: list[tuple[SyncMark, Organization]] = []
    for mark in rows:
        if mark.outcome is MarkOutcome.CARRIED:
            # For one row the chosen agency is the answer; for all rows it only fills the
            # rows whose mark names none (a mark's own agency is never silently replaced).
            one_row = data.get("mark_id") not in (None, "")
            agency = (
                (chosen_agency or mark.organization)
                if one_row
                else (mark.organization or chosen_agency)
            )
            if agency is None:
                raise _invalid("organization_id", CARRIED_AGENCY)
        else:
            agency = mark.organization
            if agency is None:
                raise _invalid("mark_id", NO_AGENCY)
        plans.append((mark, agency))
    created: list[Action] = []
    for mark, agency in plans:
        village = mark.proposal.village
        action = Action(
            meeting_id=meeting.id,
            title=action_title(mark),
            organization_id=agency.id,
            locus=village.name[:200] if village else None,
            due_on=due,
        )
        db.session.add(action)
        db.session.flush()
        mark.action_id = action.id
        audit.record(
            actor.user,
            "sync_mark.action",
            mark,
            f"{action.title} → {agency.name}",
            {"action_id": action.id, "proposal_id": mark.proposal_id},
        )
        created.append(action)
    db.session.commit()
    return created
