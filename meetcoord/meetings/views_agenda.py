"""A meeting's agenda: add, edit, remove, move with ↑/↓ buttons, or reorder by dragging.

The buttons are plain forms (no JavaScript needed); ``static/js/agenda.js`` adds drag and
drop and posts the whole new order to :func:`agenda_reorder`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, get_template_attribute, jsonify, render_template, request
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.forms import current_actor, save_form
from meetcoord.core.i18n import current_language
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.meetings import agenda, forms, labels, services
from meetcoord.meetings.models import AgendaItem, Meeting
from meetcoord.meetings.views_support import (
    actor,
    bp,
    host_zone,
    render_detail,
    require_editor,
)
from meetcoord.meetings.workspace import back_to, tab_url


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(_("Butir agenda tidak ditemukan."))
    return item


def _back(meeting: Meeting) -> Any:
    return back_to(meeting, "agenda")


@bp.post("/<int:meeting_id>/agenda")
@requires(Permission.MEETING_ARRANGE)
def agenda_add(meeting_id: int) -> Any:
    meeting = services.get_meeting(meeting_id, current_actor())
    form = forms.AgendaForm()
    item, message, loose, status = save_form(
        form, lambda who, data: agenda.add_agenda_item(who, meeting, data)
    )
    wants_json = request.accept_mimetypes.best == "application/json"
    if item is None:
        if wants_json:  # agenda.js then submits the form the ordinary way, to show the errors
            return jsonify(ok=False, message=message), status
        return render_detail(meeting, status, agenda_form=form, message=message, loose_errors=loose)
    text = _("Butir agenda %(title)s ditambahkan.", title=item.title)
    if wants_json:
        return jsonify(ok=True, message=text, **_added_row(meeting, item))
    flash(text, "success")
    return _back(meeting)


def _added_row(meeting: Meeting, item: AgendaItem) -> dict[str, str]:
    """The new row and the updated summary, as the page renders them (agenda.js inserts
    them without reloading the page)."""
    macros = "meetings/_agenda_row.html"
    slots = agenda.agenda_schedule(meeting)
    slot = next(s for s in slots if s.item.id == item.id)
    row = get_template_attribute(macros, "agenda_row")(
        slot,
        meeting,
        True,
        len(slots) == 1,
        slot is slots[-1],
        {"agenda": labels.AGENDA_KIND_LABELS},
        host_zone(meeting),
        forms.ConfirmForm(),
    )
    summary = get_template_attribute(macros, "agenda_summary")(
        meeting, slots[-1].end_at, host_zone(meeting)
    )
    return {"html": str(row), "summary": str(summary)}


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def agenda_edit(meeting_id: int, item_id: int) -> Any:
    meeting = services.get_meeting(meeting_id, current_actor())
    item = _item(meeting, item_id)
    require_editor(meeting)
    form = forms.AgendaForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = item.kind.value
        form.planned_minutes.data = str(item.planned_minutes)
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form, lambda who, data: agenda.update_agenda_item(who, item, data)
        )
        if saved is not None:
            flash(_("Butir agenda %(title)s tersimpan.", title=saved.title), "success")
            return _back(meeting)
    return render_template(
        "meetings/form.html",
        form=form,
        title=_("Ubah butir agenda"),
        message=message,
        loose_errors=loose,
        hints={},
        cancel_url=tab_url(meeting, "agenda"),
    ), status


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/remove")
@requires(Permission.MEETING_ARRANGE)
def agenda_remove(meeting_id: int, item_id: int) -> Any:
    meeting = services.get_meeting(meeting_id, current_actor())
    item = _item(meeting, item_id)
    title = item.title
    agenda.remove_agenda_item(actor(), item)
    flash(_("Butir agenda %(title)s dihapus.", title=title), "success")
    return _back(meeting)


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/move")
@requires(Permission.MEETING_ARRANGE)
def agenda_move(meeting_id: int, item_id: int) -> Any:
    """The ↑/↓ buttons: ``direction`` is ``up`` or ``down``."""
    meeting = services.get_meeting(meeting_id, current_actor())
    item = _item(meeting, item_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        raise ValidationError(_("Arah tidak dikenal."), errors={"direction": ["up/down"]})
    agenda.move_agenda_item(actor(), item, offset)
    return _back(meeting)


@bp.post("/<int:meeting_id>/agenda/order")
@requires(Permission.MEETING_ARRANGE)
def agenda_reorder(meeting_id: int) -> Any:
    """Drag and drop: the whole order as ``order=3,1,2`` (form) or ``{"order": [...]}``."""
    meeting = services.get_meeting(meeting_id, current_actor())
    payload = request.get_json(silent=True) if request.is_json else None
    raw = (payload or {}).get("order") if payload is not None else request.form.get("order", "")
    try:
        ids = (
            [int(part) for part in raw]
            if isinstance(raw, list)
            else [int(part) for part in str(raw or "").split(",") if part.strip()]
        )
    except (TypeError, ValueError):
        ids = []
    try:
        ordered = agenda.reorder_agenda(actor(), meeting, ids)
    except ValidationError as exc:
        if request.is_json:
            return jsonify(ok=False, message=str(exc.message)), exc.status
        return render_detail(meeting, exc.status, tab="agenda", message=str(exc.message))
    if request.is_json:
        zone = host_zone(meeting)
        times = {
            str(slot.item.id): {
                "start": format_time_in_zone(slot.start_at, zone, current_language()),
                "end": format_time_in_zone(slot.end_at, zone, current_language()),
            }
            for slot in agenda.agenda_schedule(meeting)
        }
        return jsonify(ok=True, order=[item.id for item in ordered], times=times)
    return _back(meeting)
