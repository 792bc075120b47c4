"""The staff page of a meeting's synchronisation matrix: put proposals on it by filter.

Only loads, checks access, calls one service (``live.matrix.add_proposals``, which also
tells the live room) and renders. Marking happens live, on the console.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from meetcoord.access import permissions
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.validation import parse_int
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.live import matrix as live_matrix
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.services import get_meeting
from meetcoord.planning import labels, matrix
from meetcoord.planning import totals as sums
from meetcoord.planning.models import Proposal

bp = Blueprint("matrix", __name__)
TEMPLATE = "planning/matrix.html"


def _villages(meeting: Meeting) -> list[Organization]:
    """The villages the meeting's institution has proposals for (the filter's choices)."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(
                Organization.id.in_(
                    select(Proposal.village_id).where(
                        Proposal.institution_id == meeting.institution_id
                    )
                )
            )
            .order_by(Organization.name)
        )
    )


def _render(meeting: Meeting, *, message: Any = None, status: int = 200) -> Any:
    rows = matrix.matrix_rows(meeting.id)
    return render_template(
        TEMPLATE,
        meeting=meeting,
        has_item=matrix.has_matrix(meeting),
        rows=rows,
        totals=sums.totals(rows),
        locked=matrix.matrix_locked(meeting.id),
        villages=_villages(meeting),
        fields=[(k.value, label) for k, label in labels.FIELD_LABELS.items()],
        outcomes=labels.OUTCOME_LABELS,
        most=matrix.MATRIX_MAX,
        message=message,
        form=request.form if request.method == "POST" else {},
        picked=request.form.getlist("village_ids") if request.method == "POST" else [],
    ), status


@bp.get("/meetings/<int:meeting_id>/matrix")
@requires(Permission.MEETING_ARRANGE)
def page(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    permissions.require(current_actor(), Permission.MEETING_ARRANGE, meeting)
    return _render(meeting)


@bp.post("/meetings/<int:meeting_id>/matrix")
@requires(Permission.MEETING_ARRANGE)
def add(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    permissions.require(current_actor(), Permission.MEETING_ARRANGE, meeting)
    year = request.form.get("plan_year", "").strip()
    plan_year = parse_int(year) if year else None
    if year and (plan_year is None or not 2000 <= plan_year <= 2100):
        return _render(meeting, message=_("Tahun rencana harus 2000–2100."), status=422)
    villages = [v for v in (parse_int(x) for x in request.form.getlist("village_ids")) if v]
    chosen = matrix.Selection(
        village_ids=villages, plan_year=plan_year, field=request.form.get("field") or None
    )
    actor = Actor(user=current_actor(), meeting=meeting)
    try:
        _seq, added = live_matrix.add_proposals(actor, meeting.id, chosen)
    except (ValidationError, Conflict) as exc:
        return _render(meeting, message=exc.message, status=exc.status)
    flash(_("%(n)s usulan masuk ke matriks.", n=added or 0), "success")
    return redirect(url_for("matrix.page", meeting_id=meeting.id))
