"""Every page that changes state has an API twin, or a written reason it has none (issue 17).

The HTML routes are read from the app's URL map, so a new form added without its API
operation (or an entry in ``meetcoord.api.twins``) fails here, not in an integrator's
scraper months later.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from meetcoord.api import API_PREFIX
from meetcoord.api.twins import NO_TWIN, PENDING, TWINS

CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


def _state_changing_pages(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith(API_PREFIX + "/") and CHANGES & (rule.methods or set())
    }


def _api_operations(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
        for method in rule.methods or set()
    }


def _targets(twin: Any) -> list[str]:
    return [twin] if isinstance(twin, str) else list(twin)


def test_every_state_changing_page_is_accounted_for(app: Flask) -> None:
    pages = _state_changing_pages(app)
    assert pages, "no state-changing HTML route found: the enumeration is broken"
    missing = sorted(pages - TWINS.keys() - NO_TWIN.keys() - PENDING.keys())
    assert not missing, f"pages with no API twin, reason or pending entry: {missing}"


def test_the_maps_name_only_existing_pages_once(app: Flask) -> None:
    pages = _state_changing_pages(app)
    listed = [*TWINS, *NO_TWIN, *PENDING]
    assert len(listed) == len(set(listed)), "a page is listed in more than one map"
    stale = sorted(set(listed) - pages)
    assert not stale, f"listed pages that no longer change state (or exist): {stale}"


def test_every_twin_is_an_existing_api_operation(app: Flask) -> None:
    operations = _api_operations(app)
    wrong = [
        (page, target)
        for page, twin in TWINS.items()
        for target in _targets(twin)
        if tuple(target.split(" ", 1)) not in operations
    ]
    assert not wrong, f"twins missing from the API's URL map: {wrong}"


def test_every_reason_is_written() -> None:
    short = sorted(page for page, reason in NO_TWIN.items() if len(reason.split()) < 8)
    assert not short, f"a reason must say why (a sentence), not just a word: {short}"


def test_no_page_is_still_waiting_for_its_twin() -> None:
    assert not PENDING, "pages whose API twin is pending:\n" + "\n".join(
        f"  {page}: {expected}" for page, expected in sorted(PENDING.items())
    )
