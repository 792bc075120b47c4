"""Every collection answers the page envelope, read from the OpenAPI document.

A GET whose 200 is a bare JSON array cannot be paged, and turning it into a page later
breaks every client in between; so each one must be listed in ``api.lists.BARE_LISTS``
with its reason, and a listed one that no longer exists (or is no longer an array) must
leave the list. A page envelope without ``page`` and ``per_page`` declared would refuse
them (unknown query parameters are a 400), so every envelope declares both.
"""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.api.lists import BARE_LISTS
from tests.api.support import API

ENVELOPE = {"items", "page", "per_page", "total", "pages"}
MIN_REASON_WORDS = 8


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _json_200(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    response = _resolve(spec, operation.get("responses", {}).get("200"))
    if not isinstance(response, dict):
        return None
    content = response.get("content", {}).get("application/json")
    if content is None or "schema" not in content:
        return None
    return _resolve(spec, content["schema"])  # type: ignore[no-any-return]


def _gets(spec: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """``"GET <path>"`` → (the path item, the operation), for every GET in the document."""
    return {
        f"GET {path}": (item, item["get"])
        for path, item in spec["paths"].items()
        if isinstance(item, dict) and "get" in item
    }


def bare_arrays(spec: dict[str, Any]) -> set[str]:
    """The GET operations whose 200 JSON body is an array."""
    return {
        key
        for key, (_item, operation) in _gets(spec).items()
        if (_json_200(spec, operation) or {}).get("type") == "array"
    }


def envelopes(spec: dict[str, Any]) -> dict[str, set[str]]:
    """The GET operations answering the page envelope → their declared query parameters."""
    found: dict[str, set[str]] = {}
    for key, (item, operation) in _gets(spec).items():
        schema = _json_200(spec, operation) or {}
        if not set(schema.get("properties", {})) >= ENVELOPE:
            continue
        declared = [*item.get("parameters", []), *operation.get("parameters", [])]
        parameters = [_resolve(spec, p) for p in declared]
        found[key] = {p["name"] for p in parameters if p.get("in") == "query"}
    return found


@pytest.fixture
def spec(client: Any) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def test_no_collection_answers_a_bare_array_without_a_reason(spec: dict[str, Any]) -> None:
    unlisted = sorted(bare_arrays(spec) - set(BARE_LISTS))
    assert not unlisted, (
        "these GET operations answer a bare JSON array: answer "
        "api.schemas.page_schema (api.lists.page_of) or list them in api.lists.BARE_LISTS "
        "with the reason:\n" + "\n".join(unlisted)
    )


def test_every_bare_list_still_exists_and_says_why(spec: dict[str, Any]) -> None:
    stale = sorted(set(BARE_LISTS) - bare_arrays(spec))
    assert not stale, "BARE_LISTS entries that are not a bare-array GET any more:\n" + "\n".join(
        stale
    )
    terse = sorted(
        key for key, reason in BARE_LISTS.items() if len(reason.split()) < MIN_REASON_WORDS
    )
    assert not terse, f"give each a reason of {MIN_REASON_WORDS} words or more: {terse}"


def test_every_page_envelope_declares_page_and_per_page(spec: dict[str, Any]) -> None:
    found = envelopes(spec)
    assert f"GET {API}/meetings/{{id}}/platform-imports" in found  # the walk finds envelopes
    missing = sorted(
        f"{key}: {sorted({'page', 'per_page'} - declared)}"
        for key, declared in found.items()
        if not {"page", "per_page"} <= declared
    )
    assert not missing, "page envelopes without their page parameters:\n" + "\n".join(missing)


def test_the_converted_collections_are_pages_with_sort_and_order(spec: dict[str, Any]) -> None:
    found = envelopes(spec)
    for path in (
        "/meetings/{id}/platform-imports",
        "/meetings/{id}/platform-participants/unmatched",
        "/i/{token}/documents",
        "/i/{token}/actions",
        "/i/{token}/questions",
        "/a/{agency_token}/actions",
    ):
        assert {"page", "per_page", "sort", "order"} <= found[f"GET {API}{path}"], path


def test_the_walk_sees_an_array_behind_a_reference() -> None:
    """The checks above read what this one proves they can see (a $ref'd array, a page)."""
    page = {"type": "object", "properties": {name: {} for name in ENVELOPE}}
    spec: dict[str, Any] = {
        "components": {
            "schemas": {"Rows": {"type": "array", "items": {}}, "Page": page},
            "parameters": {"Page": {"in": "query", "name": "page"}},
        },
        "paths": {
            "/rows": {"get": _answers({"$ref": "#/components/schemas/Rows"})},
            "/pages": {
                "parameters": [{"$ref": "#/components/parameters/Page"}],
                "get": _answers({"$ref": "#/components/schemas/Page"}),
            },
            "/csv": {"get": {"responses": {"200": {"content": {"text/csv": {}}}}}},
        },
    }
    assert bare_arrays(spec) == {"GET /rows"}
    assert envelopes(spec) == {"GET /pages": {"page"}}


def _answers(schema: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
