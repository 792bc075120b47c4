"""Login and logout."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from meetcoord.accounts.forms import LoginForm
from meetcoord.accounts.services import authenticate
from meetcoord.extensions import limiter

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("core.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Email atau kata sandi salah."), "error")
        return render_template("accounts/login.html", form=form), 401
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Any:
    logout_user()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("accounts.login"))
