"""Per-view request size limits, applied before anything reads the body.

A signatory's PKCS#12 file must never reach the disk. Werkzeug keeps uploaded parts in
memory up to 500 KB and spools larger ones to a temporary file, and the CSRF check parses
the form in ``before_request``, before any view runs. So a view that needs a small limit
declares it with :func:`body_limit`, and the hook installed by :func:`init_uploads`
(registered ahead of CSRF protection) sets ``request.max_content_length`` from it: a
larger body is refused with 413 before a byte of it is parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, request

from meetcoord.core.offload import PacedInput
from meetcoord.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
Limit = Callable[[dict[str, Any]], int | None]


def body_limit(limit: Limit) -> Callable[[F], F]:
    """``limit(view_args)`` gives the largest body in bytes for this request, or None.

    The mark serves the ``before_request`` hook (form views, whose CSRF check parses the
    body before the view runs); the wrapper applies the limit again inside, for methods of
    class-based API views, whose endpoint function does not carry the mark but whose
    arguments are parsed only inside the method.
    """

    def mark(view: F) -> F:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            _set(limit)
            return view(*args, **kwargs)

        limited.body_limit = limit  # type: ignore[attr-defined]
        return limited  # type: ignore[return-value]

    return mark


def _set(limit: Limit) -> None:
    size = limit(request.view_args or {})
    if size is not None:
        request.max_content_length = size
    # A large body is read in slices that let the other green threads run (offload).
    # Only before anything has read it: once ``request.stream`` exists it is the one used.
    environ = request.environ
    if "stream" not in request.__dict__ and not isinstance(environ["wsgi.input"], PacedInput):
        environ["wsgi.input"] = PacedInput(environ["wsgi.input"])
    # The access check has read the account (a database turn under SQLite, core.db): end
    # that read before the body arrives, or every other request waits for the whole upload
    # (a 20 MB file held check-ins for 0.1-0.2 s: +100-150 ms on the burst's p99). Nothing
    # has been written yet; what the view reads next comes back in a short turn of its own.
    if db.session().in_transaction():
        db.session.commit()


def _apply_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit: Limit | None = getattr(view, "body_limit", None)
    if limit is not None:
        _set(limit)


def init_uploads(app: Flask) -> None:
    """Call before ``csrf.init_app``: its hook reads the form, this one must come first."""
    app.before_request(_apply_limit)
