"""An unknown query parameter is a 400 naming it, on every /api/v1 operation.

Silently ignoring one answers a question the client did not ask: ``GET /people?email=x``
answered every person in the directory.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from meetcoord.api.operations import operation
from tests import factories
from tests.api.support import API, problem


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def test_a_list_refuses_a_parameter_it_does_not_declare(client: Any, editor: Any) -> None:
    factories.person()
    body = problem(client.get(f"{API}/people?emial=x@example.go.id", headers=editor), 400)
    assert body["code"] == "unknown_parameter"
    assert body["errors"] == {"emial": ["Parameter tidak dikenal."]}
    assert "emial" in body["detail"]


def test_every_unknown_parameter_is_named(client: Any, editor: Any) -> None:
    body = problem(client.get(f"{API}/organizations?q=a&foo=1&bar=2", headers=editor), 400)
    assert set(body["errors"]) == {"foo", "bar"}


def test_declared_parameters_still_work(client: Any, editor: Any) -> None:
    factories.organization(name="Dinas Kesehatan Uji")
    response = client.get(f"{API}/organizations?q=kesehatan&page=1&per_page=5", headers=editor)
    assert response.status_code == 200
    assert [o["name"] for o in response.get_json()["items"]] == ["Dinas Kesehatan Uji"]


def test_an_operation_without_query_arguments_refuses_any(client: Any, editor: Any) -> None:
    org = factories.organization()
    url = f"{API}/organizations/{org.id}"
    assert client.get(url, headers=editor).status_code == 200
    body = problem(client.get(f"{url}?expand=parent", headers=editor), 400)
    assert body["errors"] == {"expand": ["Parameter tidak dikenal."]}
    # a write too: the parameter would be ignored just the same
    patch = client.patch(f"{url}?dry_run=1", json={"region": "Sumba Timur"}, headers=editor)
    problem(patch, 400)


def test_the_message_follows_the_language(client: Any, editor: Any) -> None:
    english = {**editor, "Accept-Language": "en"}
    body = problem(client.get(f"{API}/venues?colour=red", headers=english), 400)
    assert body["errors"] == {"colour": ["Unknown parameter."]}
    assert "Unknown parameter" in body["detail"]


def test_every_documented_query_parameter_is_accepted(app: Any, client: Any) -> None:
    """The check reads the same declarations as the document: what is documented for an
    operation is exactly what it accepts, across all features."""
    spec = client.get(f"{API}/openapi.json").get_json()
    rules = {}
    for rule in app.url_map.iter_rules():
        for method in rule.methods or ():
            rules[(_openapi_path(rule.rule), method.lower())] = rule.endpoint
    checked = 0
    with app.test_request_context():
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method == "parameters":
                    continue
                documented = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                endpoint = rules[(path, method)]
                assert operation(endpoint, method.upper()).query == documented, (method, path)
                checked += 1
    assert checked > 100


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)
