"""Errors that services raise and that every surface (HTML, JSON, CLI) knows how to show.

Services speak in these exceptions rather than in HTTP codes: a form view turns a
:class:`ValidationError` into messages beside the fields, the API turns it into an
``application/problem+json`` body with the same field map, the CLI prints it.
Messages are lazy strings so they render in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ServiceError(Exception):
    """Base class; ``status`` is the HTTP status an API answers with.

    ``extra``: machine-readable facts a client acts on (the id of the row a duplicate
    collides with), added to the API's problem body as extension members.
    """

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: Any,
        *,
        errors: Mapping[str, Sequence[Any]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.errors = {key: list(values) for key, values in (errors or {}).items()}
        self.extra = dict(extra or {})


class ValidationError(ServiceError):
    status = 422
    code = "validation_error"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """The change contradicts existing data (a duplicate, or a row still referenced).

    A duplicate names the row it collides with: ``extra={"existing_id": id}``; the API
    then answers its item URL as ``Location`` (``core.views``), or ``extra["location"]``
    when the service knows a better one (it is not repeated in the body).
    """

    status = 409
    code = "conflict"


class PermissionDenied(ServiceError):
    status = 403
    code = "forbidden"


class TooManyRequests(ServiceError):
    """Asked again too soon for something that must be paced (a code, a mail to a person)."""

    status = 429
    code = "too_many_requests"


def field_errors(**fields: Any) -> dict[str, list[Any]]:
    """``field_errors(email="taken")`` → ``{"email": ["taken"]}``."""
    return {name: [message] for name, message in fields.items()}
