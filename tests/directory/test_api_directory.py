"""The directory JSON API: CRUD with bearer tokens, one error format, nothing half-written.

Every refusal must be ``application/problem+json`` with a field-level ``errors`` map and
must leave the database exactly as it was, whichever check (schema or service) refused.
"""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.accounts.services import create_token, revoke_token
from meetcoord.directory.models import Forum, ForumMember, Organization, Person, Venue
from meetcoord.extensions import db
from tests import factories
from tests.helpers import count

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int) -> dict[str, Any]:
    """Assert ``response`` is a problem with ``status`` and return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert all(body[key] for key in ("title", "code", "detail"))
    return body


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


@pytest.fixture
def viewer(api_token: Any) -> dict[str, str]:
    return api_token("viewer")[1]


# --- authentication and roles -----------------------------------------------------------


def test_no_token_is_401_problem(client: Any) -> None:
    response = client.get(f"{API}/organizations")
    problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_revoked_tokens_are_401(client: Any) -> None:
    unknown = {"Authorization": "Bearer mc_bukan-token-yang-pernah-dibuat"}
    problem(client.get(f"{API}/venues", headers=unknown), 401)

    user = factories.user("secretariat")
    token, secret = create_token(None, user, "laptop")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/venues", headers=headers).status_code == 200
    revoke_token(None, token)
    problem(client.get(f"{API}/venues", headers=headers), 401)


def test_viewer_reads_but_cannot_write(client: Any, viewer: dict[str, str]) -> None:
    venue = factories.venue()
    assert client.get(f"{API}/venues/{venue.id}", headers=viewer).status_code == 200
    before = count(Venue)
    new = {"name": "Aula Baru", "timezone": "Asia/Jakarta"}
    problem(client.post(f"{API}/venues", json=new, headers=viewer), 403)
    url = f"{API}/venues/{venue.id}"
    problem(client.patch(url, json={"capacity": 5}, headers=viewer), 403)
    problem(client.delete(url, headers=viewer), 403)
    db.session.expire_all()
    assert count(Venue) == before
    assert db.session.get(Venue, venue.id).capacity == 60


def test_session_write_needs_csrf_header(client: Any, auth: Any) -> None:
    auth.login("secretariat")
    body = {"name": "Aula Sesi", "timezone": "Asia/Makassar"}
    problem(client.post(f"{API}/venues", json=body), 400)
    assert count(Venue) == 0
    response = client.post(f"{API}/venues", json=body, headers={"X-CSRFToken": auth.csrf_token})
    assert response.status_code == 201, response.get_data(as_text=True)


# --- CRUD -------------------------------------------------------------------------------


def test_organization_crud(client: Any, editor: dict[str, str]) -> None:
    parent = factories.organization(name="Pemerintah Kabupaten Sumba Barat Daya")
    body = {
        "name": "Bappeda Kabupaten Sumba Barat Daya",
        "kind": "opd",
        "level": "regency",
        "parent_id": parent.id,
        "phone": "0812-3456-7890",
    }
    response = client.post(f"{API}/organizations", json=body, headers=editor)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["parent_name"] == parent.name
    assert created["phone"] == "+6281234567890"
    location = response.headers["Location"]
    assert location.endswith(f"{API}/organizations/{created['id']}")

    assert client.get(location, headers=editor).get_json()["name"] == body["name"]
    patched = client.patch(location, json={"short_name": "Bappeda SBD"}, headers=editor)
    assert patched.status_code == 200
    assert patched.get_json()["short_name"] == "Bappeda SBD"
    assert patched.get_json()["kind"] == "opd"  # untouched by a partial update

    assert client.delete(location, headers=editor).status_code == 204
    problem(client.get(location, headers=editor), 404)


def test_person_crud_shows_organization_name(client: Any, editor: dict[str, str]) -> None:
    org = factories.organization(name="Dinas Kesehatan Kabupaten Lombok Timur")
    body = {
        "name": "Baiq Nurul Hidayati",
        "position": "Kepala Seksi Gizi",
        "organization_id": org.id,
        "email": "Baiq.Nurul@Example.go.id",
        "gender": "perempuan",
        "category": "government",
        "has_disability": False,
    }
    response = client.post(f"{API}/people", json=body, headers=editor)
    assert response.status_code == 201, response.get_data(as_text=True)
    person = response.get_json()
    assert person["organization_name"] == org.name
    assert person["email"] == "baiq.nurul@example.go.id"
    assert person["gender"] == "female"

    url = response.headers["Location"]
    patched = client.patch(url, json={"organization_id": None}, headers=editor).get_json()
    assert patched["organization_name"] is None
    assert patched["position"] == "Kepala Seksi Gizi"
    assert client.delete(url, headers=editor).status_code == 204
    assert count(Person) == 0


def test_person_zone_is_their_own_or_their_organizations_region(
    client: Any, editor: dict[str, str]
) -> None:
    maluku = factories.organization(name="Bappeda Provinsi Maluku", region="Provinsi Maluku")
    body = {"name": "Ongky Latuconsina", "category": "government", "organization_id": maluku.id}
    created = client.post(f"{API}/people", json=body, headers=editor)
    assert created.status_code == 201, created.get_data(as_text=True)
    person = created.get_json()
    assert (person["timezone"], person["zone"], person["zone_label"]) == (
        None,
        "Asia/Jayapura",
        "WIT",
    )
    url = created.headers["Location"]
    moved = client.patch(url, json={"timezone": "WIB"}, headers=editor).get_json()
    assert (moved["timezone"], moved["zone"], moved["zone_label"]) == (
        "Asia/Jakarta",
        "Asia/Jakarta",
        "WIB",
    )
    problem(client.patch(url, json={"timezone": "Asia/Ambon"}, headers=editor), 422)
    assert client.get(url, headers=editor).get_json()["timezone"] == "Asia/Jakarta"
    cleared = client.patch(url, json={"timezone": None}, headers=editor).get_json()
    assert (cleared["timezone"], cleared["zone"]) == (None, "Asia/Jayapura")


def test_forum_crud_and_members(client: Any, editor: dict[str, str]) -> None:
    body = {
        "name": "Forum BangKIT Sumba Barat Daya",
        "decree_number": "289/KEP/HK/2023",
        "decree_date": "2023-08-14",
    }
    response = client.post(f"{API}/forums", json=body, headers=editor)
    assert response.status_code == 201, response.get_data(as_text=True)
    forum = response.get_json()
    assert forum["member_count"] == 0
    assert forum["decree_date"] == "2023-08-14"
    members_url = f"{API}/forums/{forum['id']}/members"

    person = factories.person(name="Yohanes Bili", position="Kepala Bappeda")
    added = client.post(members_url, json={"person_id": person.id, "role": "chair"}, headers=editor)
    assert added.status_code == 201, added.get_data(as_text=True)
    member = added.get_json()
    assert member["person_name"] == "Yohanes Bili"
    assert member["role"] == "chair"
    assert added.headers["Location"].endswith(f"{members_url}/{member['id']}")

    again = client.post(members_url, json={"person_id": person.id}, headers=editor)
    assert "person_id" in problem(again, 409)["errors"]
    listed = client.get(members_url, headers=editor).get_json()
    assert [m["person_id"] for m in listed["items"]] == [person.id]
    assert (listed["page"], listed["total"], listed["pages"]) == (1, 1, 1)
    detail = client.get(f"{API}/forums/{forum['id']}", headers=editor).get_json()
    assert detail["member_count"] == 1

    # a membership is addressed through its own forum only
    other = factories.forum()
    problem(client.delete(f"{API}/forums/{other.id}/members/{member['id']}", headers=editor), 404)
    assert client.delete(f"{members_url}/{member['id']}", headers=editor).status_code == 204
    assert count(ForumMember) == 0
    assert client.delete(f"{API}/forums/{forum['id']}", headers=editor).status_code == 204


def test_venue_crud_with_zone_label(client: Any, editor: dict[str, str]) -> None:
    body = {"name": "Kantor Bappeda Provinsi Maluku", "city": "Ambon", "timezone": "Asia/Jayapura"}
    response = client.post(f"{API}/venues", json=body, headers=editor)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["zone_label"] == "WIT"
    url = response.headers["Location"]
    patched = client.patch(url, json={"timezone": "Asia/Makassar", "capacity": 80}, headers=editor)
    assert patched.get_json()["zone_label"] == "WITA"
    assert patched.get_json()["city"] == "Ambon"
    assert client.delete(url, headers=editor).status_code == 204


def test_delete_refused_while_referenced(client: Any, editor: dict[str, str]) -> None:
    org = factories.organization()
    factories.person(organization=org)
    body = problem(client.delete(f"{API}/organizations/{org.id}", headers=editor), 409)
    assert "orang" in body["detail"]
    assert body["errors"]["references"]
    assert db.session.get(Organization, org.id) is not None


def test_unknown_id_is_404(client: Any, editor: dict[str, str]) -> None:
    for name in ("organizations", "people", "forums", "venues"):
        problem(client.get(f"{API}/{name}/999999", headers=editor), 404)
        problem(client.patch(f"{API}/{name}/999999", json={}, headers=editor), 404)
    problem(client.get(f"{API}/forums/999999/members", headers=editor), 404)


# --- bad input --------------------------------------------------------------------------

BAD_CREATES = [
    # (collection, body, a field the errors map must name)
    ("organizations", {}, "name"),
    ("organizations", {"name": "Dinas X", "kind": "opd"}, "level"),
    ("organizations", {"name": "Dinas X", "kind": "sekte", "level": "regency"}, "kind"),
    ("organizations", {"name": 42, "kind": "opd", "level": "regency"}, "name"),
    (
        "organizations",
        {"name": "X", "kind": "opd", "level": "regency", "parent_id": "1"},
        "parent_id",
    ),
    ("organizations", {"name": "X", "kind": "opd", "level": "regency", "warna": "biru"}, "warna"),
    ("people", {"name": "Maria Ngongo"}, "category"),
    ("people", {"name": "Maria", "category": "ngo", "has_disability": "mungkin"}, "has_disability"),
    ("people", {"name": "Maria", "category": "ngo", "email": "bukan-email"}, "email"),
    ("people", {"name": "Maria", "category": "ngo", "organization_id": 999999}, "organization_id"),
    ("people", {"name": "Maria", "category": "ngo", "timezone": "Mars/Olympus"}, "timezone"),
    ("people", {"name": "Maria", "category": "ngo", "timezone": 9}, "timezone"),
    ("people", {"name": "Maria", "category": "ngo", "zone": "Asia/Jayapura"}, "zone"),
    ("forums", {"name": "Forum X", "decree_date": "kemarin"}, "decree_date"),
    ("forums", {"name": None}, "name"),
    ("venues", {"name": "Aula", "timezone": "Asia/Mataram"}, "timezone"),
    ("venues", {"name": "Aula", "timezone": "Asia/Makassar", "capacity": "besar"}, "capacity"),
    ("venues", {"name": "Aula", "timezone": "Asia/Makassar", "capacity": 0}, "capacity"),
    ("venues", {"name": "Aula", "timezone": "Asia/Makassar", "capacity": True}, "capacity"),
    ("venues", {"name": "Aula", "timezone": "Asia/Makassar", "zone_label": "WIB"}, "zone_label"),
]


@pytest.mark.parametrize(("collection", "body", "field"), BAD_CREATES)
def test_bad_create_is_422_and_changes_nothing(
    client: Any, editor: dict[str, str], collection: str, body: dict[str, Any], field: str
) -> None:
    model = {"organizations": Organization, "people": Person, "forums": Forum, "venues": Venue}
    before = count(model[collection])
    response = client.post(f"{API}/{collection}", json=body, headers=editor)
    errors = problem(response, 422)["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert count(model[collection]) == before


def test_body_that_is_not_an_object_is_422(client: Any, editor: dict[str, str]) -> None:
    response = client.post(f"{API}/venues", json=["Aula"], headers=editor)
    assert problem(response, 422)["errors"]
    assert count(Venue) == 0


def test_bad_patch_changes_nothing(client: Any, editor: dict[str, str]) -> None:
    venue = factories.venue(name="Aula Bappeda NTB", capacity=120)
    url = f"{API}/venues/{venue.id}"
    for body, field in (
        ({"name": "Aula Lain", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "Aula Lain", "capacity": "seratus"}, "capacity"),
        ({"name": ""}, "name"),
        ({"id": 5}, "id"),
    ):
        assert field in problem(client.patch(url, json=body, headers=editor), 422)["errors"]
    db.session.expire_all()
    fresh = db.session.get(Venue, venue.id)
    assert (fresh.name, fresh.capacity, fresh.timezone) == (
        "Aula Bappeda NTB",
        120,
        "Asia/Makassar",
    )


def test_duplicate_email_is_409(client: Any, editor: dict[str, str]) -> None:
    factories.person(email="yohanes@sbdkab.go.id")
    body = {"name": "Yohanes Lain", "category": "government", "email": "Yohanes@SBDkab.go.id"}
    errors = problem(client.post(f"{API}/people", json=body, headers=editor), 409)["errors"]
    assert "email" in errors
    assert count(Person) == 1


# --- CSV import -------------------------------------------------------------------------

GOOD_CSV = (
    "nama;jabatan;organisasi;email;telepon;jenis_kelamin;kategori;disabilitas\n"
    "Maria Ngongo;Ketua;Yayasan Harapan Sumba;maria@example.org;0813-1111-2222;P;lsm;tidak\n"
    "Petrus Malo;Dosen;;petrus@example.ac.id;;L;akademisi;ya\n"
)


def upload(client: Any, headers: dict[str, str], data: bytes, name: str = "peserta.csv") -> Any:
    from io import BytesIO

    return client.post(
        f"{API}/people/import",
        data={"file": (BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_csv_import_creates_everyone(client: Any, editor: dict[str, str]) -> None:
    factories.organization(name="Yayasan Harapan Sumba")
    response = upload(client, editor, GOOD_CSV.encode())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"created": 2, "rows": 2}
    assert count(Person) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (GOOD_CSV.encode(), "row 2.organization"),  # organization not in the directory
        (b"nama,kategori,email\nMaria,lsm,m@x.org\nPetrus,lsm,M@x.org\n", "row 3.email"),
        (b"nama;kategori\nMaria;lsm;tambahan\n", "row 2.row"),  # wrong number of columns
        (b'nama,kategori\n"Maria,lsm\n', "file"),  # unterminated quote
        (b"\xff\xfe\x00n\x00a\x00m\x00a", "file"),  # not UTF-8 text
        (b"nama,warna\nMaria,biru\n", "file"),  # unknown and missing columns
        (b"", "file"),
    ],
)
def test_bad_csv_is_refused_whole(
    client: Any, editor: dict[str, str], data: bytes, field: str
) -> None:
    errors = problem(upload(client, editor, data), 422)["errors"]
    assert field in errors, errors
    assert count(Person) == 0


def test_oversized_csv_is_refused(
    app: Any, client: Any, editor: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "CSV_MAX_BYTES", 2048)
    rows = "".join(f"Peserta {n};lsm\n" for n in range(400))
    errors = problem(upload(client, editor, f"nama;kategori\n{rows}".encode()), 422)["errors"]
    assert "terlalu besar" in errors["file"][0]
    assert count(Person) == 0


def test_csv_import_without_file_is_422(client: Any, editor: dict[str, str]) -> None:
    response = client.post(f"{API}/people/import", data={}, headers=editor)
    assert "file" in problem(response, 422)["errors"]


def test_viewer_cannot_import(client: Any, viewer: dict[str, str]) -> None:
    problem(upload(client, viewer, b"nama;kategori\nMaria;lsm\n"), 403)
    assert count(Person) == 0


# --- lists ------------------------------------------------------------------------------


def test_pagination_envelope_and_sorting(client: Any, editor: dict[str, str]) -> None:
    for n in range(7):
        factories.venue(name=f"Aula {n}", capacity=10 + n)
    page = client.get(f"{API}/venues?per_page=3&page=2&sort=capacity&order=desc", headers=editor)
    body = page.get_json()
    assert {k: body[k] for k in ("page", "per_page", "total", "pages")} == {
        "page": 2,
        "per_page": 3,
        "total": 7,
        "pages": 3,
    }
    assert [item["capacity"] for item in body["items"]] == [13, 12, 11]
    default = client.get(f"{API}/venues", headers=editor).get_json()
    assert default["per_page"] == 25
    assert [v["name"] for v in default["items"]] == [f"Aula {n}" for n in range(7)]


def test_search_and_filters(client: Any, editor: dict[str, str]) -> None:
    factories.organization(name="Bappeda Provinsi Maluku", level="province")
    factories.organization(name="Yayasan Pelita Ambon", kind="ngo")
    found = client.get(f"{API}/organizations?q=maluku", headers=editor).get_json()
    assert [o["name"] for o in found["items"]] == ["Bappeda Provinsi Maluku"]
    ngos = client.get(f"{API}/organizations?kind=ngo", headers=editor).get_json()
    assert [o["name"] for o in ngos["items"]] == ["Yayasan Pelita Ambon"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=0", "per_page"),
        ("per_page=500", "per_page"),
        ("page=0", "page"),
        ("page=dua", "page"),
        ("order=acak", "order"),
        ("sort=warna", "sort"),
        ("kind=sekte", "kind"),
        ("parent_id=abc", "parent_id"),
    ],
)
def test_bad_list_arguments_are_422(
    client: Any, editor: dict[str, str], query: str, field: str
) -> None:
    response = client.get(f"{API}/organizations?{query}", headers=editor)
    assert field in problem(response, 422)["errors"]


def test_invalid_json_is_400_problem(client: Any, editor: dict[str, str]) -> None:
    response = client.post(
        f"{API}/venues", data="{rusak", content_type="application/json", headers=editor
    )
    assert "json" in problem(response, 400)["errors"]
    assert count(Venue) == 0
