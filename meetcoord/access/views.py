"""Administrator pages for institutions and who works for them (``/admin/institutions``).

Parse, call one ``access.services`` function, render: the rules (admins only, a valid
letterhead, one membership per account and institution) live in the service, shared with
the JSON API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from meetcoord.access import services
from meetcoord.access.declare import requires
from meetcoord.access.forms import (
    MEMBER_ROLE_LABELS,
    InstitutionForm,
    MemberForm,
    MemberRoleForm,
    options,
)
from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict, ServiceError
from meetcoord.core.forms import current_actor, save_form
from meetcoord.core.pagination import ListQuery
from meetcoord.core.validation import parse_int
from meetcoord.extensions import db

bp = Blueprint("institution_admin", __name__, url_prefix="/admin/institutions")
FORM = "form.html"


@bp.before_request
@login_required
def _admins_only() -> None:
    services.require_admin(current_actor())


def _page_arg() -> int:
    return parse_int(request.args.get("page"), minimum=1) or 1


def _organization_options() -> list[tuple[str, str]]:
    table = db.metadata.tables["organizations"]
    rows = db.session.execute(select(table.c.id, table.c.name).order_by(table.c.name))
    return [("", _("— tidak ada —")), *((str(r.id), r.name) for r in rows)]


def _user_options() -> list[tuple[str, str]]:
    table = db.metadata.tables["users"]
    rows = db.session.execute(
        select(table.c.id, table.c.name, table.c.email).order_by(table.c.name)
    )
    return [("", _("— pilih —")), *((str(r.id), f"{r.name} <{r.email}>") for r in rows)]


@bp.get("")
@requires(Permission.ADMIN)
def index() -> Any:
    query = ListQuery(
        q=request.args.get("q", "")[:200],
        page=_page_arg(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    page = services.list_institutions(current_actor(), query)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/institutions.html", page=page, query=query, args=args)


def _form_page(institution: Institution | None) -> Any:
    form = InstitutionForm(obj=institution)
    form.organization_id.choices = options(_organization_options())
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form, lambda actor, values: services.save_institution(actor, values, institution)
        )
        if saved is not None:
            flash(_("Penyelenggara %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("institution_admin.detail", institution_id=saved.id))
    return render_template(
        FORM,
        form=form,
        title=_("Ubah penyelenggara") if institution else _("Tambah penyelenggara"),
        message=message,
        loose_errors=loose,
        cancel_url=(
            url_for("institution_admin.detail", institution_id=institution.id)
            if institution
            else url_for("institution_admin.index")
        ),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def new() -> Any:
    return _form_page(None)


@bp.route("/<int:institution_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def edit(institution_id: int) -> Any:
    return _form_page(services.get_institution(institution_id))


def _detail(institution: Institution, member_form: MemberForm, status: int = 200) -> Any:
    members = services.list_members(institution, _page_arg(), current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/institution_detail.html",
        institution=institution,
        members=members,
        member_form=member_form,
        role_form=MemberRoleForm(),
        roles=MEMBER_ROLE_LABELS,
        args={},
    ), status


def _member_form() -> MemberForm:
    form = MemberForm()
    form.user_id.choices = options(_user_options())
    return form


@bp.get("/<int:institution_id>")
@requires(Permission.ADMIN)
def detail(institution_id: int) -> Any:
    return _detail(services.get_institution(institution_id), _member_form())


@bp.post("/<int:institution_id>/members")
@requires(Permission.ADMIN)
def member_add(institution_id: int) -> Any:
    institution = services.get_institution(institution_id)
    form = _member_form()
    saved, message, loose, status = save_form(
        form, lambda actor, values: services.add_member(actor, institution, values)
    )
    if saved is None:
        flash(message or "", "error")
        for text in loose:
            flash(text, "error")
        return _detail(institution, form, status)
    flash(_("Anggota ditambahkan."), "success")
    return redirect(url_for("institution_admin.detail", institution_id=institution.id))


@bp.post("/<int:institution_id>/members/<int:membership_id>")
@requires(Permission.ADMIN)
def member_role(institution_id: int, membership_id: int) -> Any:
    institution = services.get_institution(institution_id)
    membership = services.get_membership(institution, membership_id)
    form = MemberRoleForm()
    saved, message, _loose, _status = save_form(
        form, lambda actor, values: services.change_member_role(actor, membership, values)
    )
    if saved is None:
        flash(message or "", "error")
    else:
        flash(_("Peran anggota diubah."), "success")
    return redirect(url_for("institution_admin.detail", institution_id=institution.id))


@bp.post("/<int:institution_id>/members/<int:membership_id>/remove")
@requires(Permission.ADMIN)
def member_remove(institution_id: int, membership_id: int) -> Any:
    institution = services.get_institution(institution_id)
    membership = services.get_membership(institution, membership_id)
    services.remove_member(current_actor(), membership)
    flash(_("Anggota dikeluarkan dari penyelenggara ini."), "success")
    return redirect(url_for("institution_admin.detail", institution_id=institution.id))


@bp.post("/<int:institution_id>/delete")
@requires(Permission.ADMIN)
def delete(institution_id: int) -> Any:
    institution = services.get_institution(institution_id)
    try:
        services.delete_institution(current_actor(), institution)
    except (Conflict, ServiceError) as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("institution_admin.detail", institution_id=institution.id))
    flash(_("Penyelenggara dihapus."), "success")
    return redirect(url_for("institution_admin.index"))
