"""Sub-collections paged in Python (``api.lists.page_of``) behave as the database lists do.

Stable ties, empty values last in both orders, and a page past the end is the last page:
the same answers ``core.pagination.paginate`` gives, so a client cannot tell them apart.
"""

from __future__ import annotations

from typing import Any

from meetcoord.api.lists import page_of

ROWS = [
    {"id": 1, "name": "Bima", "size": 3},
    {"id": 2, "name": "Ambon", "size": None},
    {"id": 3, "name": "Ende", "size": 1},
    {"id": 4, "name": "Dili", "size": 3},
]
SORTS: dict[str, Any] = {"name": lambda r: r["name"], "size": lambda r: r["size"]}


def _ids(sort: str, order: str = "asc", page: int = 1, per_page: int = 10) -> list[int]:
    args = {"sort": sort, "order": order, "page": page, "per_page": per_page}
    return [row["id"] for row in page_of(ROWS, args, SORTS).items]


def test_sorts_stably_with_empty_values_last() -> None:
    assert _ids("name") == [2, 1, 4, 3]
    assert _ids("name", "desc") == [3, 4, 1, 2]
    assert _ids("size") == [3, 1, 4, 2]
    assert _ids("size", "desc") == [1, 4, 3, 2]  # ties in sent order; None still last


def test_pages_and_a_page_past_the_end_is_the_last() -> None:
    args = {"sort": "name", "order": "asc", "page": 9, "per_page": 3}
    page = page_of(ROWS, args, SORTS)
    assert (page.page, page.pages, page.total) == (2, 2, 4)
    assert [row["id"] for row in page.items] == [3]
    empty = page_of([], args, SORTS)
    assert (empty.page, empty.pages, empty.total, empty.items) == (1, 1, 0, [])
