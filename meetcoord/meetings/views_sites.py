"""A meeting's linked sites: add a venue with its coordinator and seats, edit, remove."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, NotFound
from meetcoord.core.forms import current_actor, save_form
from meetcoord.directory.forms import NONE_PAIR, options
from meetcoord.meetings import forms, services
from meetcoord.meetings.models import Meeting, MeetingSite
from meetcoord.meetings.views_support import (
    actor,
    bp,
    fill_quorum,
    person_pairs,
    render_detail,
    require_editor,
    site_form,
)
from meetcoord.meetings.workspace import back_to, tab_url


def _site(meeting: Meeting, site_id: int) -> MeetingSite:
    site = next((s for s in meeting.sites if s.id == site_id), None)
    if site is None:
        raise NotFound(_("Lokasi tidak ditemukan."))
    return site


def _back(meeting: Meeting) -> Any:
    return back_to(meeting, "sites")


@bp.post("/<int:meeting_id>/sites")
@requires(Permission.MEETING_ARRANGE)
def site_add(meeting_id: int) -> Any:
    meeting = services.get_meeting(meeting_id, current_actor())
    form = site_form()
    site, message, loose, status = save_form(
        form, lambda who, data: services.add_site(who, meeting, data)
    )
    if site is None:
        return render_detail(meeting, status, site_form=form, message=message, loose_errors=loose)
    flash(_("Lokasi %(name)s ditambahkan.", name=site.venue.name), "success")
    return _back(meeting)


@bp.route("/<int:meeting_id>/sites/<int:site_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def site_edit(meeting_id: int, site_id: int) -> Any:
    meeting = services.get_meeting(meeting_id, current_actor())
    site = _site(meeting, site_id)
    require_editor(meeting)
    form = forms.SiteEditForm()
    form.coordinator_id.choices = options([NONE_PAIR, *person_pairs()])
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form, lambda who, data: services.update_site(who, site, data)
        )
        if saved is not None:
            flash(_("Lokasi %(name)s tersimpan.", name=site.venue.name), "success")
            return _back(meeting)
    else:
        form.coordinator_id.data = str(site.coordinator_id or "")
        form.capacity.data = str(site.capacity or "")
        fill_quorum(form, site)
    return render_template(
        "meetings/form.html",
        form=form,
        title=_("Ubah lokasi: %(name)s", name=site.venue.name),
        intro=_(
            "Kosongkan kapasitas untuk memakai kapasitas tempat (%(n)s kursi).",
            n=site.venue.capacity or "—",
        ),
        message=message,
        loose_errors=loose,
        hints={},
        cancel_url=tab_url(meeting, "sites"),
    ), status


@bp.route("/<int:meeting_id>/sites/<int:site_id>/remove", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def site_remove(meeting_id: int, site_id: int) -> Any:
    """GET asks for confirmation; POST removes, or says why not (people invited there)."""
    meeting = services.get_meeting(meeting_id, current_actor())
    site = _site(meeting, site_id)
    require_editor(meeting)
    if request.method == "POST":
        name = site.venue.name
        try:
            services.remove_site(actor(), site)
        except Conflict as exc:
            return render_detail(meeting, exc.status, tab="sites", message=str(exc.message))
        flash(_("Lokasi %(name)s dihapus dari rapat.", name=name), "success")
        return _back(meeting)
    return render_template(
        "meetings/confirm.html",
        title=_("Hapus lokasi ini?"),
        question=_(
            "%(name)s tidak lagi menjadi lokasi %(title)s.",
            name=site.venue.name,
            title=meeting.title,
        ),
        button=_("Ya, hapus lokasi"),
        form=forms.ConfirmForm(),
        cancel_url=tab_url(meeting, "sites"),
    )
