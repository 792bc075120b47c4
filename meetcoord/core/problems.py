"""``application/problem+json`` (RFC 9457) bodies, the API's one error format.

In core, not in ``api/``: the app-wide error handlers (``core.views``) answer every error
under :data:`API_PREFIX` in this format, and core imports no feature package (DESIGN §3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Response, current_app, json, request
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "application/problem+json"
# Where the JSON API lives: ``api/`` mounts its blueprints here, and an error under it is
# answered as problem+json instead of an HTML page.
API_PREFIX = "/api/v1"

_View = TypeVar("_View", bound=Callable[..., Any])

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested marshmallow/webargs messages → ``{"field.sub": ["message", ...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
    elif isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            flat[prefix or "_"] = [str(item) for item in messages]
        else:
            for item in messages:
                for key, value in flatten_errors(item, prefix).items():
                    flat.setdefault(key, []).extend(value)
    else:
        flat[prefix or "_"] = [str(messages)]
    return flat


def problem_response(
    status: int,
    code: str,
    detail: Any,
    *,
    errors: Mapping[str, list[Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """``extra``: RFC 9457 extension members (e.g. ``existing_id`` on a duplicate)."""
    body: dict[str, Any] = {
        **(extra or {}),
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = {key: [str(m) for m in values] for key, values in errors.items()}
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_json(view: _View) -> _View:
    """Mark a JSON view outside :data:`API_PREFIX` whose errors are problem+json too.

    The registration desk's page posts its scans to ``/desk/<code>/scan`` (session and
    CSRF, beside the page) and a desk app posts the same scan to the API: one door each,
    one error format for both, answered by the same app-wide handlers (``core.views``).
    """
    view.problem_json = True  # type: ignore[attr-defined]
    return view


def wants_problem() -> bool:
    """Whether this request's errors are answered as problem+json instead of a page.

    The endpoint is known once the URL matched, before CSRF, the body's size or the
    view run, so each of their errors is answered in the view's format.
    """
    if request.path.startswith(API_PREFIX):
        return True
    if request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "problem_json", False))


def unauthorized() -> Response:
    """No account and no other credential: the API's and the desk's 401, one body."""
    return problem_response(
        401,
        "unauthorized",
        _l("Autentikasi diperlukan: kirim header Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="meetcoord"'},
    )
