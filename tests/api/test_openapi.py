"""The OpenAPI document: public, valid OpenAPI 3, and complete for the directory.

A client generated from the document must know every endpoint and every way it can fail,
so each operation has to name its error responses as ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

API = "/api/v1"
PROBLEM = "application/problem+json"

# path → {method: statuses it must document}
READ = {"401", "404"}
WRITE = {"400", "401", "403", "404", "409", "422"}
EXPECTED: dict[str, dict[str, set[str]]] = {}
for name in ("organizations", "people", "forums", "venues"):
    EXPECTED[f"{API}/{name}"] = {
        "get": {"200", "401", "422"},
        "post": {"201", "400", "401", "403", "409", "422"},
    }
    EXPECTED[f"{API}/{name}/{{id}}"] = {
        "get": {"200"} | READ,
        "patch": {"200"} | WRITE,
        "delete": {"204", "400", "401", "403", "404", "409"},
    }
EXPECTED[f"{API}/people/import"] = {"post": {"200", "401", "403", "413", "422"}}
EXPECTED[f"{API}/forums/{{id}}/members"] = {"get": {"200"} | READ, "post": {"201"} | WRITE}
EXPECTED[f"{API}/forums/{{id}}/members/{{member_id}}"] = {"delete": {"204", "401", "403", "404"}}
M = f"{API}/meetings/{{id}}"
EXPECTED[f"{API}/meetings"] = {"get": {"200", "401", "422"}, "post": {"201", "401", "403", "422"}}
EXPECTED[M] = {
    "get": {"200"} | READ,
    "patch": {"200"} | WRITE,
    "delete": {"204", "401", "403", "404", "409"},
}
for action in ("schedule", "cancel"):
    EXPECTED[f"{M}/{action}"] = {"post": {"200"} | WRITE}
EXPECTED[f"{M}/schedule"]["post"] |= {"202"}
EXPECTED[f"{M}/invitations/send"] = {"post": {"202"} | WRITE}
EXPECTED[f"{M}/invitations/{{invitation_id}}/send"] = {"post": {"202", "429"} | WRITE}
EXPECTED[f"{API}/jobs/{{id}}"] = {"get": {"200"} | READ}
EXPECTED[f"{M}/clone"] = {"post": {"201"} | WRITE}
EXPECTED[f"{M}/series"] = {"post": {"201"} | WRITE}
EXPECTED[f"{API}/series/{{id}}"] = {"get": {"200"} | READ, "patch": {"200"} | WRITE}
for sub, key in (("sites", "site_id"), ("agenda", "item_id"), ("invitations", "invitation_id")):
    EXPECTED[f"{M}/{sub}"] = {"get": {"200"} | READ, "post": {"201"} | WRITE}
    EXPECTED[f"{M}/{sub}/{{{key}}}"] = {
        "patch": {"200"} | WRITE,
        "delete": {"204", "401", "403", "404"},
    }
EXPECTED[f"{M}/agenda/order"] = {"put": {"200"} | WRITE}
EXPECTED[f"{M}/invitations/{{invitation_id}}/resend-link"] = {
    "post": {"202", "401", "403", "404", "409", "422", "429"}
}
EXPECTED[f"{M}/conflicts"] = {"get": {"200"} | READ}
CHECKIN_SCAN = {"200", "401", "403", "404", "422"}
for action in ("redeem", "offline", "checkout"):
    EXPECTED[f"{API}/checkin/sites/{{site_code}}/{action}"] = {"post": CHECKIN_SCAN}
EXPECTED[f"{M}/attendance"] = {"get": {"200", "401", "404", "422"}}
EXPECTED[f"{M}/attendance/summary"] = {"get": {"200"} | READ}
EXPECTED[f"{M}/attendance/export"] = {"get": {"200", "401", "404", "422"}}
EXPECTED[f"{API}/checkin/sites/{{site_code}}/kiosk-code"] = {"get": {"200", "401", "403", "404"}}
STAFF_CHECKIN = {"200", "400", "401", "403", "404", "409", "422"}
EXPECTED[f"{M}/invitations/{{invitation_id}}/checkin"] = {"post": STAFF_CHECKIN}
EXPECTED[f"{M}/walk-ins"] = {"post": STAFF_CHECKIN}
EXPECTED[f"{M}/attendance/{{attendance_id}}/checkout"] = {"post": {"200", "401", "403", "404"}}
EXPECTED[f"{M}/invitations/{{invitation_id}}/stand-in"] = {"post": STAFF_CHECKIN | {"413"}}
EXPECTED[f"{M}/checkin-conflicts"] = {"get": {"200"} | READ}
EXPECTED[f"{M}/checkin-conflicts/{{conflict_id}}/resolve"] = {"post": {"200", "401", "403", "404"}}
EXPECTED[f"{API}/i/{{token}}"] = {"get": {"200", "404", "429"}}
EXPECTED[f"{API}/i/{{token}}/rsvp"] = {"post": {"200", "404", "422", "429"}}
EXPECTED[f"{API}/i/{{token}}/stand-in"] = {"post": {"200", "404", "409", "413", "422", "429"}}


@pytest.fixture
def spec(client: Any) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")  # no credentials: the document is public
    assert response.status_code == 200
    return response.get_json()


def test_document_is_valid_openapi_3(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.")
    validate(spec)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_every_directory_operation_is_documented(spec: dict[str, Any], path: str) -> None:
    assert path in spec["paths"], sorted(spec["paths"])
    for method, statuses in EXPECTED[path].items():
        operation = spec["paths"][path].get(method)
        assert operation is not None, f"{method.upper()} {path} missing"
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
        missing = statuses - set(operation["responses"])
        assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"


def test_errors_are_documented_as_problems(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        if not path.startswith(API):
            continue
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status.startswith(("2", "3")):
                    continue
                content = response.get("content", {})
                assert list(content) == [PROBLEM], f"{method} {path} {status}: {content}"
                assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "detail", "errors"} <= set(problem["properties"])


def test_schemas_describe_the_shapes(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    venue = schemas["Venue"]
    assert venue["properties"]["zone_label"]["readOnly"] is True
    assert set(venue["required"]) == {"name", "timezone"}
    assert "required" not in schemas["VenuePatch"]  # a PATCH sends only what changes
    page = schemas["VenuePage"]["properties"]
    assert set(page) == {"items", "page", "per_page", "total", "pages"}
    assert "member_count" in schemas["Forum"]["properties"]
    assert "organization_name" in schemas["Person"]["properties"]

    upload = spec["paths"][f"{API}/people/import"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload

    params = {p["name"]: p for p in spec["paths"][f"{API}/organizations"]["get"]["parameters"]}
    assert {"q", "sort", "order", "page", "per_page", "kind", "level", "parent_id"} <= set(params)
    assert params["per_page"]["schema"]["maximum"] == 200
    assert params["order"]["schema"]["enum"] == ["asc", "desc"]


def test_document_declares_bearer_auth(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"bearerAuth": []} in spec["security"]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method != "parameters"
    ]


def test_every_operation_names_its_security(spec: dict[str, Any]) -> None:
    """The document's default is the bearer token (or session); an operation whose
    credential is in its URL (a personal link) says it needs none, and only those do."""
    public = 0
    for path, method, op in _operations(spec):
        security = op.get("security", spec["security"])
        if path.startswith(f"{API}/i/"):
            assert security == [{}], f"{method} {path}"
        if security == [{}]:
            public += 1
        else:
            assert {"bearerAuth": []} in security, f"{method} {path}"
            assert "401" in op["responses"], f"{method} {path} documents no 401"
    assert 0 < public < len(_operations(spec)) / 2


def test_every_operation_documents_the_request_rules(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        responses = set(op["responses"])
        where = f"{method.upper()} {path}"
        assert "400" in responses, where  # an unknown query parameter
        headers = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        if "requestBody" in op:
            assert {"415", "422"} <= responses, where
        if method == "post":
            assert "Idempotency-Key" in headers, where
            assert {"409", "422"} <= responses, where
        if method in ("patch", "put", "delete"):
            assert "If-Match" in headers, where
            assert "412" in responses, where
        ok = op["responses"].get("200", {})
        if method == "get" and "application/json" in ok.get("content", {}):
            assert "ETag" in ok["headers"], where
            assert "If-None-Match" in headers, where


def test_the_problem_schema_has_an_example(spec: dict[str, Any]) -> None:
    example = spec["components"]["schemas"]["Problem"]["example"]
    assert example["status"] == 422
    assert example["errors"]


def test_attendance_counts_have_one_name(spec: dict[str, Any]) -> None:
    """The breakdown (site, mode, province) lives in the summary's ``totals``; no second route."""
    assert not [path for path in spec["paths"] if "breakdown" in path]
    operation = spec["paths"][f"{API}/meetings/{{id}}/attendance/summary"]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]
    totals = spec["components"]["schemas"]["Totals"]["properties"]
    shown = content["example"]["totals"]
    for key in ("by_site", "by_mode", "by_province", "by_category", "by_gender"):
        assert key in totals, key
        assert key in shown, key
    assert shown["by_mode"]["site"] + shown["by_mode"]["online"] == shown["total"]
    assert sum(row["count"] for row in shown["by_province"]) == shown["total"]
