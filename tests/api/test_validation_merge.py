"""One 422 names every problem: the schema's (wrong types) and the domain's (unknown
category, bad e-mail) together, so a client fixes its request in one round."""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.directory.models import Organization, Person
from meetcoord.meetings.models import Meeting
from tests import factories
from tests.api.support import API, problem
from tests.helpers import count


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def test_a_person_gets_schema_and_domain_errors_together(client: Any, editor: Any) -> None:
    body = {"name": 123, "category": "bukan-kategori", "email": "bukan-email"}
    errors = problem(client.post(f"{API}/people", json=body, headers=editor), 422)["errors"]
    assert errors["name"] == ["Harus berupa teks."]  # the schema's
    assert {"category", "email"} <= set(errors)  # the domain's, on fields that parsed
    assert count(Person) == 0


def test_a_field_the_schema_refused_keeps_the_schemas_message(client: Any, editor: Any) -> None:
    body = {"category": "ngo", "has_disability": "ya"}
    errors = problem(client.post(f"{API}/people", json=body, headers=editor), 422)["errors"]
    assert errors["has_disability"] == ["Harus true atau false."]
    assert errors["name"] == ["Wajib diisi."]  # one message, not the schema's and the domain's


def test_an_organization_too(client: Any, editor: Any) -> None:
    body = {"name": "Yayasan", "kind": "bukan", "level": "regency", "parent_id": "satu"}
    errors = problem(client.post(f"{API}/organizations", json=body, headers=editor), 422)["errors"]
    assert set(errors) == {"parent_id", "kind"}
    assert count(Organization) == 0


def test_a_meeting_too(client: Any, editor: Any) -> None:
    venue = factories.venue()
    body = {
        "title": ["bukan teks"],
        "kind": "bukan-jenis",
        "host_venue_id": venue.id,
        "start_at": "2030-03-15T09:00",
        "end_at": "kemarin",
    }
    errors = problem(client.post(f"{API}/meetings", json=body, headers=editor), 422)["errors"]
    assert {"title", "kind", "end_at"} <= set(errors)
    assert count(Meeting) == 0


def test_a_patch_is_checked_as_partial(client: Any, editor: Any) -> None:
    person = factories.person()
    body = {"has_disability": 3, "email": "bukan-email"}
    url = f"{API}/people/{person.id}"
    errors = problem(client.patch(url, json=body, headers=editor), 422)["errors"]
    assert set(errors) == {"has_disability", "email"}  # no "name: required" on a PATCH
