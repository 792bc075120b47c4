"""Administrator pages: staff accounts and the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetcoord.accounts import admin, services
from meetcoord.accounts.forms import (
    ROLE_LABELS,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from meetcoord.accounts.models import User
from meetcoord.core.errors import NotFound
from meetcoord.core.forms import current_actor, save_form
from meetcoord.core.pagination import ListQuery
from meetcoord.core.validation import parse_int
from meetcoord.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only() -> None:
    admin.require_admin(current_actor())


def _page_arg() -> int:
    return parse_int(request.args.get("page"), minimum=1) or 1


def _args() -> dict[str, str]:
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/users")
def users() -> Any:
    sort = request.args.get("sort", "name")
    query = ListQuery(
        q=request.args.get("q", "")[:200],
        sort=sort if sort in admin.USER_SORTS else "name",
        descending=request.args.get("order") == "desc",
        page=_page_arg(),
        per_page=current_app.config["PAGE_SIZE"],
        filters={"role": request.args.get("role")}
        if request.args.get("role") in ROLE_LABELS
        else {},
    )
    page = admin.list_users(current_actor(), query)
    return render_template(
        "admin/users.html", page=page, query=query, args=_args(), roles=ROLE_LABELS
    )


def _create(actor: User, values: dict[str, Any]) -> User:
    return services.create_user(actor, **values)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    form = UserCreateForm()
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, _create)
        if saved is not None:
            flash(_("Akun %(email)s dibuat.", email=saved.email), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "form.html",
        form=form,
        title=_("Tambah akun"),
        message=message,
        loose_errors=loose,
        cancel_url=url_for("admin.users"),
    ), status


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Akun tidak ditemukan."))
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> Any:
    user = _user(user_id)
    form = UserEditForm(obj=user)
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form, lambda actor, values: admin.update_user(actor, user, values)
        )
        if saved is not None:
            flash(_("Akun %(email)s tersimpan.", email=saved.email), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        message=message,
        loose_errors=loose,
        password_form=PasswordResetForm(),
    ), status


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int) -> Any:
    user = _user(user_id)
    form = PasswordResetForm()
    saved, message, loose, status = save_form(
        form, lambda actor, values: admin.reset_password(actor, user, values["password"])
    )
    if saved is None:
        return render_template(
            "admin/user_edit.html",
            user=user,
            form=UserEditForm(obj=user),
            password_form=form,
            message=message,
            loose_errors=loose,
        ), status
    flash(_("Kata sandi %(email)s diganti.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.get("/audit")
def audit() -> Any:
    query = ListQuery(
        q=request.args.get("q", "")[:200],
        page=_page_arg(),
        per_page=current_app.config["PAGE_SIZE"],
        filters={
            "entity_type": request.args.get("entity_type") or None,
            "actor_id": parse_int(request.args.get("actor_id"), minimum=1),
        },
    )
    page = admin.list_audit(current_actor(), query)
    return render_template(
        "admin/audit.html",
        page=page,
        query=query,
        args=_args(),
        entity_types=[(name, name) for name in admin.audit_entity_types()],
        zone=current_app.config["HOME_TIMEZONE"],
    )
