"""What an API operation declares, read from flask-smorest's ``_apidoc`` of its view.

The request hooks (``api.hooks``) and the document hook (``api.openapi``) must apply to
every endpoint, including those of features they never import; each endpoint already
says, through ``@blp.arguments``, which query parameters it reads and which body it
takes. This module reads that once per (endpoint, method) and keeps the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import current_app
from marshmallow import Schema

# Where webargs reads a body that is not JSON: a multipart upload or a form.
FORM_LOCATIONS = frozenset({"files", "form", "multipart", "form_and_files"})


@dataclass(frozen=True)
class Operation:
    query: frozenset[str]  # the query parameters it documents (and so reads)
    json_body: bool  # takes a JSON body
    form_body: bool  # takes a multipart or form body


def _view_function(endpoint: str, method: str) -> Any:
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        name = "get" if method == "HEAD" else method.lower()
        return getattr(view_class, name, None)
    return view


def _field_names(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        return {str(name) for name in schema}
    if isinstance(schema, type) and issubclass(schema, Schema):
        schema = schema()
    if isinstance(schema, Schema):
        return {
            field.data_key or name for name, field in schema.fields.items() if not field.dump_only
        }
    return set()


@cache
def _read(app_id: int, endpoint: str, method: str) -> Operation:
    view = _view_function(endpoint, method)
    doc = getattr(view, "_apidoc", {}) or {}
    query: set[str] = set()
    locations: set[str] = set()
    for parameter in doc.get("arguments", {}).get("parameters", []):
        location = parameter.get("in", "json")
        locations.add(location)
        if location == "query":
            query |= _field_names(parameter.get("schema"))
    for parameter in doc.get("manual_doc", {}).get("parameters", []) or []:
        if isinstance(parameter, dict) and parameter.get("in") == "query":
            query.add(str(parameter.get("name")))
    return Operation(
        query=frozenset(query),
        json_body="json" in locations,
        form_body=bool(locations & FORM_LOCATIONS),
    )


def operation(endpoint: str, method: str) -> Operation:
    """The declaration of ``method`` on ``endpoint`` in the current app."""
    return _read(id(current_app._get_current_object()), endpoint, method)  # type: ignore[attr-defined]
