"""Directory pages for forums: the decree that set each one up and its members with roles."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.institutions import institution_choices
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, NotFound, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.validation import parse_int
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
from meetcoord.directory.views_editing import Editing, register_editing
from meetcoord.directory.views_support import (
    CHOICE_LIMIT,
    actor,
    bp,
    can_edit,
    list_context,
    list_query,
    organization_options,
)


@bp.get("/forums")
@requires(Permission.DIRECTORY_VIEW)
def forums() -> Any:
    query = list_query(Forum, ints=("organization_id",))
    page = services.list_records(Forum, query, current_actor())
    return render_template("directory/forums.html", page=page, **list_context(query))


def _member_form(forum: Forum) -> MemberForm:
    """People not yet in the forum, by name, for the add-member select."""
    form = MemberForm()
    members = {member.person_id for member in forum.members}
    people = services.list_records(
        Person, services.ListQuery(per_page=CHOICE_LIMIT), current_actor()
    ).items
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
@requires(Permission.DIRECTORY_VIEW)
def forum_detail(forum_id: int) -> Any:
    forum = services.get_record(Forum, forum_id, current_actor())
    return _render_detail(forum, _member_form(forum))


def _prepare_form(form: ForumForm, forum: Forum | None) -> None:
    form.organization_id.choices = organization_options()
    current = forum.institution_id if forum is not None else None
    form.institution_id.choices = options(institution_choices(actor(), current))


register_editing(
    Editing(
        name="forum",
        path="forums",
        id_arg="forum_id",
        model=Forum,
        form=ForumForm,
        save=services.save_forum,
        title_new=_l("Tambah forum"),
        title_edit=_l("Ubah forum"),
        saved=lambda forum: _("Forum %(name)s tersimpan.", name=forum.name),
        deleted=lambda forum: _("Forum %(name)s dihapus.", name=forum.name),
        after_save=lambda forum: url_for("directory.forum_detail", forum_id=forum.id),
        home=lambda forum: (
            url_for("directory.forum_detail", forum_id=forum.id)
            if forum
            else url_for("directory.forums")
        ),
        prepare=_prepare_form,
    )
)


@bp.post("/forums/<int:forum_id>/members")
@requires(Permission.DIRECTORY_EDIT)
def forum_member_add(forum_id: int) -> Any:
    forum = services.get_record(Forum, forum_id, current_actor())
    form = _member_form(forum)
    try:
        member = services.add_forum_member(
            actor(), forum, parse_int(form.person_id.data, minimum=1) or 0, form.role.data or ""
        )
    except (ValidationError, Conflict) as exc:
        for name, messages in exc.errors.items():
            if name in form:
                form[name].errors = [str(m) for m in messages]
        return _render_detail(forum, form, exc.status)
    flash(_("%(name)s ditambahkan sebagai anggota.", name=member.person.name), "success")
    return redirect(url_for("directory.forum_detail", forum_id=forum.id))


@bp.post("/forums/<int:forum_id>/members/<int:member_id>/remove")
@requires(Permission.DIRECTORY_EDIT)
def forum_member_remove(forum_id: int, member_id: int) -> Any:
    forum = services.get_record(Forum, forum_id, current_actor())
    member = next((m for m in forum.members if m.id == member_id), None)
    if member is None:
        raise NotFound(_("Anggota tidak ditemukan."))
    name = member.person.name
    services.remove_forum_member(actor(), member)
    flash(_("%(name)s dikeluarkan dari forum.", name=name), "success")
    return redirect(url_for("directory.forum_detail", forum_id=forum.id))
