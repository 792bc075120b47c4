"""Rules every ``/api/v1`` request obeys, whatever feature answers it.

* A query parameter the operation does not declare is refused (400 naming it), rather
  than silently ignored: ``GET /people?email=x`` must not answer all 395 people.
* A body in a format the operation does not read is a 415 before anything runs: a
  JSON operation given a form, or a form where JSON is expected.
* Every JSON representation read (``GET``) or written (``PATCH``/``PUT``) carries a
  strong ``ETag``, the hash of its bytes; ``If-None-Match`` answers 304, and a ``PATCH``,
  ``PUT`` or ``DELETE`` with ``If-Match`` is compared with the ETag the same URL's
  ``GET`` gives now (412 on a stale one, nothing changed). No version column is needed:
  the representation is the version. An endpoint that sets its own ``ETag`` (a version
  column, e.g. the event report) keeps it and checks ``If-Match`` itself.

GETs cost no database round trip beyond the endpoint's own: the ETag is hashed in memory.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from meetcoord.api.operations import operation
from meetcoord.core.problems import API_PREFIX, problem_response

WRITES = ("POST", "PUT", "PATCH", "DELETE")
JSON_TYPES = ("application/json",)


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX) and request.endpoint is not None


def refuse_unknown_query() -> Response | None:
    known = operation(request.endpoint or "", request.method).query
    unknown = sorted(name for name in request.args if name not in known)
    if not unknown:
        return None
    message = _l("Parameter tidak dikenal.")
    return problem_response(
        400,
        "unknown_parameter",
        _l("Parameter tidak dikenal: %(names)s.", names=", ".join(unknown)),
        errors={name: [message] for name in unknown},
    )


def _has_body() -> bool:
    if request.content_length:
        return True
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _is_json(mimetype: str) -> bool:
    return mimetype in JSON_TYPES or mimetype.endswith("+json")


def refuse_other_media() -> Response | None:
    if request.method not in WRITES or not _has_body():
        return None
    op = operation(request.endpoint or "", request.method)
    mimetype = request.mimetype or ""
    if _is_json(mimetype) and not (op.form_body and not op.json_body):
        return None
    if op.form_body and mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return None
    expected = "multipart/form-data" if op.form_body and not op.json_body else "application/json"
    return problem_response(
        415,
        "unsupported_media_type",
        _l("Format isi permintaan tidak didukung; kirim %(expected)s.", expected=expected),
        errors={"Content-Type": [_l("Gunakan %(expected)s.", expected=expected)]},
        headers={"Accept-Post" if request.method == "POST" else "Accept-Patch": expected},
    )


def etag_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:40]


def _current_etag() -> str | None:
    """The ETag the same URL's ``GET`` answers now, asked of its own view (no HTTP)."""
    environ = dict(request.environ)
    environ.update(
        {
            "REQUEST_METHOD": "GET",
            "QUERY_STRING": "",
            "CONTENT_LENGTH": "0",
            "CONTENT_TYPE": "",
            "wsgi.input": io.BytesIO(b""),
        }
    )
    environ.pop("HTTP_IF_MATCH", None)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.request_context(environ):
        if request.routing_exception is not None:
            return None
        try:
            response = app.make_response(app.dispatch_request())
        except HTTPException:
            return None
        except Exception:  # a ServiceError (404, 403): the write itself will say so
            return None
        if response.status_code != 200 or response.mimetype not in JSON_TYPES:
            return None
        if "ETag" in response.headers:  # the endpoint versions itself and checks If-Match
            return None
        return etag_of(response.get_data())


def check_if_match() -> Response | None:
    if request.method not in ("PUT", "PATCH", "DELETE") or "If-Match" not in request.headers:
        return None
    wanted = request.if_match
    if wanted.star_tag:
        return None
    current = _current_etag()
    if current is None or wanted.contains(current):
        return None
    return problem_response(
        412,
        "precondition_failed",
        _l("Data sudah diubah orang lain sejak Anda membacanya; baca ulang lalu ulangi."),
        errors={"If-Match": [_l("ETag tidak cocok dengan versi sekarang.")]},
        headers={"ETag": f'"{current}"'},
    )


def before_api_request() -> Response | None:
    if not _is_api():
        return None
    return refuse_unknown_query() or refuse_other_media()


def tag_representation(response: Response) -> Response:
    """A strong ETag on each JSON representation; ``If-None-Match`` answers 304."""
    if not _is_api() or response.status_code != 200 or response.direct_passthrough:
        return response
    if request.method not in ("GET", "HEAD", "PATCH", "PUT"):
        return response
    if response.mimetype not in JSON_TYPES or response.is_streamed:
        return response
    if "ETag" not in response.headers:
        # After a change, the tag is the one the item's GET now answers (what the next
        # If-Match is compared with), even if this response shows a different shape.
        fresh = _current_etag() if request.method in ("PATCH", "PUT") else None
        response.set_etag(fresh or etag_of(response.get_data()))
    if request.method in ("GET", "HEAD"):
        response.make_conditional(request)
    return response


def install(app: Flask) -> None:
    app.before_request(before_api_request)
    app.after_request(tag_representation)


def blueprint_checks() -> Any:
    """Checks that need the actor known (run after the blueprint's authentication)."""
    return check_if_match()
