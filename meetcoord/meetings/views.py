"""Meeting pages for the secretariat: the list, create and edit, the meeting's page, and
its status actions (send invitations, cancel, clone, make or edit a series).

Sites, agenda and invitees have their own modules, registered on the same ``bp``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access import permissions
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.cleaning import Collector
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.core.forms import current_actor, save_form
from meetcoord.core.pagination import ListQuery
from meetcoord.core.validation import parse_int
from meetcoord.meetings import forms, labels, series, services
from meetcoord.meetings.models import Meeting, MeetingStatus, Series
from meetcoord.meetings.views_support import (
    actor,
    bp,
    can_edit,
    fill_meeting_form,
    host_zone,
    local_input,
    meeting_form,
    meeting_zones,
    render_detail,
    require_editor,
)
from meetcoord.meetings.workspace import back_to, current_tab, missing_roles, tab_url

__all__ = ["bp"]

FORM = "meetings/form.html"
CONFIRM = "meetings/confirm.html"
WHEN = ("", "upcoming", "past")


# --- list -------------------------------------------------------------------------------


@bp.get("/")
@requires(Permission.MEETING_VIEW)
def index() -> Any:
    """Meetings, soonest first (latest first for past ones), with search and filters."""
    status = request.args.get("status", "")
    when = request.args.get("when", "")
    filters: dict[str, Any] = {}
    if status in {member.value for member in MeetingStatus}:
        filters["status"] = status
    if when in WHEN[1:]:
        filters[when] = True
    query = ListQuery(
        q=request.args.get("q", "").strip()[:200],
        sort="start_at",
        descending=when == "past",
        page=parse_int(request.args.get("page"), minimum=1) or 1,
        per_page=current_app.config["PAGE_SIZE"],
        filters=filters,
    )
    page = services.list_meetings(query, current_actor())
    args = {key: value for key, value in request.args.items() if key != "page" and value != ""}
    return render_template(
        "meetings/list.html",
        page=page,
        args=args,
        zones={meeting.id: meeting_zones(meeting) for meeting in page.items},
        host_zone=host_zone,
        statuses=labels.STATUS_LABELS,
        kinds=labels.KIND_LABELS,
        can_edit=can_edit(),
    )


# --- create and edit --------------------------------------------------------------------


def _form_page(meeting: Meeting | None) -> Any:
    require_editor(meeting)
    form = meeting_form(forms.MeetingForm(), meeting)
    status, message, loose = 200, None, []
    if form.is_submitted():
        if meeting is None:
            saved, message, loose, status = save_form(form, services.create_meeting)
        else:
            saved, message, loose, status = save_form(
                form, lambda who, data: services.update_meeting(who, meeting, data)
            )
        if saved is not None:
            flash(_("Rapat %(title)s tersimpan.", title=saved.title), "success")
            return redirect(url_for("meetings.detail", meeting_id=saved.id))
    elif meeting is not None:
        fill_meeting_form(form, meeting)
    return render_template(
        FORM,
        form=form,
        title=_("Ubah rapat") if meeting else _("Rapat baru"),
        message=message,
        loose_errors=loose,
        hints={
            "start_at": forms.WHEN_HINT,
            "end_at": forms.WHEN_HINT,
            "quorum_value": forms.QUORUM_HINT,
        },
        cancel_url=(
            url_for("meetings.detail", meeting_id=meeting.id)
            if meeting
            else url_for("meetings.index")
        ),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def new() -> Any:
    return _form_page(None)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def edit(meeting_id: int) -> Any:
    return _form_page(services.get_meeting(meeting_id, current_actor()))


# --- the meeting's page and its status --------------------------------------------------


@bp.get("/<int:meeting_id>")
@requires(Permission.MEETING_VIEW)
def detail(meeting_id: int) -> Any:
    return render_detail(services.get_meeting(meeting_id, current_actor()))


@bp.post("/<int:meeting_id>/schedule")
@requires(Permission.MEETING_ARRANGE)
def schedule(meeting_id: int) -> Any:
    """ "Kirim undangan": draft → scheduled, every invitation goes to the outbox.

    Without a chair or a minute-taker invited, a warning page asks first (a meeting sent
    without them has nobody to run it or sign its minutes); it posts ``confirmed=1``.
    """
    meeting = services.get_meeting(meeting_id, current_actor())
    tab = current_tab()
    missing = missing_roles(meeting)
    draft = meeting.status is MeetingStatus.DRAFT
    if draft and missing and request.form.get("confirmed") != "1":
        require_editor(meeting)
        return render_template(
            "meetings/send_warning.html",
            meeting=meeting,
            missing=[labels.INVITEE_ROLE_LABELS[role] for role in missing],
            count=sum(1 for inv in meeting.invitations if inv.withdrawn_at is None),
            form=forms.ConfirmForm(),
            action=url_for("meetings.schedule", meeting_id=meeting.id, tab=tab),
            cancel_url=tab_url(meeting, "invitees"),
        )
    try:
        job = services.schedule(actor(), meeting)
    except (ValidationError, Conflict) as exc:
        loose = [str(m) for messages in exc.errors.values() for m in messages]
        return render_detail(
            meeting, exc.status, tab=tab, message=str(exc.message), loose_errors=loose
        )
    if job is not None:  # many invitees: the worker mails them (sending.INLINE_MAX)
        flash(
            _(
                "Rapat dijadwalkan; %(n)d undangan sedang dikirim di latar.",
                n=job.total,
            ),
            "success",
        )
        return back_to(meeting, tab)
    sent = sum(1 for inv in meeting.invitations if inv.withdrawn_at is None)
    flash(_("Rapat dijadwalkan; %(n)d undangan dikirim.", n=sent), "success")
    return back_to(meeting, tab)


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def cancel(meeting_id: int) -> Any:
    """GET asks for confirmation (works without JavaScript); POST cancels."""
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    if request.method == "POST":
        try:
            services.cancel_meeting(actor(), meeting)
        except Conflict as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
        flash(_("Rapat %(title)s dibatalkan.", title=meeting.title), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    sent = meeting.status in services.ACTIVE
    return render_template(
        CONFIRM,
        title=_("Batalkan rapat ini?"),
        question=(
            _(
                "%(title)s akan dibatalkan. Setiap undangan yang sudah dikirim "
                "menerima pembatalan.",
                title=meeting.title,
            )
            if sent
            else _("%(title)s akan dibatalkan.", title=meeting.title)
        ),
        button=_("Ya, batalkan rapat"),
        form=forms.ConfirmForm(),
        cancel_url=url_for("meetings.detail", meeting_id=meeting.id),
    )


@bp.route("/<int:meeting_id>/delete", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def delete(meeting_id: int) -> Any:
    """GET asks for confirmation (works without JavaScript); POST deletes the draft.

    Only a draft: once scheduled, people may hold it in their calendars, so it is cancelled
    instead (the page offers "Hapus draf" for drafts only; the service refuses the rest).
    """
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    title = meeting.title
    if request.method == "POST":
        try:
            services.delete_meeting(actor(), meeting)
        except Conflict as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("meetings.detail", meeting_id=meeting_id))
        flash(_("Draf rapat %(title)s dihapus.", title=title), "success")
        return redirect(url_for("meetings.index"))
    if meeting.status is not MeetingStatus.DRAFT:
        flash(
            _("Hanya rapat berstatus draf yang dapat dihapus; batalkan rapat ini bila perlu."),
            "error",
        )
        return redirect(url_for("meetings.detail", meeting_id=meeting_id))
    return render_template(
        CONFIRM,
        title=_("Hapus draf rapat ini?"),
        question=_(
            "%(title)s beserta lokasi, agenda dan daftar undangannya dihapus untuk "
            "selamanya. Belum ada undangan yang dikirim.",
            title=title,
        ),
        button=_("Ya, hapus draf"),
        form=forms.ConfirmForm(),
        cancel_url=url_for("meetings.detail", meeting_id=meeting_id),
    )


# --- clone and series -------------------------------------------------------------------


@bp.route("/<int:meeting_id>/clone", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def clone(meeting_id: int) -> Any:
    """A new draft with the same sites, agenda and invitees, starting at another time."""
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    form = forms.CloneForm()
    status, message, loose = 200, None, []
    zone = host_zone(meeting)
    if form.is_submitted():
        try:
            c = Collector({"start_at": form.start_at.data})
            c.moment("start_at", zone, required=True)
            start_at = c.done(_l("Waktu tidak valid."))["start_at"]
            copy = series.clone_meeting(actor(), meeting, start_at)
        except (ValidationError, Conflict) as exc:
            loose = form.apply_errors(exc.errors)
            message, status = str(exc.message), exc.status
        else:
            flash(_("Salinan rapat dibuat sebagai draf."), "success")
            return redirect(url_for("meetings.detail", meeting_id=copy.id))
    else:
        form.start_at.data = local_input(meeting.start_at, zone)
    return render_template(
        FORM,
        form=form,
        title=_("Salin rapat"),
        intro=_("Sebuah draf baru dengan lokasi, agenda dan undangan yang sama."),
        message=message,
        loose_errors=loose,
        hints={"start_at": forms.WHEN_HINT},
        cancel_url=url_for("meetings.detail", meeting_id=meeting.id),
    ), status


@bp.route("/<int:meeting_id>/series", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def make_series(meeting_id: int) -> Any:
    """Make this meeting the first of a series: "setiap 3 bulan pada Selasa kedua"."""
    meeting = services.get_meeting(meeting_id, current_actor())
    require_editor(meeting)
    form = forms.SeriesForm()
    status, message, loose = 200, None, []
    if form.is_submitted():
        try:
            made = series.create_series(actor(), meeting, form.rule())
        except (ValidationError, Conflict) as exc:
            loose = form.apply_errors(exc.errors)
            message, status = str(exc.message), exc.status
        else:
            flash(
                _("Seri dibuat: %(n)d rapat.", n=len(made.meetings)),
                "success",
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/series_form.html",
        form=form,
        meeting=meeting,
        message=message,
        loose_errors=loose,
        cancel_url=url_for("meetings.detail", meeting_id=meeting.id),
    ), status


def _get_series(series_id: int) -> Series:
    from meetcoord.extensions import db

    found = db.session.get(Series, series_id)
    return permissions.visible(current_actor(), found, _l("Seri tidak ditemukan."))


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def edit_series(series_id: int) -> Any:
    """Change every later occurrence not edited on its own; a new start shifts each one."""
    found = _get_series(series_id)
    require_editor(found)
    form = meeting_form(forms.SeriesEditForm())
    template = next(
        (
            m
            for m in found.meetings
            if m.status in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED)
            and not m.is_series_exception
        ),
        found.meetings[0] if found.meetings else None,
    )
    status, message, loose = 200, None, []
    if form.is_submitted():
        filled = {key: value for key, value in form.values().items() if value not in ("", None)}
        try:
            changed = series.update_series(actor(), found, filled)
        except (ValidationError, Conflict) as exc:
            loose = form.apply_errors(exc.errors)
            message, status = str(exc.message), exc.status
        else:
            flash(_("Seri diubah: %(n)d rapat ikut berubah.", n=len(changed)), "success")
            back = template.id if template else None
            return redirect(
                url_for("meetings.detail", meeting_id=back) if back else url_for("meetings.index")
            )
    elif template is not None:
        fill_meeting_form(form, template)
    return render_template(
        FORM,
        form=form,
        title=_("Ubah seri: %(title)s", title=found.title),
        intro=_(
            "Perubahan berlaku untuk setiap rapat seri ini yang belum berlangsung dan belum "
            "diubah sendiri. Waktu mulai baru menggeser setiap rapat dengan selisih yang sama."
        ),
        message=message,
        loose_errors=loose,
        hints={"start_at": forms.WHEN_HINT, "end_at": forms.WHEN_HINT},
        cancel_url=(
            url_for("meetings.detail", meeting_id=template.id)
            if template
            else url_for("meetings.index")
        ),
    ), status


# Registered on the same blueprint; imported for their side effect.
from meetcoord.meetings import (  # noqa: E402, F401
    views_agenda,
    views_invitees,
    views_sites,
    views_workspace,
)
