"""The secretariat's pages for a video platform's participant report.

Upload (with the zone its times are in: the host's by default) → a preview of who would be
recorded, already present or left unmatched → confirm or discard. Below, the participants
nobody was matched to, each to match to an invitation by hand or to dismiss. Editors only
(the services check the meeting's institution as well).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.checkin import platform_import as service
from meetcoord.core.errors import ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.timezones import PRIMARY_ZONES, zone_choices
from meetcoord.core.validation import parse_int
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.services import get_meeting, require_editor
from meetcoord.meetings.zones import host_zone

bp = Blueprint("platform_import", __name__, url_prefix="/meetings")


def _home(meeting_id: int) -> Any:
    return redirect(url_for("platform_import.page", meeting_id=meeting_id))


def _editable(meeting_id: int) -> Meeting:
    meeting = get_meeting(meeting_id, current_actor())
    require_editor(current_actor(), meeting)
    return meeting


def limits() -> dict[str, int]:
    return {
        "max_bytes": current_app.config["CSV_MAX_BYTES"],
        "max_rows": current_app.config["CSV_MAX_ROWS"],
    }


def invitation_options(meeting: Meeting) -> list[tuple[int, str]]:
    """Invitees not yet present, for matching a participant by hand."""
    from meetcoord.checkin.models import Attendance

    present = select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)
    rows = db.session.scalars(
        select(Invitation)
        .options(selectinload(Invitation.person))
        .where(
            Invitation.meeting_id == meeting.id,
            Invitation.withdrawn_at.is_(None),
            Invitation.person_id.not_in(present),
        )
    ).all()
    options = [
        (i.id, f"{i.person.name}" + (f" — {i.person.email}" if i.person.email else ""))
        for i in rows
    ]
    return sorted(options, key=lambda o: o[1].casefold())


def _render(meeting: Meeting, *, errors: list[str] | None = None, status: int = 200) -> Any:
    zone = request.form.get("zone") or host_zone(meeting)
    primary = [c for c in zone_choices() if c[0] in PRIMARY_ZONES]
    return render_template(
        "checkin/platform_import.html",
        meeting=meeting,
        imports=service.imports_of(meeting),
        waiting=service.waiting(meeting),
        options=invitation_options(meeting),
        zones=primary if zone in PRIMARY_ZONES else [(zone, zone), *primary],
        zone=zone,
        errors=errors,
        max_kb=limits()["max_bytes"] // 1024,
        max_rows=limits()["max_rows"],
        summary=service.summary,
    ), status


@bp.get("/<int:meeting_id>/attendance/platform")
@requires(Permission.MEETING_ARRANGE)
def page(meeting_id: int) -> Any:
    return _render(_editable(meeting_id))


@bp.post("/<int:meeting_id>/attendance/platform")
@requires(Permission.MEETING_ARRANGE)
def upload(meeting_id: int) -> Any:
    meeting = _editable(meeting_id)
    file = request.files.get("file")
    raw = file.read(limits()["max_bytes"] + 1) if file else b""
    try:
        imported = service.upload(
            current_actor(),
            meeting,
            raw,
            filename=file.filename if file else None,
            zone=request.form.get("zone"),
            **limits(),
        )
    except service.ReportRefused as refused:
        return _render(get_meeting(meeting_id, current_actor()), errors=refused.reasons, status=422)
    return redirect(
        url_for("platform_import.preview", meeting_id=meeting_id, import_id=imported.id)
    )


@bp.get("/<int:meeting_id>/attendance/platform/<int:import_id>")
@requires(Permission.MEETING_ARRANGE)
def preview(meeting_id: int, import_id: int) -> Any:
    meeting = _editable(meeting_id)
    imported = service.get_import(meeting, import_id)
    return render_template(
        "checkin/platform_preview.html",
        meeting=meeting,
        imported=imported,
        counts=service.summary(imported),
    )


@bp.post("/<int:meeting_id>/attendance/platform/<int:import_id>/confirm")
@requires(Permission.MEETING_ARRANGE)
def confirm(meeting_id: int, import_id: int) -> Any:
    meeting = _editable(meeting_id)
    done = service.confirm(current_actor(), meeting, service.get_import(meeting, import_id))
    flash(
        _(
            "%(matched)d peserta tercatat hadir daring; %(already)d sudah hadir; "
            "%(unmatched)d belum cocok.",
            matched=done.matched,
            already=done.already,
            unmatched=done.unmatched,
        ),
        "success",
    )
    return _home(meeting_id)


@bp.post("/<int:meeting_id>/attendance/platform/<int:import_id>/discard")
@requires(Permission.MEETING_ARRANGE)
def discard(meeting_id: int, import_id: int) -> Any:
    meeting = _editable(meeting_id)
    service.discard(current_actor(), meeting, service.get_import(meeting, import_id))
    flash(_("Impor dibatalkan; tidak ada data yang disimpan."), "success")
    return _home(meeting_id)


@bp.post("/<int:meeting_id>/attendance/platform/participants/<int:participant_id>/match")
@requires(Permission.MEETING_ARRANGE)
def match(meeting_id: int, participant_id: int) -> Any:
    meeting = _editable(meeting_id)
    invitation_id = parse_int(request.form.get("invitation_id", ""), minimum=1)
    if invitation_id is None:
        raise ValidationError(
            _("Data tidak valid."), errors={"invitation_id": [_("Pilih dari daftar.")]}
        )
    found = service.match_by_hand(current_actor(), meeting, participant_id, invitation_id)
    flash(_("%(name)s dicocokkan.", name=found.name), "success")
    return _home(meeting_id)


@bp.post("/<int:meeting_id>/attendance/platform/participants/<int:participant_id>/dismiss")
@requires(Permission.MEETING_ARRANGE)
def dismiss(meeting_id: int, participant_id: int) -> Any:
    meeting = _editable(meeting_id)
    found = service.dismiss(current_actor(), meeting, participant_id)
    flash(_("%(name)s diabaikan.", name=found.name), "success")
    return _home(meeting_id)
