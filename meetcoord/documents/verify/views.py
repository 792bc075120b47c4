"""The public verification page: ``/verify/<hash>`` (from a page's QR) and file upload.

No login: an inspector with a printout or a PDF must be able to check it. The page shows
what a file proves about itself and what our register says; it never offers the file for
download (that needs a login or a personal link). Rate limited per address, since each
check costs a signature validation.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import ServiceError
from meetcoord.documents.verify import verification
from meetcoord.documents.verify.verdict import WORDS
from meetcoord.documents.views_support import FACTOR_LABELS, KIND_LABELS, STATUS_LABELS
from meetcoord.extensions import limiter

bp = Blueprint("verify", __name__)

verify_limit = limiter.limit("30 per minute;300 per hour")


def _page(result: verification.Verification | None, status: int = 200, **extra: Any) -> Any:
    return (
        render_template(
            "documents/verify.html",
            result=result,
            kind_labels=KIND_LABELS,
            status_labels=STATUS_LABELS,
            factor_labels=FACTOR_LABELS,
            verdict_words=WORDS,
            **extra,
        ),
        status,
    )


@bp.get("/verify")
@requires(Permission.PUBLIC)
@verify_limit
def upload_form() -> Any:
    return _page(None)


@bp.get("/verify/<code>")
@requires(Permission.PUBLIC)
@verify_limit
def by_hash(code: str) -> Any:
    result = verification.lookup(code)
    if result is None:
        return _page(None, 404, unknown=code[:80])
    return _page(result, code=code.lower())


@bp.post("/verify")
@requires(Permission.PUBLIC)
@verify_limit
def upload() -> Any:
    upload = request.files.get("file")
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1) if upload and upload.filename else b""
    if not data:
        return _page(None, 422, error=_l("Pilih berkas PDF yang akan diperiksa."))
    if len(data) > limit:
        return _page(
            None, 413, error=_l("Berkas terlalu besar (paling besar %(mb)s MB).", mb=limit // 2**20)
        )
    try:
        result = verification.check_upload(data)
    except ServiceError as exc:  # too costly to check, or every checker busy
        return _page(None, exc.status, error=exc.message)
    return _page(result, filename=upload.filename)
