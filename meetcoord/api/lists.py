"""Collections: every list answers the same page envelope, and the few that do not say why.

A client pages every collection the same way (``page``, ``per_page``, ``sort``, ``order`` in,
``{items, page, per_page, total, pages}`` out), so the sub-collections of one object (a
forum's members, a meeting's materials) use the envelope too, even when they are short:
a list that is an array today and a page tomorrow breaks every client in between.

Sub-collections are bounded by their parent (one meeting's questions, one village's
years), so they are sorted and cut in Python from the list their service already returns;
the top-level collections page in the database (``core.pagination.paginate``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import ceil
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.schemas import Bool, PageArgsSchema, Text
from meetcoord.core.pagination import Page

T = TypeVar("T")

# The GET operations ("GET <path as in the OpenAPI document>") whose 200 stays a bare JSON
# array, each with the reason (8 words or more; tests/api/test_collections_paged.py reads
# the OpenAPI document and fails on an unlisted array or a stale entry). Empty: every
# collection is a page (in issue 17: forum members, agency links, a village's IDM years, a
# meeting's questions, materials, channels, platform imports and unmatched platform
# participants, and the personal and agency links' documents, actions and questions).
BARE_LISTS: dict[str, str] = {}


class QueryBool(Bool):
    """``?disability=true`` (or 1): query strings are text."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["truthy"] = {"true", "1", True}
        kwargs["falsy"] = {"false", "0", False}
        super().__init__(**kwargs)


def page_args_schema(
    name: str,
    sorts: Sequence[str],
    default: str,
    filters: Mapping[str, fields.Field] | None = None,
    *,
    order: str = "asc",
) -> type[PageArgsSchema]:
    """Arguments of a sub-collection sorted by one of ``sorts`` (``default``, in ``order``,
    when none is asked: the order the list had before it was paged)."""
    attrs: dict[str, Any] = {
        "order": Text(
            load_default=order,
            validate=validate.OneOf(["asc", "desc"], error=_l("Pilih asc atau desc.")),
        ),
        "sort": Text(
            load_default=default,
            validate=validate.OneOf(list(sorts), error=_l("Kolom pengurutan tidak dikenal.")),
            metadata={"description": "Kolom pengurutan: " + ", ".join(sorts) + "."},
        ),
        **dict(filters or {}),
    }
    return type(f"{name}PageArgsSchema", (PageArgsSchema,), attrs)


def page_of(
    items: Sequence[T], args: Mapping[str, Any], sorts: Mapping[str, Callable[[T], Any]]
) -> Page[T]:
    """One page of ``items`` sorted by ``args["sort"]`` (stable: ties keep their order).

    A page past the end gives the last page, as ``core.pagination.paginate`` does.
    """
    rows = list(items)
    sort = sorts.get(args.get("sort") or "")
    if sort is not None:
        # Empty values last whichever the order, as the database lists sort (NULLS LAST).
        present = [row for row in rows if sort(row) is not None]
        present.sort(key=sort, reverse=args.get("order") == "desc")
        rows = present + [row for row in rows if sort(row) is None]
    per_page = int(args["per_page"])
    pages = max(1, ceil(len(rows) / per_page))
    page = min(max(1, int(args["page"])), pages)
    chosen = rows[(page - 1) * per_page : page * per_page]
    return Page(items=chosen, page=page, per_page=per_page, total=len(rows))
