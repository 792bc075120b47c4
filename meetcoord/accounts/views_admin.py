"""Administrator pages: staff accounts, their sign-ins and API tokens, and the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.accounts import admin, services, sessions
from meetcoord.accounts.audit_labels import action_label, entity_label
from meetcoord.accounts.forms import (
    ROLE_LABELS,
    PasswordResetForm,
    TokenCreateForm,
    UserCreateForm,
    UserEditForm,
)
from meetcoord.accounts.models import ApiToken, User
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
@requires(Permission.ADMIN)
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
@requires(Permission.ADMIN)
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


def _user_page(user: User, status: int = 200, **forms: Any) -> Any:
    """The account page: its settings, password, sign-ins and API tokens."""
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=forms.get("form") or UserEditForm(obj=user),
        password_form=forms.get("password_form") or PasswordResetForm(),
        token_form=forms.get("token_form") or TokenCreateForm(),
        message=forms.get("message"),
        loose_errors=forms.get("loose_errors", []),
        new_secret=forms.get("new_secret"),
        tokens=services.tokens_of(current_actor(), user),
        live_sign_ins=sessions.count_live(user),
        zone=current_app.config["HOME_TIMEZONE"],
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def user_edit(user_id: int) -> Any:
    user = _user(user_id)
    form = UserEditForm(obj=user)
    if not form.is_submitted():
        return _user_page(user, form=form)
    saved, message, loose, status = save_form(
        form, lambda actor, values: admin.update_user(actor, user, values)
    )
    if saved is None:
        return _user_page(user, status, form=form, message=message, loose_errors=loose)
    flash(_("Akun %(email)s tersimpan.", email=saved.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@requires(Permission.ADMIN)
def user_password(user_id: int) -> Any:
    user = _user(user_id)
    form = PasswordResetForm()
    saved, message, loose, status = save_form(
        form, lambda actor, values: admin.reset_password(actor, user, values["password"] or "")
    )
    if saved is None:
        return _user_page(user, status, password_form=form, message=message, loose_errors=loose)
    flash(
        _(
            "Kata sandi %(email)s diganti; semua sesinya diakhiri dan token API-nya dicabut.",
            email=user.email,
        ),
        "success",
    )
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/sessions/end")
@requires(Permission.ADMIN)
def user_sessions_end(user_id: int) -> Any:
    user = _user(user_id)
    ended = admin.end_sign_ins(current_actor(), user)
    flash(_("%(n)d sesi %(email)s diakhiri.", n=ended, email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/tokens")
@requires(Permission.ADMIN)
def user_token_new(user_id: int) -> Any:
    user = _user(user_id)
    form = TokenCreateForm()
    saved, message, loose, status = save_form(
        form,
        lambda actor, values: services.create_token(
            actor, user, values["name"] or "", days=values["days"]
        ),
    )
    if saved is None:
        return _user_page(user, status, token_form=form, message=message, loose_errors=loose)
    _token, secret = saved
    # Shown once, on this page, never stored: the answer is not cached (no-store).
    return _user_page(user, 201, new_secret=secret)


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@requires(Permission.ADMIN)
def user_token_revoke(user_id: int, token_id: int) -> Any:
    user = _user(user_id)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Token tidak ditemukan."))
    services.revoke_token(current_actor(), token)
    flash(_("Token %(prefix)s… dicabut.", prefix=token.prefix), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.get("/audit")
@requires(Permission.ADMIN)
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
        entity_types=[(name, entity_label(name)) for name in admin.audit_entity_types()],
        action_label=action_label,
        entity_label=entity_label,
        zone=current_app.config["HOME_TIMEZONE"],
    )
