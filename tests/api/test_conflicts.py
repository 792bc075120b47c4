"""A 409 for a natural-key conflict names the existing object: ``existing_id`` and
``Location``, so a synchronising client can adopt it instead of creating a twin."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.api.support import API, problem


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def test_a_duplicate_organization_points_at_the_existing_one(client: Any, editor: Any) -> None:
    org = factories.organization(name="Yayasan Harapan Sumba")
    body = {"name": "yayasan harapan sumba", "kind": "ngo", "level": "regency"}
    sent = client.post(f"{API}/organizations", json=body, headers=editor)
    assert problem(sent, 409)["existing_id"] == org.id
    assert sent.headers["Location"] == f"{API}/organizations/{org.id}"
    assert client.get(sent.headers["Location"], headers=editor).status_code == 200


def test_a_duplicate_email_points_at_the_existing_person(client: Any, editor: Any) -> None:
    person = factories.person(email="yohanes@sbdkab.go.id")
    body = {"name": "Yohanes Lain", "category": "government", "email": "Yohanes@SBDkab.go.id"}
    sent = client.post(f"{API}/people", json=body, headers=editor)
    assert problem(sent, 409)["existing_id"] == person.id
    assert sent.headers["Location"] == f"{API}/people/{person.id}"


def test_a_rename_onto_another_points_at_it(client: Any, editor: Any) -> None:
    taken = factories.organization(name="Dinas Kesehatan")
    other = factories.organization(name="Dinas Pendidikan")
    sent = client.patch(
        f"{API}/organizations/{other.id}", json={"name": "Dinas Kesehatan"}, headers=editor
    )
    assert problem(sent, 409)["existing_id"] == taken.id
    assert sent.headers["Location"] == f"{API}/organizations/{taken.id}"


def test_a_conflict_without_an_existing_row_has_no_location(client: Any, editor: Any) -> None:
    org = factories.organization()
    factories.person(organization_id=org.id)
    sent = client.delete(f"{API}/organizations/{org.id}", headers=editor)
    problem(sent, 409)
    assert "Location" not in sent.headers
