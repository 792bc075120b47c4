"""The directory blueprint and the request plumbing its pages share.

Every directory page does the same few things — read list parameters, hand a form's values
to a service, show the service's field errors beside the fields, refuse a delete with the
service's reason — so those steps live here once and the handlers stay a few lines each.
No rule about the data lives here: that is ``services`` and ``cleaning``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from flask import Blueprint, current_app, request

from meetcoord.access import permissions
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.core.validation import parse_int
from meetcoord.directory import services
from meetcoord.directory.forms import NONE_PAIR, options, organization_pairs
from meetcoord.directory.models import Organization

bp = Blueprint("directory", __name__, url_prefix="/directory")

# How many organizations a select offers; the directory of one Bappeda holds a few hundred.
CHOICE_LIMIT = 2000


actor = current_actor


def can_edit() -> bool:
    return permissions.allowed(actor(), Permission.DIRECTORY_EDIT)


def require_editor() -> None:
    """Refuse a write page before showing its form (the service refuses the write too)."""
    services.require_editor(actor())


def _int_arg(name: str) -> int | None:
    return parse_int(request.args.get(name), minimum=0)


def list_query(
    model: type, *, ints: tuple[str, ...] = (), enums: Mapping[str, type[StrEnum]] | None = None
) -> services.ListQuery:
    """Search/sort/page/filter parameters from the query string; unknown values are ignored.

    A stale bookmark with a sort key that no longer exists, or a hand-typed ``page=abc``,
    shows the default list instead of an error page.
    """
    filters: dict[str, Any] = {}
    for name in ints:
        value = _int_arg(name)
        if value is not None:
            filters[name] = value
    for name, enum_cls in (enums or {}).items():
        raw = request.args.get(name, "")
        if raw in {member.value for member in enum_cls}:
            filters[name] = enum_cls(raw)
    sort = request.args.get("sort", "name")
    if sort not in services.SORTS[model]:
        sort = "name"
    return services.ListQuery(
        q=request.args.get("q", "").strip()[:200],
        sort=sort,
        descending=request.args.get("order") == "desc",
        page=_int_arg("page") or 1,
        per_page=current_app.config["PAGE_SIZE"],
        filters=filters,
    )


def list_context(query: services.ListQuery) -> dict[str, Any]:
    """What the list macros need to rebuild links that keep the other parameters."""
    args = {key: value for key, value in request.args.items() if key != "page" and value != ""}
    return {"query": query, "args": args, "can_edit": can_edit()}


def organization_list(exclude: int | None = None) -> list[tuple[str, str]]:
    """(id, name) of every organization, for selects and list filters."""
    page = services.list_records(
        Organization, services.ListQuery(per_page=CHOICE_LIMIT), current_actor()
    )
    return organization_pairs(page.items, exclude=exclude)


def organization_options(exclude: int | None = None) -> list[Any]:
    """Select options: "none" first, then every organization by name."""
    return options([NONE_PAIR, *organization_list(exclude)])
