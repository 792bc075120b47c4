"""The secretariat's attendance page: who is here per site, quorum, conflicts, documents.

Every staff account may read it and download the daftar hadir (a viewer included); only
editors (secretariat, admin) tick names, check people out and settle conflicts — the
services refuse anyone else. Site coordinators work at their desk page, not here.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from uuid import uuid4

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access import permissions
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.checkin import records, staff
from meetcoord.checkin.breakdown import attendance_breakdown
from meetcoord.checkin.lists import attendance_lists, attendance_time
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.i18n import current_language
from meetcoord.core.validation import parse_int
from meetcoord.meetings.services import get_meeting
from meetcoord.meetings.zones import host_zone

FORMATS = records.FORMATS

bp = Blueprint("attendance", __name__, url_prefix="/meetings")


def _can_edit(meeting: Any = None) -> bool:
    return permissions.allowed(current_actor(), Permission.MEETING_ARRANGE, meeting)


def _page(meeting_id: int) -> Any:
    return redirect(url_for("attendance.page", meeting_id=meeting_id))


def _int(name: str, *, optional: bool = False) -> int | None:
    raw = request.form.get(name, "").strip()
    if optional and raw in ("", "online"):
        return None
    value = parse_int(raw, minimum=1)
    if value is None:
        raise ValidationError(_("Data tidak valid."), errors={name: [_("Pilih dari daftar.")]})
    return value


@bp.get("/<int:meeting_id>/attendance")
@requires(Permission.MEETING_VIEW)
def page(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    data = staff.attendance_page(meeting)
    return render_template(
        "checkin/attendance.html",
        meeting=meeting,
        data=data,
        counts=data.presence.as_dict(),
        breakdown=attendance_breakdown(meeting.id, current_language()),
        host_zone=host_zone(meeting),
        stamp=partial(attendance_time, meeting_start=meeting.start_at),
        can_edit=_can_edit(meeting),
        nonce=uuid4().hex,
        formats=list(FORMATS),
    )


@bp.post("/<int:meeting_id>/attendance/checkin")
@requires(Permission.MEETING_ARRANGE)
def manual_checkin(meeting_id: int) -> Any:
    meeting = get_meeting(meeting_id, current_actor())
    result = staff.manual_checkin(
        current_actor(),
        meeting,
        _int("invitation_id") or 0,
        _int("site_id", optional=True),
        request.form.get("nonce", ""),
    )
    flash(result.message, "success" if result.ok else "error")
    return _page(meeting_id)


@bp.post("/<int:meeting_id>/attendance/<int:attendance_id>/checkout")
@requires(Permission.MEETING_ARRANGE)
def checkout(meeting_id: int, attendance_id: int) -> Any:
    attendance = staff.staff_check_out(
        current_actor(), get_meeting(meeting_id, current_actor()), attendance_id
    )
    flash(_("%(name)s tercatat keluar.", name=attendance.person.name), "success")
    return _page(meeting_id)


@bp.post("/<int:meeting_id>/attendance/conflicts/<int:conflict_id>/resolve")
@requires(Permission.MEETING_ARRANGE)
def resolve(meeting_id: int, conflict_id: int) -> Any:
    staff.resolve_conflict(current_actor(), get_meeting(meeting_id, current_actor()), conflict_id)
    flash(_("Konflik ditandai selesai."), "success")
    return _page(meeting_id)


@bp.get("/<int:meeting_id>/attendance/<key>.<fmt>")
@requires(Permission.MEETING_VIEW)
def download(meeting_id: int, key: str, fmt: str) -> Any:
    """``key``: a site id, ``online`` or ``all`` (every site, and totals for the meeting)."""
    meeting = get_meeting(meeting_id, current_actor())
    if fmt not in FORMATS or attendance_lists(meeting).by_key(key) is None:
        raise NotFound(_("Halaman tidak ditemukan."))
    return records.download(meeting, fmt, key)
