"""Attendance across a series and a forum as CSV and XLSX (issue 13, point 6): one row
per invitation per meeting in date order, times in the site's zone with its label; the
owning institution's staff (a viewer too) may download it, another institution's series
or forum is not found; no cell can start a formula; the API twins say the same."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from meetcoord.accounts.models import Role
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, MeetingStatus, Rsvp, Series
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions

HEADER_ID = ["Judul rapat", "Tanggal", "Lokasi", "Nama", "Jabatan", "Instansi", "Kategori"]
HEADER_EN = ["Meeting title", "Date", "Site", "Name", "Position", "Agency", "Category"]


def _meeting(by: Any, title: str, day: int, series: Series | None = None, **fields: Any) -> Meeting:
    made = factories.meeting(
        by=by,
        title=title,
        start_at=f"2030-0{day}-10T09:00",
        end_at=f"2030-0{day}-10T12:00",
        **fields,
    )
    if series is not None:  # as the series' generator links the meetings it makes
        made.series_id = series.id
        db.session.flush()
    return made


class Scene:
    """A series of two meetings (the later one made first) in a forum, a third meeting
    of the forum outside the series, a cancelled one, and NTB's own series."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        institution_id = self.staff_institution()
        self.forum = factories.forum(institution_id=institution_id)
        self.series = Series(
            title="Evaluasi Triwulan Desa Binaan",
            rrule="FREQ=MONTHLY;INTERVAL=3",
            timezone="Asia/Makassar",
            institution_id=institution_id,
            forum_id=self.forum.id,
        )
        db.session.add(self.series)
        db.session.flush()
        both = {"series": self.series, "forum_id": self.forum.id}
        self.second = _meeting(self.staff, "Evaluasi Triwulan II", 6, **both)
        self.first = _meeting(self.staff, "Evaluasi Triwulan I", 3, **both)
        self.other = _meeting(self.staff, "Rakor Forum", 4, forum_id=self.forum.id)
        self.cancelled = _meeting(self.staff, "Batal", 5, **both)
        self.ambon = factories.venue(name="Aula Kantor Bupati Ambon", timezone="Asia/Jayapura")
        remote = factories.site(self.first, venue=self.ambon)
        self.dinas = factories.organization(name="Dinas Pertanian Uji")
        self.maria = factories.person(
            name="Maria Lewerissa", position="Kepala Bidang", organization_id=self.dinas.id
        )
        self.came = factories.invitation(self.first, person=self.maria, site=remote)
        self.came.rsvp = Rsvp.ACCEPTED
        factories.attendance(
            self.came,
            at=datetime(2030, 3, 10, 0, 5, tzinfo=UTC),  # 09.05 WIT in Ambon
            stand_in_name="Drs. Umbu Rehi",
            stand_in_position="Sekretaris Dinas",
        )
        self.missed = factories.invitation(self.second, person=self.maria)
        self.evil = factories.person(name='=HYPERLINK("http://x")', position="+62 811")
        factories.invitation(self.first, person=self.evil, online=True)
        factories.invitation(self.other, person=self.maria)
        factories.invitation(self.cancelled, person=self.maria)
        self.cancelled.status = MeetingStatus.CANCELLED
        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.outsider = factories.user(Role.SECRETARIAT, institution=self.ntb)
        self.ntb_forum = factories.forum(institution_id=self.ntb.id)
        db.session.flush()

    @staticmethod
    def staff_institution() -> int:
        return factories.default_institution().id


@pytest.fixture
def scene(app: Flask) -> Scene:
    return Scene()


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_a_series_has_one_row_per_invitation_in_date_order(auth: AuthActions, scene: Scene) -> None:
    auth.login(user=scene.staff)
    response = auth.client.get(f"/series/{scene.series.id}/attendance.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Cache-Control"] == "private, no-store"
    disposition = response.headers["Content-Disposition"]
    expected = f"kehadiran-seri-{scene.series.id}-evaluasi-triwulan-desa-binaan.csv"
    assert disposition == f'attachment; filename="{expected}"'
    rows = read_csv(response.data)
    assert rows[0][:7] == HEADER_ID
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    # Triwulan I (March: Maria at Ambon, the online guest), then Triwulan II (June: Maria).
    assert [(r["Judul rapat"], r["Nama"]) for r in body] == [
        ("Evaluasi Triwulan I", "Maria Lewerissa"),
        ("Evaluasi Triwulan I", '\'=HYPERLINK("http://x")'),
        ("Evaluasi Triwulan II", "Maria Lewerissa"),
    ]
    came, online, missed = body
    assert came["Tanggal"] == "2030-03-10 09.00 WITA"  # the host's zone
    assert came["Lokasi"] == "Aula Kantor Bupati Ambon"
    assert came["Waktu hadir"] == "2030-03-10 09.05 WIT"  # the site's own zone
    assert came["Diwakili oleh"] == "Drs. Umbu Rehi (Sekretaris Dinas)"
    assert (came["Jabatan"], came["Instansi"]) == ("Kepala Bidang", "Dinas Pertanian Uji")
    assert (came["Kategori"], came["Jenis kelamin"]) == ("Pemerintah", "Laki-laki")
    assert (came["Peran"], came["Jawaban undangan"]) == ("Peserta", "Hadir")
    assert (online["Lokasi"], online["Jabatan"], online["Waktu hadir"]) == (
        "Daring",
        "'+62 811",
        "",
    )
    assert (missed["Waktu hadir"], missed["Diwakili oleh"]) == ("", "")
    assert missed["Jawaban undangan"] == "Belum menjawab"


def test_a_forum_has_its_meetings_outside_the_series_too(auth: AuthActions, scene: Scene) -> None:
    auth.login(user=scene.staff)
    response = auth.client.get(f"/forums/{scene.forum.id}/attendance.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.data))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert [r[0] for r in rows[1:]] == [
        "Evaluasi Triwulan I",
        "Evaluasi Triwulan I",
        "Rakor Forum",
        "Evaluasi Triwulan II",
    ]
    texts = [v for r in rows for v in r if isinstance(v, str)]
    assert '\'=HYPERLINK("http://x")' in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert auth.client.get(f"/forums/{scene.forum.id}/attendance.pdf").status_code == 404


def test_another_institution_s_series_and_forum_are_not_found(
    client: FlaskClient, auth: AuthActions, scene: Scene
) -> None:
    auth.login(user=scene.outsider)
    for path in (
        f"/series/{scene.series.id}/attendance.csv",
        f"/forums/{scene.forum.id}/attendance.xlsx",
        "/series/999999/attendance.csv",
    ):
        assert auth.client.get(path).status_code == 404, path
    headers = bearer(scene.outsider)
    for path in (
        f"/api/v1/series/{scene.series.id}/attendance",
        f"/api/v1/forums/{scene.forum.id}/attendance?format=xlsx",
    ):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 404, path
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    own = client.get(f"/api/v1/forums/{scene.ntb_forum.id}/attendance", headers=headers)
    assert own.status_code == 200
    assert read_csv(own.data) == [read_csv(own.data)[0]]  # their forum: no meetings yet


def test_the_api_twins_a_viewer_and_english_headings(client: FlaskClient, scene: Scene) -> None:
    viewer = factories.user(Role.VIEWER)
    viewer.locale = "en"
    db.session.flush()
    response = client.get(
        f"/api/v1/series/{scene.series.id}/attendance",
        query_string={"format": "xlsx"},
        headers=bearer(viewer),
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [list(r) for r in load_workbook(io.BytesIO(response.data)).active.values]
    assert rows[0][:7] == HEADER_EN
    assert rows[0][-2:] == ["Checked in at", "Represented by"]
    assert rows[1][2:4] == ["Aula Kantor Bupati Ambon", "Maria Lewerissa"]
    assert rows[2][2] == "Online"
    assert len(rows) == 4
    csv_answer = client.get(
        f"/api/v1/forums/{scene.forum.id}/attendance", headers=bearer(scene.staff)
    )
    assert len(read_csv(csv_answer.data)) == 5
    wrong = client.get(
        f"/api/v1/series/{scene.series.id}/attendance?format=ods", headers=bearer(scene.staff)
    )
    assert wrong.status_code == 422
    assert client.get(f"/api/v1/series/{scene.series.id}/attendance").status_code == 401


def test_a_meeting_s_own_list_is_private_and_formula_safe_too(
    auth: AuthActions, scene: Scene
) -> None:
    auth.login(user=scene.staff)
    response = auth.client.get(f"/meetings/{scene.first.id}/attendance/all.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(b"\xef\xbb\xbf")
