"""Public verification as JSON: ``GET /api/v1/verify/{code}`` and ``POST /api/v1/verify``.

The same answers as the verification page (``documents.verify.verification``), for a client that
checks files in bulk. No authentication, rate limited per address like the page.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import ApiBlueprint, problems
from meetcoord.core.errors import NotFound, ServiceError, ValidationError
from meetcoord.documents import schemas as s
from meetcoord.documents.api import NOT_FOUND, PUBLIC
from meetcoord.documents.verify import verification
from meetcoord.extensions import limiter

VERIFY_LIMIT = "30 per minute;300 per hour"  # as the verification page


class TooLarge(ServiceError):
    status = 413
    code = "content_too_large"


verify_blp = ApiBlueprint(
    "verify_api",
    __name__,
    url_prefix="/verify",
    description="Verifikasi publik: apakah berkas ini terdaftar, final, utuh dan sah.",
)
limiter.limit(VERIFY_LIMIT)(verify_blp)


@verify_blp.route("/<code>")
class VerifyByHash(MethodView):
    @requires(Permission.PUBLIC)
    @verify_blp.doc(
        summary="Verifikasi dengan hash",
        description="Hash dari QR (isi beku: berkas terbaru) atau SHA-256 sebuah berkas.",
        security=PUBLIC,
    )
    @verify_blp.response(200, s.VerificationSchema)
    @problems(verify_blp, 404, 429)
    def get(self, code: str) -> dict[str, Any]:
        result = verification.lookup(code)
        if result is None:
            raise NotFound(NOT_FOUND)
        return s.verification_view(result)


@verify_blp.route("")
class VerifyUpload(MethodView):
    @requires(Permission.PUBLIC)
    @verify_blp.doc(
        summary="Verifikasi berkas",
        description="Tanda tangan di dalam berkas dan apakah berkas persis ini terdaftar. "
        "Berkas tidak disimpan.",
        security=PUBLIC,
    )
    @verify_blp.arguments(s.VerifyUploadSchema, location="files")
    @verify_blp.response(200, s.VerificationSchema)
    @problems(verify_blp, 400, 413, 422, 429, 503)
    def post(self, files: dict[str, Any]) -> dict[str, Any]:
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        data = files["file"].stream.read(limit + 1)
        if not data:
            message = _l("Pilih berkas PDF yang akan diperiksa.")
            raise ValidationError(message, errors={"file": [message]})
        if len(data) > limit:
            raise TooLarge(_l("Berkas terlalu besar (paling besar %(mb)s MB).", mb=limit // 2**20))
        return s.verification_view(verification.check_upload(data))
