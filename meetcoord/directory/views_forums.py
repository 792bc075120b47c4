"""Directory pages for forums: the decree that set each one up and its members with roles."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.forms import save_form
from meetcoord.directory import services
from meetcoord.directory.forms import (
    PICK_PAIR,
    ROLE_LABELS,
    ConfirmForm,
    ForumForm,
    MemberForm,
    options,
)
from meetcoord.directory.models import Forum, Person
from meetcoord.directory.views_support import (
    CHOICE_LIMIT,
    actor,
    bp,
    can_edit,
    delete_or_refuse,
    list_context,
    list_query,
    organization_options,
    render_form,
    require_editor,
)

FORM = "form.html"


@bp.get("/forums")
@login_required
def forums() -> Any:
    query = list_query(Forum, ints=("organization_id",))
    page = services.list_records(Forum, query)
    return render_template("directory/forums.html", page=page, **list_context(query))


def _member_form(forum: Forum) -> MemberForm:
    """People not yet in the forum, by name, for the add-member select."""
    form = MemberForm()
    members = {member.person_id for member in forum.members}
    people = services.list_records(Person, services.ListQuery(per_page=CHOICE_LIMIT)).items
    form.person_id.choices = options(
        [PICK_PAIR]
        + [
            (str(p.id), f"{p.name} — {p.organization.name}" if p.organization else p.name)
            for p in people
            if p.id not in members
        ]
    )
    return form


def _render_detail(forum: Forum, member_form: MemberForm, status: int = 200) -> Any:
    return render_template(
        "directory/forum_detail.html",
        forum=forum,
        member_form=member_form,
        confirm=ConfirmForm(),
        roles=ROLE_LABELS,
        can_edit=can_edit(),
    ), status


@bp.get("/forums/<int:forum_id>")
@login_required
def forum_detail(forum_id: int) -> Any:
    forum = services.get_record(Forum, forum_id)
    return _render_detail(forum, _member_form(forum))


def _forum_form(forum: Forum | None) -> Any:
    require_editor()
    form = ForumForm(obj=forum)
    form.organization_id.choices = organization_options()
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, services.save_forum, forum)
        if saved is not None:
            flash(_("Forum %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("directory.forum_detail", forum_id=saved.id))
    return render_form(
        FORM,
        form,
        status,
        title=_("Ubah forum") if forum else _("Tambah forum"),
        message=message,
        loose_errors=loose,
        cancel_url=url_for("directory.forums"),
        delete_url=url_for("directory.forum_delete", forum_id=forum.id) if forum else None,
    )


@bp.route("/forums/new", methods=["GET", "POST"])
@login_required
def forum_new() -> Any:
    return _forum_form(None)


@bp.route("/forums/<int:forum_id>/edit", methods=["GET", "POST"])
@login_required
def forum_edit(forum_id: int) -> Any:
    return _forum_form(services.get_record(Forum, forum_id))


@bp.route("/forums/<int:forum_id>/delete", methods=["GET", "POST"])
@login_required
def forum_delete(forum_id: int) -> Any:
    require_editor()
    forum = services.get_record(Forum, forum_id)
    if request.method == "POST":
        return delete_or_refuse(
            forum,
            done="directory.forums",
            refused="directory.forum_detail",
            message=_("Forum %(name)s dihapus.", name=forum.name),
            forum_id=forum.id,
        )
    return render_template(
        "directory/confirm_delete.html",
        obj=forum,
        form=ConfirmForm(),
        cancel_url=url_for("directory.forum_detail", forum_id=forum.id),
    )


@bp.post("/forums/<int:forum_id>/members")
@login_required
def forum_member_add(forum_id: int) -> Any:
    forum = services.get_record(Forum, forum_id)
    form = _member_form(forum)
    raw_person = form.person_id.data or ""
    try:
        member = services.add_forum_member(
            actor(), forum, int(raw_person) if raw_person.isdigit() else 0, form.role.data or ""
        )
    except (ValidationError, Conflict) as exc:
        for name, messages in exc.errors.items():
            if name in form:
                form[name].errors = [str(m) for m in messages]
        return _render_detail(forum, form, exc.status)
    flash(_("%(name)s ditambahkan sebagai anggota.", name=member.person.name), "success")
    return redirect(url_for("directory.forum_detail", forum_id=forum.id))


@bp.post("/forums/<int:forum_id>/members/<int:member_id>/remove")
@login_required
def forum_member_remove(forum_id: int, member_id: int) -> Any:
    forum = services.get_record(Forum, forum_id)
    member = next((m for m in forum.members if m.id == member_id), None)
    if member is None:
        raise NotFound(_("Anggota tidak ditemukan."))
    name = member.person.name
    services.remove_forum_member(actor(), member)
    flash(_("%(name)s dikeluarkan dari forum.", name=name), "success")
    return redirect(url_for("directory.forum_detail", forum_id=forum.id))
