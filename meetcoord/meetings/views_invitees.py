"""Invitees: a person, a whole organization or a whole forum, each with a role and a site
or online; change someone's role or site; withdraw an invitation after a confirmation;
mail someone their own personal link again (staff never see it: ``meetings.resend``)."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, NotFound, ServiceError, ValidationError
from meetcoord.core.forms import current_actor, save_form
from meetcoord.meetings import forms, invitations, resend, services
from meetcoord.meetings.models import Invitation, Meeting
from meetcoord.meetings.views_support import (
    actor,
    bp,
    invite_forms,
    render_detail,
    require_editor,
)
from meetcoord.meetings.workspace import back_to, tab_url

SOURCES = {
    "person": ("invite_person", forms.InvitePersonForm, "p"),
    "organization": ("invite_organization", forms.InviteOrganizationForm, "o"),
    "forum": ("invite_forum", forms.InviteForumForm, "f"),
}


def _invitation(meeting: Meeting, invitation_id: int) -> Invitation:
    found = next(
        (
            inv
            for inv in meeting.invitations
            if inv.id == invitation_id and inv.withdrawn_at is None
        ),
        None,
    )
    if found is None:
        raise NotFound(_("Undangan tidak ditemukan."))
    return found


def _confirm(meeting: Meeting, **texts: Any) -> Any:
    """The confirmation page of an invitee action (title, question, button[, button_class])."""
    return render_template(
        "meetings/confirm.html",
        form=forms.ConfirmForm(),
        cancel_url=tab_url(meeting, "invitees"),
        **texts,
    )


def _back(meeting: Meeting) -> Any:
    return back_to(meeting, "invitees")


@bp.post("/<int:meeting_id>/invitations/<source>")
@requires(Permission.MEETING_ARRANGE)
def invite(meeting_id: int, source: str) -> Any:
    """Invite by ``source``: ``person``, ``organization`` or ``forum``."""
    meeting = services.get_meeting(meeting_id, current_actor())
    if source not in SOURCES:
        raise NotFound(_("Halaman tidak ditemukan."))
    key, form_class, prefix = SOURCES[source]
    bound = invite_forms(meeting, **{key: form_class(prefix=prefix)})
    form = bound[key]
    result, message, loose, status = save_form(
        form, lambda who, data: invitations.invite(who, meeting, data)
    )
    if result is None:
        bound.pop(key)
        return render_detail(
            meeting, status, message=message, loose_errors=loose, **{key: form}, **bound
        )
    text = _("%(n)d orang diundang.", n=len(result.created))
    if result.already_invited:
        text += " " + _("%(n)d sudah diundang sebelumnya.", n=result.already_invited)
    flash(text, "success")
    return _back(meeting)


@bp.post("/<int:meeting_id>/invitations/<int:invitation_id>/edit")
@requires(Permission.MEETING_ARRANGE)
def invitation_edit(meeting_id: int, invitation_id: int) -> Any:
    """Change role or site (an empty site is online); a site change mails only this person."""
    meeting = services.get_meeting(meeting_id, current_actor())
    found = _invitation(meeting, invitation_id)
    data: dict[str, Any] = {}
    if "role" in request.form:
        data["role"] = request.form["role"]
    if "site_id" in request.form:
        data["site_id"] = request.form["site_id"] or None
    try:
        invitations.update_invitation(actor(), found, data)
    except (ValidationError, Conflict) as exc:
        loose = [str(m) for messages in exc.errors.values() for m in messages]
        return render_detail(
            meeting, exc.status, tab="invitees", message=str(exc.message), loose_errors=loose
        )
    flash(_("Undangan %(name)s tersimpan.", name=found.person.name), "success")
    return _back(meeting)


@bp.route("/<int:meeting_id>/invitations/<int:invitation_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def invitation_withdraw(meeting_id: int, invitation_id: int) -> Any:
    """GET asks for confirmation; POST withdraws (their link stops working)."""
    meeting = services.get_meeting(meeting_id, current_actor())
    found = _invitation(meeting, invitation_id)
    require_editor(meeting)
    if request.method == "POST":
        invitations.withdraw_invitation(actor(), found)
        flash(_("Undangan %(name)s ditarik.", name=found.person.name), "success")
        return _back(meeting)
    return _confirm(
        meeting,
        title=_("Tarik undangan ini?"),
        question=_(
            "Undangan %(name)s untuk %(title)s ditarik: tautan pribadinya tidak berlaku lagi "
            "dan kalendernya menerima pembatalan bila undangan sudah dikirim.",
            name=found.person.name,
            title=meeting.title,
        ),
        button=_("Ya, tarik undangan"),
    )


@bp.route("/<int:meeting_id>/invitations/<int:invitation_id>/resend-link", methods=["GET", "POST"])
@requires(Permission.MEETING_ARRANGE)
def invitation_resend_link(meeting_id: int, invitation_id: int) -> Any:
    """GET asks for confirmation; POST mails the invitee their own link (never shown here)."""
    meeting = services.get_meeting(meeting_id, current_actor())
    found = _invitation(meeting, invitation_id)
    require_editor(meeting)
    if request.method == "POST":
        try:
            address = resend.resend_link(actor(), found)
        except ServiceError as exc:
            loose = [str(m) for messages in exc.errors.values() for m in messages]
            loose = [m for m in loose if m != str(exc.message)]
            return render_detail(
                meeting, exc.status, tab="invitees", message=str(exc.message), loose_errors=loose
            )
        flash(
            _(
                "Tautan pribadi %(name)s dikirim ulang ke %(email)s.",
                name=found.person.name,
                email=address,
            ),
            "success",
        )
        return _back(meeting)
    return _confirm(
        meeting,
        title=_("Kirim ulang tautan pribadi?"),
        question=_(
            "Tautan pribadi %(name)s untuk %(title)s dikirim lewat surel ke alamatnya sendiri "
            "(%(email)s). Tautan itu tidak ditampilkan di sini.",
            name=found.person.name,
            title=meeting.title,
            email=found.person.email or "-",
        ),
        button=_("Ya, kirim ulang tautan"),
        button_class="",
    )
