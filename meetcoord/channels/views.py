"""The meeting page's "Saluran daring" section: add, edit and remove a channel (staff).

Handlers load, check access and call one service; a refused form comes back on the
meeting page with the service's messages beside its fields, and nothing is changed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.channels import services
from meetcoord.channels.forms import ChannelForm
from meetcoord.core.errors import Conflict
from meetcoord.core.forms import current_actor, save_form
from meetcoord.meetings import forms as meeting_forms
from meetcoord.meetings import services as meetings
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.views_support import render_detail, require_editor

bp = Blueprint("channels", __name__, url_prefix="/meetings")


def _back(meeting: Meeting) -> Any:
    return redirect(
        url_for("meetings.detail", meeting_id=meeting.id, tab="sites", _anchor="channels")
    )


@bp.post("/<int:meeting_id>/channels")
@requires(Permission.MEETING_ARRANGE)
def channel_add(meeting_id: int) -> Any:
    meeting = meetings.get_meeting(meeting_id, current_actor())
    form = ChannelForm().set_sites(meeting)
    channel, message, loose, status = save_form(
        form, lambda who, data: services.add_channel(who, meeting, data)
    )
    if channel is None:
        return render_detail(
            meeting, status, channel_form=form, message=message, loose_errors=loose
        )
    flash(_("Saluran %(name)s ditambahkan.", name=channel.label), "success")
    return _back(meeting)


@bp.route("/<int:meeting_id>/channels/<int:channel_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def channel_edit(meeting_id: int, channel_id: int) -> Any:
    channel = services.get_channel(current_actor(), meeting_id, channel_id)
    meeting = channel.meeting
    require_editor(meeting)
    form = ChannelForm().set_sites(meeting)
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form, lambda who, data: services.update_channel(who, channel, data)
        )
        if saved is not None:
            flash(_("Saluran %(name)s tersimpan.", name=channel.label), "success")
            return _back(meeting)
    else:
        form.fill(channel)
    return render_template(
        "meetings/form.html",
        form=form,
        title=_("Ubah saluran: %(name)s", name=channel.label),
        intro=None,
        message=message,
        loose_errors=loose,
        hints={},
        cancel_url=url_for(
            "meetings.detail", meeting_id=meeting.id, tab="sites", _anchor="channels"
        ),
    ), status


@bp.route("/<int:meeting_id>/channels/<int:channel_id>/remove", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def channel_remove(meeting_id: int, channel_id: int) -> Any:
    """GET asks for confirmation; POST removes."""
    channel = services.get_channel(current_actor(), meeting_id, channel_id)
    meeting = channel.meeting
    require_editor(meeting)
    form = meeting_forms.ConfirmForm()
    if request.method == "POST":  # the CSRF token is checked for every POST (csrf)
        name = channel.label
        try:
            services.remove_channel(current_actor(), channel)
        except Conflict as exc:
            return render_detail(meeting, exc.status, tab="sites", message=str(exc.message))
        flash(_("Saluran %(name)s dihapus.", name=name), "success")
        return _back(meeting)
    return render_template(
        "meetings/confirm.html",
        title=_("Hapus saluran ini?"),
        question=_(
            "Peserta tidak lagi melihat %(name)s (%(url)s) di halaman mereka.",
            name=channel.label,
            url=channel.url,
        ),
        button=_("Ya, hapus saluran"),
        form=form,
        cancel_url=url_for(
            "meetings.detail", meeting_id=meeting.id, tab="sites", _anchor="channels"
        ),
    )
