"""Directory pages: lists, forms, deletes, forum members and the CSV import, over HTTP."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from meetcoord.directory.models import (
    Forum,
    ForumMember,
    ForumRole,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    StakeholderCategory,
    Venue,
)
from meetcoord.extensions import db
from tests import factories
from tests.helpers import count, field_error, text


@pytest.fixture
def editor(auth):
    return auth.login("secretariat")


# --- lists ------------------------------------------------------------------------------


def test_every_list_renders_with_empty_state(client, editor):
    for path, label in (
        ("/directory/organizations", "Belum ada organisasi"),
        ("/directory/people", "Belum ada orang"),
        ("/directory/forums", "Belum ada forum"),
        ("/directory/venues", "Belum ada tempat"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert label in text(response), path


def test_organization_list_search_filter_sort_and_pages(app, client, editor):
    for i in range(app.config["PAGE_SIZE"] + 2):
        factories.organization(name=f"Dinas Uji Halaman {i:02d}", region="Sumba Barat Daya")
    factories.organization(name="Yayasan Bahtera", kind=OrgKind.NGO, level=OrgLevel.REGENCY)
    factories.organization(name="BAPPEDA Provinsi NTB", level=OrgLevel.PROVINCE, short_name="NTB")

    first = text(client.get("/directory/organizations?q=Halaman"))
    assert "Dinas Uji Halaman 00" in first
    assert f"Dinas Uji Halaman {app.config['PAGE_SIZE']:02d}" not in first
    assert "Halaman 1 dari 2" in first
    assert 'rel="next"' in first
    second = text(client.get("/directory/organizations?q=Halaman&page=2"))
    assert f"Dinas Uji Halaman {app.config['PAGE_SIZE'] + 1:02d}" in second
    assert "Dinas Uji Halaman 00" not in second
    assert "q=Halaman" in re.search(r'rel="prev" href="([^"]+)"', second).group(1)

    desc = text(client.get("/directory/organizations?q=Halaman&sort=name&order=desc"))
    assert desc.index("Halaman 26") < desc.index("Halaman 25")
    assert 'aria-sort="descending"' in desc

    ngo = text(client.get("/directory/organizations?kind=ngo"))
    assert "Yayasan Bahtera" in ngo
    assert "Dinas Uji" not in ngo
    province = text(client.get("/directory/organizations?level=province"))
    assert "BAPPEDA Provinsi NTB" in province
    assert "Yayasan" not in province
    # unknown filter, sort and page values fall back to the plain list
    fallback = client.get("/directory/organizations?kind=alien&sort=password&page=abc")
    assert fallback.status_code == 200
    none = text(client.get("/directory/organizations?q=tidak-ada-sama-sekali"))
    assert "Tidak ada data yang cocok" in none


def test_people_list_search_filters_and_sort(client, editor):
    bappeda = factories.organization(name="Bappeda Sumba Barat Daya")
    factories.person(name="Yohanes Bili", position="Kepala Bidang", organization=bappeda)
    factories.person(
        name="Maria Goreti",
        position="Tokoh Perempuan",
        category=StakeholderCategory.WOMEN_LEADER,
    )
    by_org = text(client.get(f"/directory/people?organization_id={bappeda.id}"))
    assert "Yohanes Bili" in by_org
    assert "Maria Goreti" not in by_org
    by_cat = text(client.get("/directory/people?category=women_leader"))
    assert "Maria Goreti" in by_cat
    assert "Yohanes Bili" not in by_cat
    search = text(client.get("/directory/people?q=kepala"))
    assert "Yohanes Bili" in search
    assert "Maria Goreti" not in search
    asc = text(client.get("/directory/people?sort=name&order=asc"))
    assert asc.index("Maria Goreti") < asc.index("Yohanes Bili")
    desc = text(client.get("/directory/people?sort=name&order=desc"))
    assert desc.index("Yohanes Bili") < desc.index("Maria Goreti")


def test_forum_and_venue_lists_search_and_sort(client, editor):
    factories.forum(name="Forum BangKIT", decree_number="289/KEP/HK/2023")
    factories.forum(name="Forum Musrenbang", decree_number="12/KEP/2024")
    hit = text(client.get("/directory/forums?q=289/KEP"))
    assert "Forum BangKIT" in hit
    assert "Forum Musrenbang" not in hit

    factories.venue(name="Aula Bappeda NTB", city="Mataram", timezone="Asia/Makassar", capacity=80)
    factories.venue(name="Ruang Rapat Bappenas", city="Jakarta", timezone="Asia/Jakarta")
    factories.venue(name="Kantor Gubernur Maluku", city="Ambon", timezone="Asia/Jayapura")
    venues = text(client.get("/directory/venues?sort=city&order=asc"))
    assert venues.index("Kantor Gubernur Maluku") < venues.index("Ruang Rapat Bappenas")
    for label in ("WIB", "WITA", "WIT"):
        assert f'<span class="badge">{label}</span>' in venues
    only = text(client.get("/directory/venues?q=Mataram"))
    assert "Aula Bappeda NTB" in only
    assert "Bappenas" not in only


# --- venues -----------------------------------------------------------------------------


def test_venue_create_edit_delete(client, auth, editor):
    form = client.get("/directory/venues/new")
    html = text(form)
    assert form.status_code == 200
    assert re.search(r'<button type="submit"[^>]*>Simpan</button>', html)
    # WIB/WITA/WIT come first in the zone select
    zones = re.findall(r'<option value="([^"]*)"', html.split('id="timezone"')[1])
    assert zones[1:4] == ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]

    response = auth.post(
        "/directory/venues/new",
        {
            "name": "Aula Bappeda Lombok Timur",
            "address": "Jl. Prof. M. Yamin, Selong",
            "city": "Selong",
            "timezone": "Asia/Makassar",
            "capacity": "120",
        },
    )
    assert response.status_code == 302
    venue = db.session.scalar(select(Venue).where(Venue.name == "Aula Bappeda Lombok Timur"))
    assert venue.capacity == 120
    assert venue.timezone == "Asia/Makassar"
    listed = text(client.get("/directory/venues"))
    assert "Tempat Aula Bappeda Lombok Timur tersimpan (WITA)." in listed

    edit = auth.post(
        f"/directory/venues/{venue.id}/edit",
        {"name": venue.name, "timezone": "Asia/Jayapura", "capacity": "90", "city": "Ambon"},
    )
    assert edit.status_code == 302
    db.session.refresh(venue)
    assert (venue.timezone, venue.capacity, venue.city) == ("Asia/Jayapura", 90, "Ambon")

    confirm = client.get(f"/directory/venues/{venue.id}/delete")
    assert confirm.status_code == 200
    assert "Ya, hapus" in text(confirm)
    assert auth.post(f"/directory/venues/{venue.id}/delete").status_code == 302
    assert db.session.get(Venue, venue.id) is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "timezone": "Asia/Makassar"}, "name", "Wajib diisi."),
        ({"name": "Aula X", "timezone": "Mars/Olympus"}, "timezone", "Zona waktu tidak dikenal"),
        ({"name": "Aula X", "timezone": ""}, "timezone", "Wajib diisi."),
        ({"name": "Aula X", "timezone": "Asia/Jakarta", "capacity": "banyak"}, "capacity", "bulat"),
        (
            {"name": "Aula X", "timezone": "Asia/Jakarta", "capacity": "0"},
            "capacity",
            "Paling kecil",
        ),
    ],
)
def test_venue_bad_input_is_shown_beside_the_field(client, auth, editor, data, field, message):
    before = count(Venue)
    response = auth.post("/directory/venues/new", data)
    assert response.status_code == 422
    html = text(response)
    assert message in field_error(html, field)
    assert 'aria-invalid="true"' in html
    assert count(Venue) == before


def test_venue_duplicate_name_is_409(client, auth, editor):
    factories.venue(name="Aula Utama")
    response = auth.post(
        "/directory/venues/new", {"name": "aula utama", "timezone": "Asia/Jakarta"}
    )
    assert response.status_code == 409
    assert "Sudah dipakai" in field_error(text(response), "name")
    assert count(Venue) == 1


def test_failed_edit_changes_nothing(client, auth, editor):
    venue = factories.venue(name="Aula Lama", capacity=50)
    response = auth.post(
        f"/directory/venues/{venue.id}/edit",
        {"name": "Aula Baru", "timezone": "Nowhere/City", "capacity": "70"},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert (venue.name, venue.capacity) == ("Aula Lama", 50)


# --- organizations ----------------------------------------------------------------------


def test_organization_create_detail_edit_delete(client, auth, editor):
    parent = factories.organization(name="BAPPEDA Provinsi NTB", level=OrgLevel.PROVINCE)
    response = auth.post(
        "/directory/organizations/new",
        {
            "name": "BAPPEDA Kabupaten Lombok Timur",
            "short_name": "Bappeda Lotim",
            "kind": "opd",
            "level": "regency",
            "parent_id": str(parent.id),
            "region": "Lombok Timur",
            "email": "bappeda@lomboktimurkab.go.id",
            "phone": "0376-21000",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.short_name == "Bappeda Lotim"))
    assert org.parent_id == parent.id
    assert org.phone == "+6237621000"
    detail = text(client.get(response.headers["Location"]))
    assert "BAPPEDA Kabupaten Lombok Timur" in detail
    assert "BAPPEDA Provinsi NTB" in detail

    edit = auth.post(
        f"/directory/organizations/{org.id}/edit",
        {"name": org.name, "kind": "opd", "level": "regency", "region": "Selong", "parent_id": ""},
    )
    assert edit.status_code == 302
    db.session.refresh(org)
    assert org.region == "Selong"
    assert org.parent_id is None

    assert auth.post(f"/directory/organizations/{org.id}/delete").status_code == 302
    assert db.session.get(Organization, org.id) is None


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"name": "Wajib diisi.", "kind": "Wajib diisi.", "level": "Wajib diisi."}),
        ({"name": "Dinas X", "kind": "bank", "level": "regency"}, {"kind": "Nilai tidak dikenal"}),
        (
            {"name": "Dinas X", "kind": "opd", "level": "regency", "email": "bukan-email"},
            {"email": "Alamat email tidak valid."},
        ),
        (
            {"name": "Dinas X", "kind": "opd", "level": "regency", "parent_id": "99999"},
            {"parent_id": "Tidak ada data"},
        ),
        (
            {"name": "Dinas X", "kind": "opd", "level": "regency", "parent_id": "satu"},
            {"parent_id": "bulat"},
        ),
    ],
)
def test_organization_bad_input(client, auth, editor, data, errors):
    response = auth.post("/directory/organizations/new", data)
    assert response.status_code == 422
    html = text(response)
    for field, message in errors.items():
        assert message in field_error(html, field), field
    assert count(Organization) == 0


def test_organization_edit_cannot_clear_a_required_field(client, auth, editor):
    org = factories.organization(name="Dinas Kesehatan")
    response = auth.post(
        f"/directory/organizations/{org.id}/edit", {"name": "", "kind": "opd", "level": "regency"}
    )
    assert response.status_code == 422
    assert "Wajib diisi." in field_error(text(response), "name")
    db.session.expire_all()
    assert org.name == "Dinas Kesehatan"


def test_organization_delete_refused_names_the_references(client, auth, editor):
    org = factories.organization(name="Bappeda Sumba Barat Daya")
    factories.person(organization=org)
    factories.person(organization=org)
    factories.organization(name="Bidang Ekonomi", parent=org)
    response = auth.post(f"/directory/organizations/{org.id}/delete")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Tidak dapat dihapus" in page
    assert "2 orang" in page
    assert "1 organisasi turunan" in page
    assert db.session.get(Organization, org.id) is not None


# --- people -----------------------------------------------------------------------------


def test_person_create_edit_delete(client, auth, editor):
    org = factories.organization(name="Dinas Sosial")
    response = auth.post(
        "/directory/people/new",
        {
            "name": "Agustina Lende",
            "position": "Kepala Seksi",
            "organization_id": str(org.id),
            "email": "Agustina@Example.go.id",
            "phone": "0812-3456-7890",
            "gender": "female",
            "category": "government",
            "has_disability": "y",
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "Agustina Lende"))
    assert person.email == "agustina@example.go.id"
    assert person.phone == "+6281234567890"
    assert person.has_disability is True
    assert person.organization_id == org.id

    edit = auth.post(
        f"/directory/people/{person.id}/edit",
        {"name": "Agustina Lende", "category": "women_leader", "email": person.email},
    )
    assert edit.status_code == 302
    db.session.refresh(person)
    assert person.category is StakeholderCategory.WOMEN_LEADER
    assert person.has_disability is False  # an unticked box is a "no"

    assert auth.post(f"/directory/people/{person.id}/delete").status_code == 302
    assert db.session.get(Person, person.id) is None


def test_person_form_sets_and_clears_their_zone(client, auth, editor):
    org = factories.organization(name="Bappeda Kabupaten Uji", region="Kota Kupang, NTT")
    form = text(client.get("/directory/people/new"))
    assert "— ikuti wilayah organisasi —" in form
    assert '<option value="Asia/Jayapura">WIT — Asia/Jayapura</option>' in form
    data = {"name": "Yakobus Tefa", "category": "government", "organization_id": str(org.id)}
    created = auth.post("/directory/people/new", {**data, "timezone": "Asia/Jayapura"})
    assert created.status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "Yakobus Tefa"))
    assert (person.timezone, person.zone_label) == ("Asia/Jayapura", "WIT")
    edit = text(client.get(f"/directory/people/{person.id}/edit"))
    assert '<option selected value="Asia/Jayapura">' in edit
    cleared = auth.post(f"/directory/people/{person.id}/edit", {**data, "timezone": ""})
    assert cleared.status_code == 302
    db.session.refresh(person)
    assert (person.timezone, person.zone_label) == (None, "WITA")  # Kupang, NTT


@pytest.mark.parametrize(
    ("data", "status", "errors"),
    [
        ({"name": "", "category": ""}, 422, {"name": "Wajib diisi.", "category": "Wajib diisi."}),
        ({"name": "A", "category": "government", "phone": "12"}, 422, {"phone": "tidak valid"}),
        ({"name": "A", "category": "raja"}, 422, {"category": "Nilai tidak dikenal"}),
        ({"name": "A", "category": "government", "gender": "x"}, 422, {"gender": "tidak dikenal"}),
        ({"name": "A", "category": "government", "email": "dup@example.go.id"}, 409, {"email": ""}),
        (
            {"name": "A", "category": "government", "timezone": "Asia/Ambon"},
            422,
            {"timezone": "Zona waktu tidak dikenal"},
        ),
    ],
)
def test_person_bad_input(client, auth, editor, data, status, errors):
    factories.person(email="dup@example.go.id")
    response = auth.post("/directory/people/new", data)
    assert response.status_code == status
    html = text(response)
    for field, message in errors.items():
        assert field_error(html, field), field
        assert message in field_error(html, field)
    assert count(Person) == 1


def test_person_in_a_forum_cannot_be_deleted(client, auth, editor):
    forum = factories.forum(members=1)
    person = forum.members[0].person
    response = auth.post(f"/directory/people/{person.id}/delete")
    assert response.status_code == 302
    assert "1 keanggotaan forum" in text(client.get(response.headers["Location"]))
    assert db.session.get(Person, person.id) is not None


# --- forums -----------------------------------------------------------------------------


def test_forum_create_detail_members_and_delete(client, auth, editor):
    org = factories.organization(name="Bappeda Sumba Barat Daya")
    response = auth.post(
        "/directory/forums/new",
        {
            "name": "Forum BangKIT",
            "decree_number": "289/KEP/HK/2023",
            "decree_date": "2023-05-15",
            "decree_issuer": "Bupati Sumba Barat Daya",
            "organization_id": str(org.id),
        },
    )
    assert response.status_code == 302
    forum = db.session.scalar(select(Forum).where(Forum.name == "Forum BangKIT"))
    assert forum.decree_date == date(2023, 5, 15)
    detail = text(client.get(f"/directory/forums/{forum.id}"))
    assert "289/KEP/HK/2023" in detail
    assert "Senin, 15 Mei 2023" in detail
    assert "Forum ini belum punya anggota." in detail
    assert "Forum BangKIT" in text(client.get("/directory/forums"))

    chair = factories.person(name="Yohanes Bili")
    added = auth.post(
        f"/directory/forums/{forum.id}/members", {"person_id": str(chair.id), "role": "chair"}
    )
    assert added.status_code == 302
    detail = text(client.get(f"/directory/forums/{forum.id}"))
    assert "Yohanes Bili" in detail
    assert "Ketua" in detail
    member = db.session.scalar(select(ForumMember).where(ForumMember.forum_id == forum.id))
    assert member.role is ForumRole.CHAIR

    again = auth.post(
        f"/directory/forums/{forum.id}/members", {"person_id": str(chair.id), "role": "member"}
    )
    assert again.status_code == 409
    bad_role = auth.post(
        f"/directory/forums/{forum.id}/members",
        {"person_id": str(factories.person().id), "role": "raja"},
    )
    assert bad_role.status_code == 422
    assert "Peran tidak dikenal." in field_error(text(bad_role), "role")
    nobody = auth.post(f"/directory/forums/{forum.id}/members", {"person_id": "", "role": "member"})
    assert nobody.status_code == 422

    removed = auth.post(f"/directory/forums/{forum.id}/members/{member.id}/remove")
    assert removed.status_code == 302
    assert db.session.get(ForumMember, member.id) is None
    assert db.session.get(type(chair), chair.id) is not None

    factories.forum(members=0)
    forum_id = forum.id
    assert auth.post(f"/directory/forums/{forum_id}/delete").status_code == 302
    assert db.session.get(Forum, forum_id) is None


def test_forum_bad_input(client, auth, editor):
    factories.forum(name="Forum Ada")
    response = auth.post("/directory/forums/new", {"name": "", "decree_date": "15-05-2023"})
    assert response.status_code == 422
    html = text(response)
    assert "Wajib diisi." in field_error(html, "name")
    assert "TTTT-BB-HH" in field_error(html, "decree_date")
    duplicate = auth.post("/directory/forums/new", {"name": "forum ada"})
    assert duplicate.status_code == 409
    assert count(Forum) == 1


# --- CSV import -------------------------------------------------------------------------


def upload(auth, content: bytes, name: str = "peserta.csv"):
    return auth.post(
        "/directory/people/import",
        {"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_import_template_downloads_with_the_header(client, editor):
    response = client.get("/directory/people/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data().decode("utf-8-sig")
    assert (
        body.strip()
        == "nama;jabatan;organisasi;email;telepon;jenis_kelamin;kategori;disabilitas;zona;"
        "asal_daerah"
    )
    page = text(client.get("/directory/people/import"))
    assert 'enctype="multipart/form-data"' in page
    assert "/directory/people/import/template.csv" in page


def test_import_people_from_the_template(client, auth, editor):
    factories.organization(
        name="Bappeda Sumba Barat Daya",
        short_name="Bappeda SBD",
        region="Kabupaten Sumba Barat Daya, Nusa Tenggara Timur",
    )
    header = client.get("/directory/people/import/template.csv").get_data()
    rows = (
        b"Yohanes Bili;Kepala Bappeda;Bappeda SBD;yohanes@sbd.go.id;0813-1111-2222;"
        b"L;pemerintah;;;\r\n"
        b"Maria Goreti;Ketua PKK;;;;P;tokoh perempuan;ya;WIT;Kota Jayapura, Papua\r\n"
    )
    response = upload(auth, header + rows)
    assert response.status_code == 302
    assert "2 orang berhasil diimpor." in text(client.get(response.headers["Location"]))
    maria = db.session.scalar(select(Person).where(Person.name == "Maria Goreti"))
    assert maria.has_disability is True
    assert maria.category is StakeholderCategory.WOMEN_LEADER
    assert maria.timezone == "Asia/Jayapura"  # "WIT" in the zona column, stored as IANA
    assert (maria.region, maria.province) == ("Kota Jayapura, Papua", "papua")
    yohanes = db.session.scalar(select(Person).where(Person.name == "Yohanes Bili"))
    assert (yohanes.timezone, yohanes.zone) == (None, "Asia/Makassar")  # from the region


def test_import_bad_rows_show_the_report_and_import_nothing(client, auth, editor):
    factories.person(email="ada@example.go.id")
    content = (
        b"nama,kategori,email,organisasi\n"
        b"Yohanes Bili,pemerintah,yohanes@example.go.id,\n"
        b",pemerintah,,\n"
        b"Maria Goreti,raja,,Dinas Tidak Ada\n"
        b"Agustina Lende,pemerintah,ADA@example.go.id,\n"
    )
    response = upload(auth, content)
    assert response.status_code == 422
    html = text(response)
    assert "Impor dibatalkan" in html
    rows = re.findall(
        r'<td data-label="Baris">(\d+)</td>\s*<td data-label="Kolom"><code>(\w+)</code>', html
    )
    assert ("3", "name") in rows
    assert {("4", "category"), ("4", "organization"), ("5", "email")} <= set(rows)
    assert ("2", "name") not in rows
    assert "Email sudah terdaftar" in html
    assert count(Person) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b"\xff\xfe\x00n\x00a", "bukan CSV teks UTF-8"),
        (b"nama;alamat_rumah\nA;B\n", "Kolom wajib tidak ada: kategori"),
        (b'nama,kategori\n"Yohanes,pemerintah\n', "CSV rusak"),
        (b"nama,kategori\n", "Tidak ada baris data."),
    ],
)
def test_import_malformed_files_are_refused(client, auth, editor, content, message):
    response = upload(auth, content)
    assert response.status_code == 422
    assert message in text(response)
    assert count(Person) == 0


def test_import_oversized_and_too_many_rows(app, client, auth, editor, monkeypatch):
    # Small limits keep the upload in memory (the test client spools big bodies to disk).
    monkeypatch.setitem(app.config, "CSV_MAX_BYTES", 1024)
    monkeypatch.setitem(app.config, "CSV_MAX_ROWS", 2)
    big = b"nama,kategori\n" + b"Yohanes Bili,pemerintah\n" * 60
    response = upload(auth, big)
    assert response.status_code == 422
    assert "Berkas terlalu besar" in text(response)
    assert "Batas: 1 KB" in text(client.get("/directory/people/import"))

    response = upload(auth, b"nama,kategori\nA,pemerintah\nB,pemerintah\nC,pemerintah\n")
    assert response.status_code == 422
    assert "Terlalu banyak baris" in text(response)
    assert count(Person) == 0


# --- access -----------------------------------------------------------------------------


def test_viewer_reads_but_cannot_write(client, auth):
    auth.login("viewer")
    venue = factories.venue(name="Aula Baca Saja")
    org = factories.organization()
    forum = factories.forum(members=1)
    listed = text(client.get("/directory/venues"))
    assert "Aula Baca Saja" in listed
    assert "/directory/venues/new" not in listed
    assert "Tambah anggota" not in text(client.get(f"/directory/forums/{forum.id}"))

    for url in (
        "/directory/venues/new",
        f"/directory/venues/{venue.id}/edit",
        "/directory/organizations/new",
        "/directory/people/new",
        "/directory/forums/new",
        "/directory/people/import",
    ):
        assert client.get(url).status_code == 403, url
    writes = [
        ("/directory/venues/new", {"name": "Aula Curian", "timezone": "Asia/Jakarta"}),
        (f"/directory/venues/{venue.id}/delete", {}),
        (f"/directory/organizations/{org.id}/delete", {}),
        (f"/directory/forums/{forum.id}/members", {"person_id": "1", "role": "member"}),
        (f"/directory/forums/{forum.id}/members/{forum.members[0].id}/remove", {}),
    ]
    for url, data in writes:
        assert auth.post(url, data).status_code == 403, url
    assert db.session.get(Venue, venue.id) is not None
    assert len(db.session.get(Forum, forum.id).members) == 1
    assert count(Venue) == 1


def test_write_without_csrf_is_400_and_changes_nothing(client, auth, editor):
    venue = factories.venue(name="Aula Tetap")
    response = client.post(
        "/directory/venues/new", data={"name": "Aula Tanpa Token", "timezone": "Asia/Jakarta"}
    )
    assert response.status_code == 400
    assert client.post(f"/directory/venues/{venue.id}/delete").status_code == 400
    assert count(Venue) == 1


def test_unknown_records_are_404(client, auth, editor):
    for url in (
        "/directory/organizations/999999",
        "/directory/people/999999/edit",
        "/directory/forums/999999",
        "/directory/venues/999999/delete",
    ):
        assert client.get(url).status_code == 404, url
