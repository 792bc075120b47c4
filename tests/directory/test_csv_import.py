"""People CSV import: every row checked, all or nothing."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from meetcoord.directory.csvimport import CsvImportError, guess_delimiter, import_people
from meetcoord.directory.models import Gender, Person, StakeholderCategory
from meetcoord.extensions import db
from tests import factories

LIMITS = {"max_bytes": 64 * 1024, "max_rows": 100}


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


@pytest.fixture
def editor():
    factories.organization(name="Dinas Sosial Kabupaten Lombok Timur", short_name="Dinsos Lotim")
    return factories.user("secretariat")


def test_excel_semicolon_file_with_indonesian_headers_and_bom(editor):
    raw = (
        "\ufeffnama;jabatan;organisasi;email;telepon;jenis_kelamin;kategori;disabilitas\n"
        "Baiq Nurul Aini;Kepala Seksi;Dinsos Lotim;baiq.aini@example.go.id;0819 1234 5678;"
        "P;tokoh perempuan;tidak\n"
        "Lalu Muhammad Zaini;Ketua HIMASPI;;;;L;tokoh masyarakat;ya\n"
    ).encode()
    report = import_people(editor, raw, **LIMITS)
    assert (report.created, report.rows) == (2, 2)
    baiq = db.session.scalar(select(Person).where(Person.name == "Baiq Nurul Aini"))
    assert baiq.organization.short_name == "Dinsos Lotim"
    assert (baiq.gender, baiq.category) == (Gender.FEMALE, StakeholderCategory.WOMEN_LEADER)
    assert baiq.phone == "+6281912345678"
    zaini = db.session.scalar(select(Person).where(Person.name == "Lalu Muhammad Zaini"))
    assert zaini.has_disability is True


def test_one_bad_row_imports_nothing_and_reports_every_row(editor):
    raw = (
        b"name,organization,email,category\n"
        b"Umbu Kaleka,Dinsos Lotim,umbu@example.go.id,government\n"
        b",Dinas Yang Tidak Ada,bukan-email,astronaut\n"
        b"Rambu Ana,Dinsos Lotim,umbu@example.go.id,ngo\n"
    )
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, **LIMITS)
    report = caught.value.report
    assert [row.line for row in report.row_errors] == [3, 4]
    assert set(report.row_errors[0].errors) == {"name", "organization", "email", "category"}
    assert "baris 2" in report.row_errors[1].errors["email"][0]
    assert people_count() == 0


def test_email_already_in_directory_is_a_row_error(editor):
    factories.person(email="ada@example.go.id")
    raw = b"nama,email,kategori\nSiti,ada@example.go.id,ngo\n"
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, **LIMITS)
    assert caught.value.report.row_errors[0].errors["email"]
    assert people_count() == 1


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "kosong"),
        (b"nama,kategori\n", "Tidak ada baris"),
        (b"\xff\xfe\x00n\x00a", "UTF-8"),
        (b"jabatan,email\nKepala,x@example.go.id\n", "Kolom wajib"),
        (b"nama,kategori,warna\nA,ngo,merah\n", "tidak dikenal"),
        (b'nama,kategori\n"Tanpa penutup,ngo\n', "rusak"),
    ],
)
def test_malformed_files_are_refused_whole(editor, raw, fragment):
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, **LIMITS)
    assert any(fragment in message for message in caught.value.report.file_errors)
    assert people_count() == 0


def test_ragged_row_is_reported(editor):
    raw = b"nama,kategori\nA,ngo,extra\n"
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, **LIMITS)
    assert "row" in caught.value.report.row_errors[0].errors


def test_oversized_and_too_many_rows(editor):
    big = b"nama,kategori\n" + b"Nama Panjang,ngo\n" * 5000
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, big, max_bytes=1024, max_rows=100)
    assert "terlalu besar" in caught.value.report.file_errors[0]
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, big, max_bytes=len(big), max_rows=100)
    assert "100" in caught.value.report.file_errors[0]
    assert people_count() == 0


def test_zone_column_takes_labels_or_iana_names_and_refuses_others(editor):
    raw = (
        b"nama;kategori;zona\n"
        b"Ongky Latuconsina;pemerintah;WIT\n"
        b"Baiq Nurul Aini;tokoh perempuan;Asia/Makassar\n"
        b"Lalu Zaini;tokoh masyarakat;\n"
        b"Siti Rahma;pemerintah;Bumi/Bulan\n"
    )
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, **LIMITS)
    (row,) = caught.value.report.row_errors
    assert row.line == 5
    assert "Zona waktu tidak dikenal" in row.errors["timezone"][0]
    assert people_count() == 0

    import_people(editor, raw.rsplit(b"Siti", 1)[0], **LIMITS)
    zones = dict(db.session.execute(select(Person.name, Person.timezone)).all())
    assert zones == {
        "Ongky Latuconsina": "Asia/Jayapura",
        "Baiq Nurul Aini": "Asia/Makassar",
        "Lalu Zaini": None,
    }


def test_a_hostile_header_line_is_refused_at_once(editor):
    """csv.Sniffer's quote guessing is quadratic: 48 KB of ``,'a`` took it ~9 s (2 MB: hours)."""
    raw = b"nama,kategori" + b",'a" * 16_000 + b"\nA,pemerintah\n"
    started = time.perf_counter()
    with pytest.raises(CsvImportError) as caught:
        import_people(editor, raw, max_bytes=2 * 1024 * 1024, max_rows=100)
    assert time.perf_counter() - started < 1.0
    assert caught.value.report.file_errors  # unknown columns, listed briefly
    assert len(caught.value.report.file_errors[0]) < 1000
    assert people_count() == 0


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("nama;kategori", ";"), ("nama,kategori", ","), ("nama\tkategori", "\t"), ("nama", ",")],
)
def test_the_delimiter_is_the_header_rows_separator(header, delimiter):
    assert guess_delimiter(header) == delimiter
