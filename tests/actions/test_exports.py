"""The tracker as CSV and XLSX (issue 13, point 6): the same rows in the same order as
the tracker for the same filters and sort, only the reader's institutions, every text
cell formula-safe, headings in the reader's language, a big export streamed, and the
API twin; a viewer may download, a personal link may not."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from meetcoord.accounts.models import Role
from meetcoord.actions import services
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.core.tabular import CSV_BATCH
from meetcoord.extensions import db
from meetcoord.meetings import links
from tests import factories
from tests.actions import support
from tests.conftest import AuthActions

TODAY = datetime.now(UTC).date()
PAST = TODAY - timedelta(days=30)
FUTURE = TODAY + timedelta(days=30)
EVIL = ('=HYPERLINK("http://x")', "+62 811", "-1+1", "@SUM(A1)", "\tTab", "\rCR")
HEADER_ID = ["ID", "Judul rapat", "Tanggal rapat", "Penyelenggara", "Forum rapat", "Seri"]
HEADER_EN = ["ID", "Meeting title", "Meeting date", "Institution", "Forum", "Series"]


class Scene:
    """Two meetings of the default institution (one in a forum), one of NTB."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.forum = factories.forum()
        self.first = factories.meeting(
            by=self.staff, forum_id=self.forum.id, title="Rakor Desa Binaan"
        )
        self.second = factories.meeting(by=self.staff)
        self.dinas = factories.organization(name="Dinas Pertanian Uji")
        self.sosial = factories.organization(name="Dinas Sosial Uji")
        self.person = factories.person(organization_id=self.dinas.id, name="Maria Lewerissa")
        self.late = support.action(
            self.first,
            title="Data petani",
            organization_id=self.dinas.id,
            person_id=self.person.id,
            locus="Desa Wee Rame",
            due_on=PAST,
        )
        self.doing = support.action(
            self.first, title="Irigasi", organization_id=self.sosial.id, due_on=FUTURE
        )
        self.done = support.action(
            self.second,
            title="Laporan",
            organization_id=self.dinas.id,
            status=ActionStatus.DONE,
            due_on=PAST,
        )
        self.no_due = support.action(
            self.second, title="Sosialisasi", organization_id=self.sosial.id, due_on=None
        )
        self.ntb = factories.institution(name="Bappeda Provinsi NTB Uji")
        self.outsider = factories.user(Role.SECRETARIAT, institution=self.ntb)
        theirs = factories.meeting(by=self.outsider)
        self.foreign = support.action(theirs, title="Rahasia NTB", organization_id=self.dinas.id)
        self.mine = {self.late.id, self.doing.id, self.done.id, self.no_due.id}


@pytest.fixture
def scene(app: Flask) -> Scene:
    return Scene()


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 then
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def tracker_ids(client: FlaskClient, user: Any, **params: Any) -> list[int]:
    response = client.get(
        "/api/v1/actions", query_string={"per_page": 200, **params}, headers=support.bearer(user)
    )
    assert response.status_code == 200
    return [item["id"] for item in response.get_json()["items"]]


QUERIES: list[dict[str, str]] = [
    {},
    {"sort": "organization"},
    {"sort": "meeting", "order": "desc"},
    {"sort": "status", "order": "desc"},
    {"overdue": "1"},
    {"organization_id": "DINAS"},
    {"locus": "wee"},
    {"q": "a", "sort": "organization", "order": "desc"},
]


def test_the_export_has_the_tracker_s_rows_in_its_order(auth: AuthActions, scene: Scene) -> None:
    auth.login(user=scene.staff)
    for raw in QUERIES:
        params = {k: str(scene.dinas.id) if v == "DINAS" else v for k, v in raw.items()}
        api_params = {**params, "overdue": "true"} if "overdue" in params else params
        expected = tracker_ids(auth.client, scene.staff, **api_params)
        csv_rows = read_csv(auth.client.get("/actions/export.csv", query_string=params).data)
        xlsx_rows = read_xlsx(auth.client.get("/actions/export.xlsx", query_string=params).data)
        assert [int(row[0]) for row in csv_rows[1:]] == expected, params
        assert [row[0] for row in xlsx_rows[1:]] == expected, params
        assert scene.foreign.id not in expected
    overdue = read_csv(auth.client.get("/actions/export.csv?overdue=1").data)
    assert {int(r[0]) for r in overdue[1:]} & scene.mine == {scene.late.id}


def test_a_row_holds_what_the_tracker_knows(auth: AuthActions, scene: Scene) -> None:
    services.add_update(scene.staff, scene.doing, {"note": "Mulai", "percentage": "40"})
    services.change_due(
        scene.staff,
        scene.doing,
        {"due_on": (FUTURE + timedelta(days=5)).isoformat(), "reason": "Hujan"},
    )
    auth.login(user=scene.staff)
    rows = read_csv(auth.client.get(f"/actions/export.csv?meeting_id={scene.first.id}").data)
    header, by_id = rows[0], {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:6] == HEADER_ID
    assert header[-5:] == [
        "Status",
        "Perkembangan terakhir (%)",
        "Pembaruan terakhir",
        "Lewat tenggat",
        "Ditutup pada",
    ]
    late, doing = by_id[scene.late.id], by_id[scene.doing.id]
    assert late["Tindak lanjut"] == "Data petani"
    assert late["Judul rapat"] == "Rakor Desa Binaan"
    assert late["Tanggal rapat"].endswith(" WITA")  # the host venue's zone, labelled
    assert late["Forum rapat"] == scene.forum.name
    assert late["Instansi"] == "Dinas Pertanian Uji"
    assert late["Penanggung jawab"] == "Maria Lewerissa"
    assert late["Lokus"] == "Desa Wee Rame"
    assert late["Tenggat"] == PAST.isoformat()
    assert (late["Status"], late["Lewat tenggat"]) == ("Belum dimulai", "Ya")
    assert doing["Perkembangan terakhir (%)"] == "40"
    assert doing["Tenggat semula"] == FUTURE.isoformat()
    assert doing["Tenggat"] == (FUTURE + timedelta(days=5)).isoformat()
    assert doing["Pembaruan terakhir"].endswith(" WITA")
    assert (doing["Lewat tenggat"], late["Perkembangan terakhir (%)"]) == ("Tidak", "")


def test_no_cell_can_start_a_formula_in_csv_or_xlsx(auth: AuthActions, scene: Scene) -> None:
    meeting = factories.meeting(by=scene.staff, title="=1+1 Rakor")
    for text in EVIL:
        support.action(meeting, title=text, locus=text, organization_id=scene.dinas.id)
    auth.login(user=scene.staff)
    query = {"meeting_id": meeting.id}
    csv_rows = read_csv(auth.client.get("/actions/export.csv", query_string=query).data)
    book = load_workbook(
        io.BytesIO(auth.client.get("/actions/export.xlsx", query_string=query).data)
    )
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert len(csv_rows) == len(EVIL) + 1
    for texts in (
        [v for row in csv_rows for v in row],
        [c.value for c in cells if isinstance(c.value, str)],
    ):
        assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert "'=1+1 Rakor" in texts
        for text in EVIL:
            assert "'" + text in texts
    assert not [c for c in cells if c.data_type == "f"]  # openpyxl stored no formula


def test_headings_and_labels_follow_the_reader_s_language(
    client: FlaskClient, scene: Scene
) -> None:
    scene.staff.locale = "en"
    db.session.flush()
    headers = support.bearer(scene.staff)
    response = client.get(
        "/api/v1/actions/export",
        query_string={"format": "xlsx", "overdue": "true"},
        headers=headers,
    )
    rows = read_xlsx(response.data)
    assert rows[0][:6] == HEADER_EN
    assert "Overdue" in rows[0]
    mine = [row for row in rows[1:] if row[0] == scene.late.id]
    assert len(mine) == 1
    assert "Not started" in mine[0]
    assert "Yes" in mine[0]


def test_downloads_are_private_attachments_with_safe_names(
    auth: AuthActions, client: FlaskClient, scene: Scene
) -> None:
    auth.login(user=scene.staff)
    for path in ("/actions/export.csv", "/actions/export.xlsx"):
        response = auth.client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        disposition = response.headers["Content-Disposition"]
        assert (
            disposition
            == f'attachment; filename="tindak-lanjut-{_today(auth)}.{path[-4:].strip(".")}"'
        )
    assert auth.client.get("/actions/export.pdf").status_code == 404
    page = auth.client.get("/actions?overdue=1&sort=status").get_data(as_text=True)
    assert "/actions/export.csv?overdue=1&amp;sort=status" in page
    assert "/actions/export.xlsx?overdue=1&amp;sort=status" in page


def _today(auth: AuthActions) -> str:
    from meetcoord.actions.queries import today

    with auth.client.application.test_request_context():
        return today().isoformat()


def test_the_api_twin_filters_and_refuses_a_wrong_format(client: FlaskClient, scene: Scene) -> None:
    headers = support.bearer(scene.staff)
    response = client.get(
        "/api/v1/actions/export",
        query_string={"organization_id": scene.dinas.id, "sort": "organization"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    ids = [int(row[0]) for row in read_csv(response.data)[1:]]
    assert ids == tracker_ids(
        client, scene.staff, organization_id=scene.dinas.id, sort="organization"
    )
    assert set(ids) & (scene.mine | {scene.foreign.id}) == {scene.late.id, scene.done.id}
    wrong = client.get("/api/v1/actions/export?format=pdf", headers=headers)
    assert wrong.status_code == 422
    assert wrong.headers["Content-Type"].startswith("application/problem+json")
    outsider = client.get("/api/v1/actions/export", headers=support.bearer(scene.outsider))
    texts = outsider.get_data(as_text=True)
    assert "Rahasia NTB" in texts
    assert "Data petani" not in texts


def test_a_viewer_may_download_and_a_personal_link_may_not(
    client: FlaskClient, auth: AuthActions, scene: Scene
) -> None:
    viewer = factories.user(Role.VIEWER)
    assert client.get("/api/v1/actions/export", headers=support.bearer(viewer)).status_code == 200
    invitation = factories.invitation(scene.first, person=scene.person)
    db.session.commit()
    token = links.personal_token(invitation)
    assert client.get(f"/i/{token}").status_code == 200  # leaves the link cookie
    page = client.get("/actions/export.csv")
    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
    assert client.get("/api/v1/actions/export").status_code == 401
    bearer_link = client.get("/api/v1/actions/export", headers={"Authorization": f"Bearer {token}"})
    assert bearer_link.status_code == 401
    auth.login(user=viewer)
    rows = read_csv(auth.client.get("/actions/export.csv").data)
    assert {int(r[0]) for r in rows[1:]} >= scene.mine


def test_a_big_export_streams_in_chunks(client: FlaskClient, scene: Scene) -> None:
    many = CSV_BATCH * 2 + 150
    db.session.add_all(
        Action(
            meeting_id=scene.second.id,
            organization_id=scene.sosial.id,
            title=f"Tindak lanjut massal {n}",
            due_on=FUTURE,
        )
        for n in range(many)
    )
    db.session.flush()
    response = client.get(
        "/api/v1/actions/export",
        query_string={"meeting_id": scene.second.id},
        headers=support.bearer(scene.staff),
        buffered=False,
    )
    assert response.is_streamed
    chunks = list(response.response)
    response.close()
    # A client that goes away after the first batch leaves nothing open behind it.
    gone = client.get("/api/v1/actions/export", headers=support.bearer(scene.staff), buffered=False)
    assert next(iter(gone.response)).startswith(b"\xef\xbb\xbf")
    gone.close()
    assert len(chunks) >= 3  # the rows left in batches, not as one body
    rows = read_csv(b"".join(chunks))
    assert len(rows) == 1 + many + 2  # the header, the new ones and the scene's two
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == tracker_ids_all(client, scene, meeting_id=scene.second.id)


def tracker_ids_all(client: FlaskClient, scene: Scene, **params: Any) -> list[int]:
    """Every page of the tracker's API list, in order."""
    found: list[int] = []
    page = 1
    while True:
        response = client.get(
            "/api/v1/actions",
            query_string={"per_page": 200, "page": page, **params},
            headers=support.bearer(scene.staff),
        ).get_json()
        found += [item["id"] for item in response["items"]]
        if page >= response["pages"]:
            return found
        page += 1
