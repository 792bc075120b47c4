"""The meeting's matrix outcome page: its rows, and turning them into follow-up actions.

A small page beside the meeting's documents: every row of the synchronisation matrix with
its outcome and, for an accommodated or carried row, the action it became or a "Buat
tindak lanjut" form (due date; the agency for a carried row). Handlers load, check access,
call :func:`~meetcoord.planning.outcome.create_actions` and redirect; a refusal renders
the page again with the reason and the input kept.
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
from meetcoord.core.errors import ServiceError
from meetcoord.core.forms import current_actor
from meetcoord.directory.models import Organization, OrgLevel
from meetcoord.documents.pdf.matrix import rupiah
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning import labels, outcome
from meetcoord.planning.locks import matrix_locked

bp = Blueprint("planning_outcome", __name__)


def _meeting(meeting_id: int) -> Meeting:
    return permissions.for_request(current_actor(), db.session.get(Meeting, meeting_id))


def _agencies() -> list[Organization]:
    """Who can owe an action: the directory's organizations that are not villages."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.level != OrgLevel.VILLAGE)
            .order_by(Organization.name)
        )
    )


def _page(meeting: Meeting, message: Any = None, errors: Any = None, status: int = 200) -> Any:
    marks = outcome.meeting_marks(meeting)
    may_arrange = permissions.allowed(current_actor(), Permission.MEETING_ARRANGE, meeting)
    actionable = [m for m in marks if m.outcome in outcome.ACTIONABLE]
    return (
        render_template(
            "planning/outcome.html",
            meeting=meeting,
            marks=marks,
            open_rows=[m for m in actionable if m.action_id is None],
            may_arrange=may_arrange,
            locked=matrix_locked(meeting.id),
            agencies=_agencies() if may_arrange and actionable else [],
            labels={
                "outcome": labels.OUTCOME_LABELS,
                "field": labels.FIELD_LABELS,
                "confirmation": labels.CONFIRMATION_LABELS,
                "forum": labels.FORUM_LABELS,
            },
            actionable=outcome.ACTIONABLE,
            rupiah=rupiah,
            message=message,
            errors=errors or {},
            submitted=request.form if request.method == "POST" else {},
        ),
        status,
    )


@bp.get("/meetings/<int:meeting_id>/matrix/outcome")
@requires(Permission.MEETING_VIEW)
def page(meeting_id: int) -> Any:
    return _page(_meeting(meeting_id))


@bp.post("/meetings/<int:meeting_id>/matrix/outcome/actions")
@requires(Permission.MEETING_ARRANGE)
def create_actions(meeting_id: int) -> Any:
    meeting = _meeting(meeting_id)
    try:
        created = outcome.create_actions(Actor(user=current_actor()), meeting, request.form)
    except ServiceError as exc:
        db.session.rollback()
        return _page(meeting, exc.message, exc.errors, exc.status)
    if created:
        flash(_("Tindak lanjut dibuat: %(n)s.", n=len(created)), "success")
    else:
        flash(_("Semua baris ini sudah menjadi tindak lanjut."), "info")
    return redirect(url_for("planning_outcome.page", meeting_id=meeting.id))
