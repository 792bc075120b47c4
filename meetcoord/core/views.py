"""Pages and handlers that belong to no single feature: home, language, health, errors."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from meetcoord.core.errors import ServiceError, ValidationError
from meetcoord.core.i18n import LANGUAGES, remember_language
from meetcoord.core.problems import flatten_errors, problem_response, wants_problem
from meetcoord.core.security import redirect_back
from meetcoord.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.post("/lang")
def set_language() -> Response:
    code = request.form.get("lang", "")
    back = redirect_back(request.form.get("next"), url_for("core.index"))
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
        remember_language(back, code)
    return back


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok"}, 200


MESSAGES = {
    400: lambda: _("Permintaan tidak valid."),
    401: lambda: _("Silakan masuk terlebih dahulu."),
    403: lambda: _("Anda tidak berhak membuka halaman ini."),
    404: lambda: _("Halaman tidak ditemukan."),
    405: lambda: _("Metode tidak diizinkan."),
    409: lambda: _("Bentrok dengan data lain."),
    412: lambda: _("Data sudah berubah sejak Anda membacanya."),
    415: lambda: _("Format isi permintaan tidak didukung."),
    422: lambda: _("Data yang dikirim tidak valid."),
    413: lambda: _("Berkas terlalu besar."),
    429: lambda: _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
    500: lambda: _("Terjadi kesalahan pada server. Tim teknis sudah dicatat."),
}


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    message_factory = MESSAGES.get(status)
    message = message_factory() if message_factory else (exc.description or exc.name)
    csrf = bool(
        getattr(exc, "description", None) and status == 400 and "CSRF" in str(exc.description)
    )
    if csrf:
        message = _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.")
    if wants_problem():
        data = getattr(exc, "data", None) or {}
        errors = flatten_errors(data["messages"]) if "messages" in data else None
        # A page's script fetches a fresh token on csrf_failed and sends again.
        code = "csrf_failed" if csrf else exc.name.lower().replace(" ", "_")
        if errors:
            # webargs nests by location ("json", "query", "files"); the field is what matters
            errors = {key.split(".", 1)[-1]: value for key, value in errors.items()}
            message = _("Data yang dikirim tidak valid.")
            code = ValidationError.code  # the same code a service's validation gives
        headers = {k: v for k, v in exc.get_headers() if k.lower() not in ("content-type",)}
        return problem_response(status, code, message, errors=errors, headers=headers)
    return render_template("errors/error.html", status=status, message=message), status


def _existing_location(exc: ServiceError) -> dict[str, str]:
    """``Location`` of the row a duplicate collides with (RFC 9110 §15.5.10).

    The service names its id (``existing_id``); its URL is the collection's item URL —
    ``POST /people`` → ``/people/<id>``, ``PATCH /people/7`` → ``/people/<id>`` — when
    such a readable URL exists, or the one a service gave (``location``).
    """
    if exc.extra.get("location"):
        return {"Location": str(exc.extra["location"])}
    existing = exc.extra.get("existing_id")
    if not isinstance(existing, int) or isinstance(existing, bool):
        return {}
    base = request.path.rstrip("/")
    if request.method in ("PATCH", "PUT", "DELETE"):
        base = base.rsplit("/", 1)[0]
    candidate = f"{base}/{existing}"
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(candidate, method="GET")
    except HTTPException:
        return {}
    return {"Location": candidate}


@bp.app_errorhandler(ServiceError)
def service_error(exc: ServiceError) -> Any:
    if wants_problem():
        headers = _existing_location(exc) if exc.status == 409 else {}
        extra = {k: v for k, v in exc.extra.items() if k != "location"}
        return problem_response(
            exc.status, exc.code, exc.message, errors=exc.errors, extra=extra, headers=headers
        )
    return render_template(
        "errors/error.html", status=exc.status, message=exc.message, errors=exc.errors
    ), exc.status


@bp.app_errorhandler(Exception)
def unexpected_error(exc: Exception) -> Any:
    if isinstance(exc, HTTPException):
        return http_error(exc)
    current_app.logger.exception("unhandled error")
    db.session.rollback()
    if wants_problem():
        return problem_response(500, "internal_error", MESSAGES[500]())
    return render_template("errors/error.html", status=500, message=MESSAGES[500]()), 500
