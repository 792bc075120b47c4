"""A person's region (asal daerah): edited by the form, the API and the CSV import, read as
their province and zone, and filtered on by province."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.directory.csvimport import CsvImportError, import_people
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from tests import factories
from tests.helpers import chosen, count, field_error, text

API = "/api/v1"
POSO = "Kabupaten Poso, Sulawesi Tengah"
LIMITS = {"max_bytes": 64 * 1024, "max_rows": 100}


@pytest.fixture
def editor(auth: Any) -> Any:
    return auth.login("secretariat")


@pytest.fixture
def token(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


# --- the form ---------------------------------------------------------------------------


def test_form_saves_region_and_the_page_shows_province_and_zone(client, auth, editor):
    form = text(client.get("/directory/people/new"))
    assert "Asal daerah (kabupaten/kota, provinsi)" in form
    assert 'name="region"' in form
    assert 'maxlength="120"' in form
    data = {"name": "Verna Inkiriwang", "category": "government", "region": f"  {POSO} "}
    assert auth.post("/directory/people/new", data).status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "Verna Inkiriwang"))
    assert person.region == POSO
    assert (person.province, person.zone_label) == ("sulawesi tengah", "WITA")

    page = text(client.get(f"/directory/people/{person.id}/edit"))
    assert f'value="{POSO}"' in page
    assert "Provinsi: Sulawesi Tengah · zona waktu WITA." in page
    assert 'aria-describedby="region-hint"' in page

    # a regency alone names no province: the page says so instead of guessing
    assert (
        auth.post(f"/directory/people/{person.id}/edit", {**data, "region": "Poso"}).status_code
        == 302
    )
    assert "Provinsi tidak dikenali" in text(client.get(f"/directory/people/{person.id}/edit"))
    # emptied: back to the organization's region
    assert (
        auth.post(f"/directory/people/{person.id}/edit", {**data, "region": ""}).status_code == 302
    )
    db.session.refresh(person)
    assert person.region is None


@pytest.mark.parametrize(
    ("lang", "message"), [("id", "Paling banyak 120 karakter."), ("en", "At most 120 characters.")]
)
def test_form_refuses_a_region_too_long_and_saves_nothing(client, auth, editor, lang, message):
    person = factories.person(name="Bupati Temanggung", region="Kabupaten Temanggung, Jawa Tengah")
    with client.session_transaction() as session:
        session["lang"] = lang
    long_region = "Kabupaten " + "x" * 120
    new = auth.post(
        "/directory/people/new", {"name": "A", "category": "ngo", "region": long_region}
    )
    assert new.status_code == 422
    assert message in field_error(text(new), "region")
    assert count(Person) == 1

    edit = auth.post(
        f"/directory/people/{person.id}/edit",
        {"name": "Bupati Temanggung", "category": "government", "region": long_region},
    )
    assert edit.status_code == 422
    assert message in field_error(text(edit), "region")
    db.session.expire_all()
    assert db.session.get(Person, person.id).region == "Kabupaten Temanggung, Jawa Tengah"


# --- the API ----------------------------------------------------------------------------


def test_api_reads_and_writes_region_with_province_derived(client, token):
    bangka = factories.organization(name="Pemkab Bangka", region="Kabupaten Bangka, Babel")
    body = {"name": "Mulkan", "category": "government", "region": POSO}
    created = client.post(f"{API}/people", json=body, headers=token)
    assert created.status_code == 201, created.get_data(as_text=True)
    person = created.get_json()
    assert (person["region"], person["province"], person["zone"]) == (
        POSO,
        "sulawesi tengah",
        "Asia/Makassar",
    )
    url = created.headers["Location"]
    # no region of their own: the organization's province, still derived
    moved = client.patch(url, json={"region": None, "organization_id": bangka.id}, headers=token)
    assert moved.get_json()["province"] == "kepulauan bangka belitung"
    assert moved.get_json()["region"] is None
    # read-only: sending it back is refused, and nothing changes
    refused = client.patch(url, json={"province": "papua", "region": "Jayapura"}, headers=token)
    assert refused.status_code == 422
    too_long = client.patch(url, json={"region": "x" * 121}, headers=token)
    assert too_long.status_code == 422
    assert "region" in too_long.get_json()["errors"]
    assert client.get(url, headers=token).get_json()["province"] == "kepulauan bangka belitung"


def test_api_filters_people_by_their_derived_province(client, token):
    palu = factories.organization(name="Bappeda Sulteng", region="Palu")
    parent = factories.organization(name="Pemprov Jateng", region="Provinsi Jawa Tengah")
    child = factories.organization(name="Dinas tanpa wilayah", parent=parent)
    factories.person(name="Own region", region=POSO)
    factories.person(name="Via organization", organization=palu)
    factories.person(name="Nameless region, organization counts", region="Poso", organization=palu)
    factories.person(name="Own region wins", region="Temanggung, Jawa Tengah", organization=palu)
    factories.person(name="Via parent", organization=child)
    factories.person(name="Nowhere")

    def names(province: str) -> set[str]:
        response = client.get(f"{API}/people", query_string={"province": province}, headers=token)
        assert response.status_code == 200, response.get_data(as_text=True)
        items = response.get_json()["items"]
        assert all(item["province"] == province for item in items)
        return {item["name"] for item in items}

    assert names("sulawesi tengah") == {
        "Own region",
        "Via organization",
        "Nameless region, organization counts",
    }
    assert names("jawa tengah") == {"Own region wins", "Via parent"}
    assert names("papua") == set()
    assert client.get(f"{API}/people?province=Sulteng", headers=token).status_code == 422
    assert len(client.get(f"{API}/people", headers=token).get_json()["items"]) == 6


# --- the list page ----------------------------------------------------------------------


def test_list_shows_province_under_organization_and_filters_by_it(client, editor):
    factories.person(name="Verna", region=POSO)
    factories.person(name="Hasto", region="Kabupaten Temanggung, Jateng")
    html = text(client.get("/directory/people"))
    assert "Sulawesi Tengah</small>" in html
    assert "Jawa Tengah</small>" in html
    assert '<option value="sulawesi tengah">Sulawesi Tengah</option>' in html
    filtered = text(client.get("/directory/people?province=sulawesi+tengah"))
    assert "Verna" in filtered
    assert "Hasto" not in filtered
    assert "Hasto" in text(client.get("/directory/people?province=atlantis"))


# --- the CSV import ---------------------------------------------------------------------


@pytest.mark.parametrize("header", ["asal daerah", "daerah", "region", "Asal Daerah"])
def test_csv_import_reads_the_region_column(header):
    editor = factories.user("secretariat")
    raw = f"nama;kategori;{header}\nVerna;pemerintah;{POSO}\nMulkan;pemerintah;\n".encode()
    assert import_people(editor, raw, **LIMITS).created == 2
    verna = db.session.scalar(select(Person).where(Person.name == "Verna"))
    assert (verna.region, verna.province) == (POSO, "sulawesi tengah")
    assert db.session.scalar(select(Person.region).where(Person.name == "Mulkan")) is None


@pytest.mark.parametrize("locale", ["id", "en"])
def test_csv_region_too_long_is_a_row_error_and_imports_nothing(app, locale):
    editor = factories.user("secretariat")
    raw = f'nama,kategori,daerah\nVerna,ngo,"{POSO}"\nMulkan,ngo,{"x" * 121}\n'.encode()
    with app.test_request_context(headers=chosen(locale)):
        with pytest.raises(CsvImportError) as caught:
            import_people(editor, raw, **LIMITS)
        rows = caught.value.report.row_errors
        assert [row.line for row in rows] == [3]
        expected = {"id": "Paling banyak 120 karakter.", "en": "At most 120 characters."}
        assert rows[0].errors["region"] == [expected[locale]]
    assert count(Person) == 0
