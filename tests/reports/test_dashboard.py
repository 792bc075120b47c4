"""Forum and series dashboards: the figures on a small seeded forum, the reader's reach
(another institution's forum is not found, its meetings are left out), the API giving the
page's numbers, bad input and empty states."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.reports import queries
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.helpers import reads
from tests.reports.support import Seeded

STATUSES = ("open", "in_progress", "done", "verified", "dropped")


@pytest.fixture
def seeded() -> Seeded:
    return Seeded()


def by_status(*counts: int) -> dict[str, int]:
    return dict(zip(STATUSES, counts, strict=True))


def attendance(board: Any) -> list[tuple[Any, ...]]:
    return [
        (row.organization_id, row.invited, row.attended, row.stand_in, row.absent, row.rate)
        for row in board.attendance
    ]


def test_forum_figures(seeded: Seeded) -> None:
    _forum, board = queries.forum_dashboard(seeded.staff, seeded.forum.id)
    assert (board.meetings, board.held) == (3, 2)  # the other institution's is left out
    assert board.actions.by_status == by_status(2, 1, 1, 0, 0)
    assert (board.actions.total, board.actions.overdue) == (4, 2)
    agencies = [(row.key, row.total, row.overdue, row.by_status) for row in board.by_agency]
    assert agencies == [
        (seeded.a.id, 2, 1, by_status(1, 0, 1, 0, 0)),
        (seeded.b.id, 2, 1, by_status(1, 1, 0, 0, 0)),
    ]
    loci = [(row.key, row.total, row.overdue) for row in board.by_locus]
    assert loci == [("Desa Wee", 2, 2), (None, 2, 0)]
    # Per agency and held meeting; who misses most first. Alpha came to m2 only through
    # a stand-in; the person without an agency came online.
    assert attendance(board) == [
        (seeded.b.id, 2, 1, 0, 1, 50.0),
        (None, 1, 1, 0, 0, 100.0),
        (seeded.a.id, 2, 2, 1, 0, 100.0),
    ]


def test_the_newest_held_meeting_is_broken_down_by_site_category_and_gender(
    seeded: Seeded,
) -> None:
    _forum, board = queries.forum_dashboard(seeded.staff, seeded.forum.id)
    assert [ref.id for ref in board.recent] == [seeded.m2.id, seeded.m1.id]
    m = board.meeting
    assert m.meeting_id == seeded.m2.id
    assert (m.invited, m.attended) == (3, 3)
    assert [(s.site_id, s.invited, s.attended) for s in m.by_site] == [
        (seeded.m2.sites[0].id, 2, 2),
        (None, 1, 1),
    ]
    assert m.cross["government"] == {"male": 1, "female": 1, "unknown": 0}
    assert m.cross["ngo"] == {"male": 0, "female": 0, "unknown": 1}
    assert m.by_gender == {"male": 1, "female": 1, "unknown": 1}
    assert m.by_category["government"] == 2
    assert m.by_category["media"] == 0


def test_another_meeting_can_be_chosen(seeded: Seeded) -> None:
    _forum, board = queries.forum_dashboard(seeded.staff, seeded.forum.id, seeded.m1.id)
    m = board.meeting
    assert [(s.invited, s.attended) for s in m.by_site] == [(2, 1)]  # no one online
    assert m.cross["government"] == {"male": 0, "female": 1, "unknown": 0}


def test_series_figures(seeded: Seeded) -> None:
    _series, board = queries.series_dashboard(seeded.staff, seeded.series.id)
    assert (board.meetings, board.held) == (1, 1)
    assert board.actions.by_status == by_status(0, 1, 0, 0, 0)
    assert board.actions.overdue == 1
    assert attendance(board) == [
        (None, 1, 1, 0, 0, 100.0),
        (seeded.a.id, 1, 1, 1, 0, 100.0),
        (seeded.b.id, 1, 1, 0, 0, 100.0),
    ]


def test_pages_show_the_figures_and_link_from_forum_and_meeting(
    client: FlaskClient, seeded: Seeded
) -> None:
    auth = AuthActions(client)
    auth.login(user=seeded.staff)
    html = client.get(f"/forums/{seeded.forum.id}/dashboard").get_data(as_text=True)
    assert "Dinas Alpha &amp; &lt;Uji&gt;" in html
    assert "<Uji>" not in html
    assert "50%" in html
    assert 'role="img"' in html
    assert html.count('class="table-wrap"') >= 5
    assert f"/forums/{seeded.forum.id}/summary.pdf" in html
    forum_page = client.get(f"/directory/forums/{seeded.forum.id}").get_data(as_text=True)
    assert f"/forums/{seeded.forum.id}/dashboard" in forum_page
    meeting_page = client.get(f"/meetings/{seeded.m2.id}").get_data(as_text=True)
    assert f"/series/{seeded.series.id}/dashboard" in meeting_page
    series = client.get(f"/series/{seeded.series.id}/dashboard")
    assert series.status_code == 200
    chosen = client.get(f"/forums/{seeded.forum.id}/dashboard?meeting_id={seeded.m1.id}")
    assert chosen.status_code == 200
    assert "Rakor Satu" in chosen.get_data(as_text=True)


def test_english_reader(client: FlaskClient, seeded: Seeded) -> None:
    auth = AuthActions(client)
    auth.login(user=seeded.staff)
    html = reads(client, "en").get(f"/forums/{seeded.forum.id}/dashboard").get_data(as_text=True)
    assert "Attendance rate by agency" in html


def test_another_institution_finds_nothing(client: FlaskClient, seeded: Seeded) -> None:
    auth = AuthActions(client)
    auth.login(user=seeded.stranger)
    for url in (
        f"/forums/{seeded.forum.id}/dashboard",
        f"/series/{seeded.series.id}/dashboard",
        f"/forums/{seeded.forum.id}/summary.pdf",
        f"/series/{seeded.series.id}/summary.pdf",
    ):
        assert client.get(url).status_code == 404, url
    headers = bearer(seeded.stranger)
    for url in (
        f"/api/v1/forums/{seeded.forum.id}/dashboard",
        f"/api/v1/series/{seeded.series.id}/dashboard",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"


def test_bad_or_foreign_meeting_choice(client: FlaskClient, seeded: Seeded) -> None:
    auth = AuthActions(client)
    auth.login(user=seeded.staff)
    base = f"/forums/{seeded.forum.id}/dashboard"
    assert client.get(f"{base}?meeting_id=abc").status_code == 422
    assert client.get(f"{base}?meeting_id={seeded.other.id}").status_code == 404
    assert client.get(f"{base}?meeting_id={seeded.m3.id}").status_code == 404  # not yet held
    api = f"/api/v1{base}"
    assert client.get(f"{api}?meeting_id=0", headers=bearer(seeded.staff)).status_code == 422


def test_api_gives_the_page_figures(client: FlaskClient, seeded: Seeded) -> None:
    headers = bearer(seeded.staff)
    body = client.get(f"/api/v1/forums/{seeded.forum.id}/dashboard", headers=headers).get_json()
    _forum, board = queries.forum_dashboard(seeded.staff, seeded.forum.id)
    expected = board.as_dict()
    assert body["actions"] == expected["actions"]
    assert body["by_agency"] == expected["by_agency"]
    assert body["by_locus"] == expected["by_locus"]
    assert body["attendance"] == expected["attendance"]
    assert body["meeting"]["cross"] == expected["meeting"]["cross"]
    assert body["meeting"]["meeting_id"] == seeded.m2.id
    assert (body["meetings"], body["held"], body["kind"]) == (3, 2, "forum")
    series = client.get(f"/api/v1/series/{seeded.series.id}/dashboard", headers=headers)
    assert series.status_code == 200
    assert series.get_json()["actions"]["total"] == 1
    unauthenticated = client.get(f"/api/v1/forums/{seeded.forum.id}/dashboard")
    assert unauthenticated.status_code == 401


def test_empty_forum(client: FlaskClient) -> None:
    staff = factories.user(Role.SECRETARIAT)
    forum = factories.forum()
    _forum, board = queries.forum_dashboard(staff, forum.id)
    assert (board.meetings, board.actions.total, board.attendance, board.meeting) == (
        0,
        0,
        [],
        None,
    )
    auth = AuthActions(client)
    auth.login(user=staff)
    page = client.get(f"/forums/{forum.id}/dashboard")
    assert page.status_code == 200
    assert "Belum ada rapat di sini" in page.get_data(as_text=True)
    body = client.get(f"/api/v1/forums/{forum.id}/dashboard", headers=bearer(staff)).get_json()
    assert body["meeting"] is None
    assert body["by_agency"] == []


def test_the_dashboards_link_their_downloads_and_each_one_answers(
    client: FlaskClient, seeded: Seeded
) -> None:
    """Attendance and actions as CSV and XLSX, and the one-page PDF, one click away."""
    auth = AuthActions(client)
    auth.login(user=seeded.staff)
    for kind, key, oid in (
        ("forums", "forum_id", seeded.forum.id),
        ("series", "series_id", seeded.series.id),
    ):
        page = client.get(f"/{kind}/{oid}/dashboard").get_data(as_text=True)
        links = [
            f"/{kind}/{oid}/attendance.csv",
            f"/{kind}/{oid}/attendance.xlsx",
            f"/actions/export.csv?{key}={oid}",
            f"/actions/export.xlsx?{key}={oid}",
            f"/{kind}/{oid}/summary.pdf",
        ]
        for link in links:
            assert f'href="{link}"' in page, link
            response = client.get(link)
            assert response.status_code == 200, link
            assert "attachment" in response.headers["Content-Disposition"], link
