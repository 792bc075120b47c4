"""The directory API for integrators: exact filters, sorting, bulk create, paged members.

An integrator matching its own register against ours asks for one person by e-mail or
phone and must get exactly that person (or nobody), never the whole directory; a batch
of rows must create the good ones, name the existing ones and explain the bad ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.directory.bulk import BULK_MAX
from meetcoord.directory.models import (
    ForumMember,
    ForumRole,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
)
from meetcoord.extensions import db
from tests import factories
from tests.directory.test_api_directory import API, problem
from tests.helpers import count


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def _items(client: Any, url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


# --- filters ----------------------------------------------------------------------------


def test_people_by_exact_email_any_case(client: Any, editor: dict[str, str]) -> None:
    wanted = factories.person(email="yohanes.bili@sbdkab.go.id")
    factories.person(email="yohanes.bili2@sbdkab.go.id")  # would match a search, not a filter
    factories.person(email="lain@sbdkab.go.id")
    found = _items(client, f"{API}/people?email=Yohanes.Bili@SBDKAB.go.id", editor)
    assert [p["id"] for p in found] == [wanted.id]
    assert _items(client, f"{API}/people?email=tidak.ada@sbdkab.go.id", editor) == []
    problem(client.get(f"{API}/people?email=", headers=editor), 422)


def test_people_by_phone_in_any_written_form(client: Any, editor: dict[str, str]) -> None:
    wanted = factories.person(phone="+6281234567890")
    factories.person(phone="+6281234567891")
    for written in ("081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"):
        url = f"{API}/people?phone={written.replace('+', '%2B')}"
        assert [p["id"] for p in _items(client, url, editor)] == [wanted.id], written
    assert "phone" in problem(client.get(f"{API}/people?phone=abc", headers=editor), 422)["errors"]


def test_people_by_organization_and_disability(client: Any, editor: dict[str, str]) -> None:
    org = factories.organization()
    blind = factories.person(organization=org, has_disability=True)
    seeing = factories.person(organization=org, has_disability=False)
    factories.person(has_disability=True)  # another organization
    base = f"{API}/people?organization_id={org.id}"
    assert {p["id"] for p in _items(client, base, editor)} == {blind.id, seeing.id}
    assert [p["id"] for p in _items(client, base + "&disability=true", editor)] == [blind.id]
    assert [p["id"] for p in _items(client, base + "&disability=0", editor)] == [seeing.id]
    problem(client.get(base + "&disability=mungkin", headers=editor), 422)


def test_organizations_by_region_kind_level(client: Any, editor: dict[str, str]) -> None:
    region = "Kabupaten Sumba Barat Daya"
    opd = factories.organization(region=region, kind=OrgKind.OPD, level=OrgLevel.REGENCY)
    ngo = factories.organization(region=region, kind=OrgKind.NGO, level=OrgLevel.REGENCY)
    factories.organization(region="Kabupaten Sumba Barat", kind=OrgKind.OPD)
    url = f"{API}/organizations?region=kabupaten sumba barat daya"
    assert {o["id"] for o in _items(client, url, editor)} == {opd.id, ngo.id}
    assert [o["id"] for o in _items(client, url + "&kind=ngo", editor)] == [ngo.id]
    assert _items(client, url + "&level=province", editor) == []


def test_people_sort_by_organization_name(client: Any, editor: dict[str, str]) -> None:
    zebra = factories.organization(name="Zebra Dinas")
    alpha = factories.organization(name="Alpha Dinas")
    tag = "Urut Organisasi"
    late = factories.person(name=f"{tag} A", organization=zebra)
    early = factories.person(name=f"{tag} B", organization=alpha)
    none = factories.person(name=f"{tag} C")
    url = f"{API}/people?q={tag}&sort=organization"
    assert [p["id"] for p in _items(client, url, editor)] == [early.id, late.id, none.id]
    desc = _items(client, url + "&order=desc", editor)
    assert [p["id"] for p in desc] == [late.id, early.id, none.id]  # empty last either way
    assert "sort" in problem(client.get(f"{API}/people?sort=secret", headers=editor), 422)["errors"]


# --- bulk create ------------------------------------------------------------------------


def test_organizations_bulk_per_row(client: Any, editor: dict[str, str]) -> None:
    existing = factories.organization(name="Bappeda Kabupaten Sumba Barat Daya")
    before = count(Organization)
    rows = [
        {"name": "Dinas Kesehatan SBD", "kind": "opd", "level": "regency"},
        {"name": "", "kind": "opd", "level": "regency"},  # required
        {"name": "BAPPEDA kabupaten sumba barat daya", "kind": "opd", "level": "regency"},
        {"name": "Yayasan Bahtera", "kind": "ngo", "level": "regency", "id": 5},  # dump-only
        "bukan objek",
        {"name": "Dinas Kesehatan SBD", "kind": "opd", "level": "regency"},  # same batch
    ]
    response = client.post(f"{API}/organizations/bulk", json={"items": rows}, headers=editor)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    results = body["results"]
    assert [r["index"] for r in results] == list(range(len(rows)))
    assert [r["status"] for r in results] == [
        "created",
        "error",
        "exists",
        "error",
        "error",
        "exists",
    ]
    assert (body["created"], body["exists"], body["failed"]) == (1, 2, 3)
    created = db.session.get(Organization, results[0]["id"])
    assert created is not None
    assert created.name == "Dinas Kesehatan SBD"
    assert results[2]["id"] == existing.id
    assert results[5]["id"] == created.id
    assert "name" in results[1]["errors"]
    assert results[1]["id"] is None
    assert "id" in results[3]["errors"]
    assert results[4]["errors"]
    assert count(Organization) == before + 1


def test_people_bulk_retry_answers_exists(client: Any, editor: dict[str, str]) -> None:
    org = factories.organization()
    taken = factories.person(email="sudah.ada@example.go.id")
    rows = [
        {
            "name": "Maria Ndapa",
            "category": "government",
            "organization_id": org.id,
            "email": "maria.ndapa@example.go.id",
            "phone": "0812-1111-2222",
        },
        {"name": "Salah Email", "category": "government", "email": "bukan-email"},
        {"name": "Tanpa Organisasi", "category": "ngo", "organization_id": 999999},
        {"name": "Sudah Ada", "category": "ngo", "email": "SUDAH.ADA@example.go.id"},
        {"name": "Kategori Aneh", "category": "alien"},
    ]
    url = f"{API}/people/bulk"
    first = client.post(url, json={"items": rows}, headers=editor).get_json()["results"]
    assert [r["status"] for r in first] == ["created", "error", "error", "exists", "error"]
    assert "email" in first[1]["errors"]
    assert "organization_id" in first[2]["errors"]
    assert first[3]["id"] == taken.id
    assert "category" in first[4]["errors"]
    person = db.session.get(Person, first[0]["id"])
    assert person.phone == "+6281211112222"
    assert person.organization_id == org.id

    before = count(Person)
    again = client.post(url, json={"items": rows[:1]}, headers=editor).get_json()["results"]
    assert again == [
        {"index": 0, "status": "exists", "id": person.id, "detail": None, "errors": {}}
    ]
    assert count(Person) == before


def test_bulk_bounds_and_rights(client: Any, editor: dict[str, str], api_token: Any) -> None:
    before = count(Organization)
    row = {"name": "Dinas Batas", "kind": "opd", "level": "regency"}
    url = f"{API}/organizations/bulk"
    too_many = [dict(row, name=f"Dinas Batas {i}") for i in range(BULK_MAX + 1)]
    assert (
        "items"
        in problem(client.post(url, json={"items": too_many}, headers=editor), 422)["errors"]
    )
    problem(client.post(url, json={"items": []}, headers=editor), 422)
    problem(client.post(url, json={"rows": [row]}, headers=editor), 422)
    viewer = api_token("viewer")[1]
    problem(client.post(url, json={"items": [row]}, headers=viewer), 403)
    assert count(Organization) == before


# --- paged sub-collection ---------------------------------------------------------------


def test_forum_members_are_paged_and_sorted(client: Any, editor: dict[str, str]) -> None:
    forum = factories.forum(members=4)
    chair = factories.person(name="Aa Ketua Forum")
    db.session.add(ForumMember(forum=forum, person=chair, role=ForumRole.CHAIR))
    db.session.flush()
    url = f"{API}/forums/{forum.id}/members"
    page = client.get(f"{url}?per_page=2&page=2", headers=editor).get_json()
    assert (page["page"], page["per_page"], page["total"], page["pages"]) == (2, 2, 5, 3)
    assert len(page["items"]) == 2
    by_role = client.get(f"{url}?sort=role", headers=editor).get_json()["items"]
    assert by_role[0]["person_id"] == chair.id
    by_name = client.get(f"{url}?sort=person_name&order=desc", headers=editor).get_json()
    assert by_name["items"][-1]["person_id"] == chair.id
    problem(client.get(f"{url}?sort=nope", headers=editor), 422)
