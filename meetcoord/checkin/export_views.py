"""Attendance across a series or a forum, as CSV or XLSX, for the owning institution's
staff (a viewer included, as for a meeting's daftar hadir); another institution's
series or forum is not found."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.checkin import across
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor

bp = Blueprint("attendance_exports", __name__)


def _format(fmt: str) -> str:
    if fmt not in across.FORMATS:
        raise NotFound(_("Halaman tidak ditemukan."))
    return fmt


@bp.get("/series/<int:series_id>/attendance.<fmt>")
@requires(Permission.MEETING_VIEW)
def series_attendance(series_id: int, fmt: str) -> Response:
    actor = current_actor()
    return across.series_download(actor, across.get_series(actor, series_id), _format(fmt))


@bp.get("/forums/<int:forum_id>/attendance.<fmt>")
@requires(Permission.MEETING_VIEW)
def forum_attendance(forum_id: int, fmt: str) -> Response:
    actor = current_actor()
    return across.forum_download(actor, across.get_forum(actor, forum_id), _format(fmt))
