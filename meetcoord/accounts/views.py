"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.accounts import services
from meetcoord.accounts.forms import LoginForm, PasswordChangeForm
from meetcoord.accounts.throttle import LoginLocked
from meetcoord.core.forms import current_actor, save_form
from meetcoord.core.names import before_period
from meetcoord.core.security import redirect_back
from meetcoord.extensions import limiter

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@requires(Permission.PUBLIC)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Any:
    home = url_for("core.index")
    if current_user.is_authenticated:
        return redirect_back(request.args.get("next"), home)
    form = LoginForm()
    if form.validate_on_submit():
        remember = bool(form.remember.data)
        try:
            user = services.sign_in(
                form.email.data or "", form.password.data or "", remember=remember
            )
        except LoginLocked as exc:
            return (
                render_template("accounts/login.html", form=form, locked=exc.message),
                exc.status,
                {"Retry-After": str(exc.retry_after)},
            )
        if user is not None:
            login_user(user, remember=remember)
            flash(_("Selamat datang, %(name)s.", name=before_period(user.name)), "success")
            return redirect_back(request.args.get("next"), home)
        flash(_("Email atau kata sandi salah."), "error")
        return render_template("accounts/login.html", form=form), 401
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@requires(Permission.ACCOUNT)
def logout() -> Any:
    services.sign_out(current_actor())
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Permission.ACCOUNT)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def change_password() -> Any:
    form = PasswordChangeForm()
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(
            form,
            lambda actor, values: services.change_password(
                actor,
                values["current_password"] or "",
                values["new_password"] or "",
                values["confirm_password"] or "",
            ),
        )
        if saved is not None:
            login_user(saved, remember=saved.login_remember)  # this sign-in's new key
            flash(
                _(
                    "Kata sandi diganti. Sesi Anda di perangkat lain sudah diakhiri dan "
                    "token API akun ini dicabut."
                ),
                "success",
            )
            return redirect(url_for("core.index"))
    return render_template(
        "accounts/password.html", form=form, message=message, loose_errors=loose
    ), status
