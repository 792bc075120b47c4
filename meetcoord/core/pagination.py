"""One page of a query, plus the search/sort parameters every list shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from meetcoord.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class ListQuery:
    """Search, filter, sort and page for a directory list (pages and API share it)."""

    q: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1
    per_page: int = 25
    filters: Mapping[str, Any] | None = None


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Run ``query`` for one page; a page past the end gives the last page, not an error."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    pages = max(1, ceil(total / per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)


LIKE_ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """``%text%`` for ``ilike(..., escape=LIKE_ESCAPE)``: a typed % or _ is a literal character."""
    term = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{term}%"
