"""Updates keep required fields filled, and dates stay within a sane range, at every door.

``PATCH {"title": ""}`` used to store NULL (a 500, or a 409 from the database that blamed
a conflict), because a partial update treated every field as optional. And a meeting in
the year 199 was accepted and shown at "+07:07:12" (Jakarta's local mean time): dates are
now bounded to 2000-01-01 … 2100-12-31 by one check shared by the pages, the API, series
and the directory.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from meetcoord.directory.models import Forum
from meetcoord.extensions import db
from meetcoord.meetings import agenda, series, services
from meetcoord.meetings.models import Meeting, Series
from tests import factories
from tests.helpers import count, field_error, text

API = "/api/v1"
EMPTY = ("", "   ", "\u2028", "\x00\r\n")
START = datetime(2030, 3, 15, 1, 0, tzinfo=UTC)


@pytest.fixture
def staff(api_token: Any) -> tuple[Any, dict[str, str]]:
    return api_token("secretariat")


@pytest.fixture
def meeting(staff: tuple[Any, dict[str, str]]) -> Meeting:
    venue = factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar")
    return services.create_meeting(
        staff[0],
        {
            "title": "Rakor Evaluasi RKPD",
            "kind": "evaluation",
            "host_venue_id": venue.id,
            "start_at": START,
            "end_at": START + timedelta(hours=3),
        },
    )


def _rows(meeting: Meeting) -> dict[str, tuple[str, Any, dict[str, Any]]]:
    """url, the row, and its fields that must never be emptied, for every PATCH."""
    opening = {"title": "Pembukaan", "planned_minutes": 10, "kind": "discussion"}
    item = agenda.add_agenda_item(meeting.created_by, meeting, opening)
    first = services.create_meeting(
        meeting.created_by,
        {
            "title": "Rakor Triwulan",
            "kind": "evaluation",
            "host_venue_id": meeting.host_venue_id,
            "start_at": START + timedelta(days=1),
            "end_at": START + timedelta(days=1, hours=2),
        },
    )
    made = series.create_series(
        meeting.created_by, first, "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=2"
    )
    org = factories.organization()
    person = factories.person()
    forum = factories.forum()
    venue = factories.venue()
    meeting_fields = {"title": "t", "kind": "k", "host_venue_id": 1, "start_at": 1, "end_at": 1}
    return {
        "meeting": (f"{API}/meetings/{meeting.id}", meeting, meeting_fields),
        "series": (f"{API}/series/{made.id}", made, {"title": "t", "host_venue_id": 1}),
        "agenda": (
            f"{API}/meetings/{meeting.id}/agenda/{item.id}",
            item,
            {"title": "t", "planned_minutes": 1, "kind": "k"},
        ),
        "organization": (
            f"{API}/organizations/{org.id}",
            org,
            {"name": "t", "kind": "k", "level": "l"},
        ),
        "person": (f"{API}/people/{person.id}", person, {"name": "t", "category": "c"}),
        "forum": (f"{API}/forums/{forum.id}", forum, {"name": "t"}),
        "venue": (f"{API}/venues/{venue.id}", venue, {"name": "t", "timezone": "z"}),
    }


def _state(obj: Any) -> dict[str, Any]:
    db.session.expire_all()
    fresh = db.session.get(type(obj), obj.id)
    return {c.key: getattr(fresh, c.key) for c in type(obj).__table__.columns}


def test_every_patch_refuses_to_empty_a_required_field(
    client: Any, staff: tuple[Any, dict[str, str]], meeting: Meeting
) -> None:
    headers = staff[1]
    refused: list[str] = []
    for label, (url, obj, required) in _rows(meeting).items():
        before = _state(obj)
        for field, sample in required.items():
            # Text: empty, blank or only control characters; a number or instant: "" too.
            values = (*EMPTY, None) if isinstance(sample, str) else ("", None)
            for value in values:
                response = client.patch(url, json={field: value}, headers=headers)
                body = response.get_json(silent=True) or {}
                if response.status_code != 422 or field not in body.get("errors", {}):
                    refused.append(f"{label}.{field}={value!r} → {response.status_code} {body}")
        assert _state(obj) == before, label
    assert refused == []


def test_a_patch_may_still_leave_required_fields_out(
    client: Any, staff: tuple[Any, dict[str, str]], meeting: Meeting
) -> None:
    url = f"{API}/meetings/{meeting.id}"
    response = client.patch(url, json={"purpose": "Baris satu\nBaris dua"}, headers=staff[1])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["title"] == "Rakor Evaluasi RKPD"
    assert response.get_json()["purpose"] == "Baris satu\nBaris dua"


def test_the_edit_page_refuses_an_empty_title(auth: Any, meeting: Meeting) -> None:
    auth.login("secretariat")
    form = {
        "title": "  ",
        "kind": "evaluation",
        "host_venue_id": str(meeting.host_venue_id),
        "start_at": "2030-03-15T09:00",
        "end_at": "2030-03-15T12:00",
    }
    response = auth.post(f"/meetings/{meeting.id}/edit", form)
    assert response.status_code == 422
    assert field_error(text(response), "title")
    db.session.refresh(meeting)
    assert meeting.title == "Rakor Evaluasi RKPD"


# --- dates --------------------------------------------------------------------------------

OUT_OF_RANGE = ("0199-03-15T09:00", "1999-12-31T23:00", "2101-01-01T09:00")


@pytest.mark.parametrize("start", OUT_OF_RANGE)
def test_meetings_outside_the_date_range_are_refused_by_the_api(
    client: Any, staff: tuple[Any, dict[str, str]], meeting: Meeting, start: str
) -> None:
    headers = staff[1]
    body = {
        "title": "Rapat abad lalu",
        "kind": "coordination",
        "host_venue_id": meeting.host_venue_id,
        "start_at": start,
        "end_at": start[:11] + "23:30",
    }
    created = client.post(f"{API}/meetings", json=body, headers=headers)
    assert created.status_code == 422, created.get_data(as_text=True)
    assert "2000-01-01" in created.get_json()["errors"]["start_at"][0]
    moved = client.patch(f"{API}/meetings/{meeting.id}", json={"start_at": start}, headers=headers)
    assert moved.status_code == 422
    clone = client.post(
        f"{API}/meetings/{meeting.id}/clone", json={"start_at": start}, headers=headers
    )
    assert clone.status_code == 422
    first = series.create_series(staff[0], meeting, "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=2")
    shifted = client.patch(f"{API}/series/{first.id}", json={"start_at": start}, headers=headers)
    assert shifted.status_code == 422
    assert count(Meeting) == 2
    assert count(Series) == 1
    db.session.refresh(meeting)
    assert meeting.start_at == START


def test_a_series_may_not_run_past_the_range(
    client: Any, staff: tuple[Any, dict[str, str]], meeting: Meeting
) -> None:
    # A series spans at most five years (meetings.recurrence): start near the range's end.
    meeting.start_at = datetime(2098, 3, 16, 1, tzinfo=UTC)
    meeting.end_at = meeting.start_at + timedelta(hours=3)
    db.session.commit()
    url = f"{API}/meetings/{meeting.id}/series"
    late = client.post(url, json={"rrule": "FREQ=YEARLY;COUNT=5"}, headers=staff[1])
    assert late.status_code == 422, late.get_data(as_text=True)
    assert "2100-12-31" in late.get_json()["errors"]["rrule"][0]
    assert count(Meeting) == 1
    assert count(Series) == 0


def test_the_range_holds_on_the_pages_and_for_decree_dates(
    auth: Any, client: Any, staff: tuple[Any, dict[str, str]], meeting: Meeting
) -> None:
    auth.login("secretariat")
    form = {
        "title": "Rapat abad lalu",
        "kind": "coordination",
        "host_venue_id": str(meeting.host_venue_id),
        "start_at": "0199-03-15T09:00",
        "end_at": "0199-03-15T12:00",
    }
    response = auth.post("/meetings/new", form)
    assert response.status_code == 422
    assert "2000-01-01" in field_error(text(response), "start_at")
    page = auth.post("/directory/forums/new", {"name": "Forum Lama", "decree_date": "0199-01-01"})
    assert page.status_code == 422
    api = client.post(
        f"{API}/forums", json={"name": "Forum Lama", "decree_date": "2101-05-01"}, headers=staff[1]
    )
    assert api.status_code == 422
    assert "decree_date" in api.get_json()["errors"]
    assert count(Meeting) == 1
    assert count(Forum) == 0
    ok = client.post(
        f"{API}/forums", json={"name": "Forum Baru", "decree_date": "2023-05-01"}, headers=staff[1]
    )
    assert ok.status_code == 201
