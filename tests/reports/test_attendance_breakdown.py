"""Attendance by province and by mode (site, online): the breakdown other features call,
the meeting's attendance page, the forum dashboard, and their API twins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from meetcoord.accounts.models import Role
from meetcoord.checkin.breakdown import attendance_breakdown
from meetcoord.checkin.models import CheckinMethod
from meetcoord.directory.models import Gender, StakeholderCategory
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.reports import queries
from tests import factories
from tests.actions.support import bearer
from tests.conftest import AuthActions
from tests.helpers import reads


class Webinar:
    """Six attendees: Jakarta ×2 (one at the site), Sulawesi Selatan ×2 (through their
    organization's region, one its parent's), Maluku ×1 (own region), unknown ×1."""

    def __init__(self) -> None:
        self.staff = factories.user(Role.SECRETARIAT)
        self.forum = factories.forum()
        self.meeting: Meeting = factories.meeting(by=self.staff, forum_id=self.forum.id)
        org = factories.organization
        dinas_sulsel = org(
            name="Bappelitbangda Sulawesi Selatan", region="Makassar, Sulawesi Selatan"
        )
        dinas_bidang = org(name="Bidang Ekonomi Uji", parent_id=dinas_sulsel.id)
        person = factories.person
        people = [
            (person(region="DKI Jakarta", gender=Gender.FEMALE), False),
            (person(region="Jakarta Pusat, DKI Jakarta", gender=Gender.MALE), True),
            (person(organization_id=dinas_sulsel.id, gender=Gender.FEMALE), True),
            (
                person(
                    organization_id=dinas_bidang.id,
                    gender=None,
                    category=StakeholderCategory.NGO,
                ),
                True,
            ),
            (person(region="Kota Ambon, Maluku", gender=Gender.MALE), True),
            (person(region="Selong", gender=Gender.MALE), True),  # a regency alone: unknown
        ]
        for guest, online in people:
            invitation = factories.invitation(self.meeting, person=guest, online=online)
            factories.attendance(
                invitation, method=CheckinMethod.PLATFORM if online else CheckinMethod.DESK
            )
        start = datetime.now(UTC) - timedelta(days=1)
        self.meeting.start_at, self.meeting.end_at = start, start + timedelta(hours=2)
        db.session.commit()


@pytest.fixture
def webinar() -> Webinar:
    return Webinar()


EXPECTED_PROVINCES = [
    ("dki jakarta", "DKI Jakarta", 2),
    ("sulawesi selatan", "Sulawesi Selatan", 2),
    ("maluku", "Maluku", 1),
    (None, "Tidak diketahui", 1),
]


def test_breakdown_by_province_mode_site_category_and_gender(webinar: Webinar) -> None:
    found = attendance_breakdown(webinar.meeting.id)
    assert found["total"] == 6
    assert found["by_mode"] == {"site": 1, "online": 5}
    assert [(r["province"], r["name"], r["count"]) for r in found["by_province"]] == (
        EXPECTED_PROVINCES
    )
    host = webinar.meeting.sites[0]
    assert found["by_site"] == [
        {"site_id": host.id, "name": host.venue.name, "count": 1},
        {"site_id": None, "name": "Daring", "count": 5},
    ]
    assert found["by_gender"] == {"male": 3, "female": 2, "unknown": 1}
    assert found["by_category"]["government"] == 5
    assert found["by_category"]["ngo"] == 1
    english = attendance_breakdown(webinar.meeting.id, "en")
    assert english["by_province"][-1]["name"] == "Unknown"


def test_breakdown_loads_in_a_few_queries(webinar: Webinar) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: object) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    db.session.expire_all()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        attendance_breakdown(webinar.meeting.id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Attendances, people, organizations, their parents, sites: never one per person.
    assert len(statements) <= 6, statements


def test_attendance_page_shows_mode_and_province(client: FlaskClient, webinar: Webinar) -> None:
    auth = AuthActions(client)
    auth.login(user=webinar.staff)
    html = client.get(f"/meetings/{webinar.meeting.id}/attendance").get_data(as_text=True)
    assert 'id="attendance-breakdown"' in html
    assert '<tr data-mode="online"><td data-label="Cara hadir">Daring</td>' in html
    for key, name, n in EXPECTED_PROVINCES:
        row = f'<tr data-province="{key or "unknown"}"><td data-label="Provinsi">{name}</td>'
        assert f'{row}<td data-label="Hadir">{n}</td>' in html
    english = reads(client, "en").get(f"/meetings/{webinar.meeting.id}/attendance")
    english = english.get_data(as_text=True)
    assert "Attendance by mode and province" in english
    assert ">Unknown<" in english
    assert f"/meetings/{webinar.meeting.id}/attendance/platform" in html


def test_forum_dashboard_and_api_show_mode_and_province(
    client: FlaskClient, webinar: Webinar
) -> None:
    _forum, board = queries.forum_dashboard(webinar.staff, webinar.forum.id)
    assert board.meeting is not None
    assert board.meeting.by_mode == {"site": 1, "online": 5}
    assert [(r["province"], r["count"]) for r in board.meeting.by_province] == [
        (key, n) for key, _name, n in EXPECTED_PROVINCES
    ]
    auth = AuthActions(client)
    auth.login(user=webinar.staff)
    html = client.get(f"/forums/{webinar.forum.id}/dashboard").get_data(as_text=True)
    assert 'id="dashboard-province"' in html
    assert ">Sulawesi Selatan</th>" in html
    assert '<tr data-mode="online">' in html
    headers = bearer(webinar.staff)
    body = client.get(f"/api/v1/forums/{webinar.forum.id}/dashboard", headers=headers).get_json()
    assert body["meeting"]["by_mode"] == {"site": 1, "online": 5}
    assert body["meeting"]["by_province"][0] == {
        "province": "dki jakarta",
        "name": "DKI Jakarta",
        "count": 2,
    }
    summary = f"/api/v1/meetings/{webinar.meeting.id}/attendance/summary"
    api = client.get(summary, headers=headers)
    assert api.status_code == 200
    totals, found = api.get_json()["totals"], attendance_breakdown(webinar.meeting.id)
    for key in ("total", "by_site", "by_mode", "by_province", "by_category", "by_gender"):
        assert totals[key] == found[key], key  # one resource, the breakdown's counts in it
    assert totals["by_mode"] == {"site": 1, "online": 5}
    english = client.get(summary, headers={**headers, "Accept-Language": "en"}).get_json()
    assert english["totals"]["by_province"][-1]["name"] == "Unknown"
    assert english["totals"]["by_site"][-1] == {"site_id": None, "name": "Online", "count": 5}
    gone = client.get(
        f"/api/v1/meetings/{webinar.meeting.id}/attendance-breakdown", headers=headers
    )
    assert gone.status_code == 404  # the duplicate route is gone (issue 17)
    auth.logout()  # the bearer token alone speaks for the next request
    stranger = factories.user(Role.SECRETARIAT, institution=factories.institution())
    db.session.commit()
    hidden = client.get(summary, headers=bearer(stranger))
    assert hidden.status_code == 404
