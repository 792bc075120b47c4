"""The meetings JSON API: scheduling across zones, sites, agenda, series, invitees, RSVP.

Each endpoint is driven with a real bearer token. Refusals must be problems with field
errors and must change nothing; the mails a change causes must be in the outbox exactly
when (and as often as) the change was made.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Venue
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.models import AgendaItem, Invitation, Meeting, MeetingSite, Series
from tests import factories
from tests.helpers import count

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    return body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


@pytest.fixture
def viewer(api_token: Any) -> dict[str, str]:
    return api_token("viewer")[1]


@pytest.fixture
def venues() -> dict[str, Venue]:
    return {
        "WIB": factories.venue(name="Bappenas Jakarta", timezone="Asia/Jakarta"),
        "WITA": factories.venue(name="Bappeda Sumba Barat Daya", timezone="Asia/Makassar"),
        "WIT": factories.venue(name="Bappeda Jayapura", timezone="Asia/Jayapura", capacity=1),
    }


def new_meeting(client: Any, headers: dict[str, str], host: Venue, **extra: Any) -> Any:
    body = {
        "title": "Rapat Koordinasi Evaluasi RKPD",
        "kind": "evaluation",
        "host_venue_id": host.id,
        "start_at": "2030-03-15T09:00",  # wall clock at the host venue
        "end_at": "2030-03-15T12:00",
        **extra,
    }
    return client.post(f"{API}/meetings", json=body, headers=headers)


@pytest.fixture
def meeting(client: Any, editor: dict[str, str], venues: dict[str, Venue]) -> dict[str, Any]:
    """A WITA-hosted meeting with WIB and WIT sites."""
    created = ok(new_meeting(client, editor, venues["WITA"]), 201)
    for label in ("WIB", "WIT"):
        body = {"venue_id": venues[label].id}
        ok(client.post(f"{API}/meetings/{created['id']}/sites", json=body, headers=editor), 201)
    return ok(client.get(f"{API}/meetings/{created['id']}", headers=editor))


def sites_by_label(detail: dict[str, Any]) -> dict[str, int]:
    return {site["zone_label"]: site["id"] for site in detail["sites"]}


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


# --- authentication and roles -----------------------------------------------------------


def test_anonymous_is_401_and_viewer_cannot_write(
    client: Any, viewer: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    problem(client.get(f"{API}/meetings"), 401)
    problem(client.get(f"{API}/meetings/{meeting['id']}/invitations"), 401)
    assert ok(client.get(f"{API}/meetings/{meeting['id']}", headers=viewer))["id"]
    before = count(Meeting)
    problem(new_meeting(client, viewer, venues["WIB"]), 403)
    url = f"{API}/meetings/{meeting['id']}"
    problem(client.patch(url, json={"title": "Diubah"}, headers=viewer), 403)
    problem(client.post(f"{url}/schedule", headers=viewer), 403)
    problem(client.post(f"{url}/agenda", json=_item("X"), headers=viewer), 403)
    db.session.expire_all()
    assert count(Meeting) == before
    assert db.session.get(Meeting, meeting["id"]).title == "Rapat Koordinasi Evaluasi RKPD"


# --- meetings ---------------------------------------------------------------------------


def test_create_reads_wall_clock_in_host_zone_and_shows_every_site(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    assert meeting["status"] == "draft"
    assert meeting["start_at"] == "2030-03-15T01:00:00+00:00"  # 09.00 WITA
    assert meeting["times"] == [
        {"zone": "Asia/Jakarta", "label": "WIB", "local": "2030-03-15T08:00:00+07:00"},
        {"zone": "Asia/Makassar", "label": "WITA", "local": "2030-03-15T09:00:00+08:00"},
        {"zone": "Asia/Jayapura", "label": "WIT", "local": "2030-03-15T10:00:00+09:00"},
    ]
    assert [site["is_host"] for site in meeting["sites"]] == [True, False, False]
    assert {c["venue_name"] for c in meeting["counts"]} >= {"Bappenas Jakarta"}
    assert meeting["conflicts"] == []
    assert meeting["agenda"] == []


def test_create_with_offset_and_location(
    client: Any, editor: dict[str, str], venues: dict[str, Venue]
) -> None:
    response = new_meeting(
        client, editor, venues["WIB"], start_at="2030-03-15T09:00+08:00", end_at=None
    )
    problem(response, 422)  # end_at is required and not null
    response = new_meeting(
        client,
        editor,
        venues["WIB"],
        start_at="2030-03-15T09:00+08:00",
        end_at="2030-03-15T11:00+08:00",
    )
    created = ok(response, 201)
    assert created["start_at"] == "2030-03-15T01:00:00+00:00"
    assert response.headers["Location"].endswith(f"{API}/meetings/{created['id']}")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_at": "2030-03-15T08:00"}, "end_at"),
        ({"host_venue_id": 999999}, "host_venue_id"),
        ({"title": 5}, "title"),
        ({"host_venue_id": "1"}, "host_venue_id"),
        ({"start_at": "besok pagi"}, "start_at"),
        ({"kind": "pesta"}, "kind"),
        ({"forum_id": 999999}, "forum_id"),
        ({"status": "scheduled"}, "status"),  # read-only: refused, not ignored
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    client: Any, editor: dict[str, str], venues: dict[str, Venue], change: dict, field: str
) -> None:
    before = count(Meeting)
    body = problem(new_meeting(client, editor, venues["WITA"], **change), 422)
    assert field in body["errors"], body
    db.session.expire_all()
    assert count(Meeting) == before


def test_list_searches_filters_and_pages(
    client: Any, editor: dict[str, str], venues: dict[str, Venue]
) -> None:
    forum = factories.forum()
    ok(new_meeting(client, editor, venues["WIB"], title="Musrenbang Provinsi"), 201)
    ok(new_meeting(client, editor, venues["WIB"], title="Evaluasi", forum_id=forum.id), 201)
    past = {"start_at": "2020-01-10T09:00", "end_at": "2020-01-10T10:00", "title": "Lama"}
    ok(new_meeting(client, editor, venues["WIB"], **past), 201)

    page = ok(client.get(f"{API}/meetings?per_page=2", headers=editor))
    assert set(page) == {"items", "page", "per_page", "total", "pages"}
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    assert page["items"][0]["title"] == "Lama"  # soonest first
    titles = [
        m["title"] for m in ok(client.get(f"{API}/meetings?q=musren", headers=editor))["items"]
    ]
    assert titles == ["Musrenbang Provinsi"]
    by_forum = ok(client.get(f"{API}/meetings?forum_id={forum.id}", headers=editor))
    assert [m["title"] for m in by_forum["items"]] == ["Evaluasi"]
    upcoming = ok(client.get(f"{API}/meetings?upcoming=true", headers=editor))
    assert upcoming["total"] == 2
    assert ok(client.get(f"{API}/meetings?status=scheduled", headers=editor))["total"] == 0
    problem(client.get(f"{API}/meetings?status=berlangsung", headers=editor), 422)


def test_patch_and_unknown_meeting(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}"
    patched = ok(client.patch(url, json={"title": "Rakor Triwulan II"}, headers=editor))
    assert patched["title"] == "Rakor Triwulan II"
    assert patched["start_at"] == meeting["start_at"]
    body = problem(client.patch(url, json={"end_at": "2030-03-15T07:00"}, headers=editor), 422)
    assert "end_at" in body["errors"]
    problem(client.get(f"{API}/meetings/999999", headers=editor), 404)
    assert client.delete(url, headers=editor).status_code == 204  # a draft may go
    problem(client.get(url, headers=editor), 404)


# --- mail through the outbox ------------------------------------------------------------


def _invite_three(client: Any, editor: dict[str, str], meeting: dict[str, Any]) -> list[int]:
    """Two people with e-mail at WIB and WIT, one without e-mail online."""
    sites = sites_by_label(meeting)
    with_mail = [factories.person(), factories.person()]
    without = factories.person(email=None)
    url = f"{API}/meetings/{meeting['id']}/invitations"
    ids = []
    for person, site in ((with_mail[0], sites["WIB"]), (with_mail[1], sites["WIT"])):
        body = {"person_ids": [person.id], "role": "participant", "site_id": site}
        ids += ok(client.post(url, json=body, headers=editor), 201)["ids"]
    body = {"person_ids": [without.id], "role": "observer", "site_id": None}
    ids += ok(client.post(url, json=body, headers=editor), 201)["ids"]
    return ids


def test_schedule_update_and_cancel_write_outbox_messages(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    _invite_three(client, editor, meeting)
    url = f"{API}/meetings/{meeting['id']}"
    assert outbox() == []  # a draft sends nothing

    assert ok(client.post(f"{url}/schedule", headers=editor))["status"] == "scheduled"
    sent = outbox("invitation")
    assert len(sent) == 2
    assert len(outbox()) == 2
    problem(client.post(f"{url}/schedule", headers=editor), 409)  # only drafts

    moved = ok(client.patch(url, json={"start_at": "2030-03-15T10:00"}, headers=editor))
    assert moved["sequence"] == 1
    assert len(outbox("update")) == 2

    assert ok(client.post(f"{url}/cancel", headers=editor))["status"] == "cancelled"
    assert len(outbox("cancellation")) == 2
    assert len(outbox()) == 6
    problem(client.post(f"{url}/cancel", headers=editor), 409)


def test_site_change_of_one_invitation_writes_exactly_one_message(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    first, *_ = _invite_three(client, editor, meeting)
    url = f"{API}/meetings/{meeting['id']}"
    ok(client.post(f"{url}/schedule", headers=editor))
    before = len(outbox())
    body = {"site_id": sites_by_label(meeting)["WITA"]}
    moved = ok(client.patch(f"{url}/invitations/{first}", json=body, headers=editor))
    assert moved["site_name"] == "Bappeda Sumba Barat Daya"
    messages = outbox()
    assert len(messages) == before + 1
    assert messages[-1].ref_id == first
    # a role change moves nobody's calendar
    ok(client.patch(f"{url}/invitations/{first}", json={"role": "speaker"}, headers=editor))
    assert len(outbox()) == before + 1


# --- sites ------------------------------------------------------------------------------


def test_sites(
    client: Any, editor: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    url = f"{API}/meetings/{meeting['id']}/sites"
    listed = ok(client.get(url, headers=editor))["items"]
    assert [s["zone_label"] for s in listed] == ["WITA", "WIB", "WIT"]
    extra = factories.venue(timezone="Asia/Jakarta", name="Aula Tambahan")
    response = client.post(url, json={"venue_id": extra.id, "capacity": 20}, headers=editor)
    site = ok(response, 201)
    assert site["seats"] == 20
    assert site["local_start"] == "2030-03-15T08:00:00+07:00"
    assert response.headers["Location"].endswith(f"/sites/{site['id']}")

    problem(client.post(url, json={"venue_id": extra.id}, headers=editor), 409)
    body = problem(client.post(url, json={"venue_id": 999999}, headers=editor), 422)
    assert "venue_id" in body["errors"]
    coordinator = factories.person()
    patch = {"capacity": 5, "coordinator_id": coordinator.id}
    patched = ok(client.patch(f"{url}/{site['id']}", json=patch, headers=editor))
    assert (patched["seats"], patched["coordinator_name"]) == (5, coordinator.name)
    problem(
        client.patch(f"{url}/{site['id']}", json={"venue_id": venues["WIB"].id}, headers=editor),
        422,
    )
    problem(client.patch(f"{url}/{site['id']}", json={"capacity": 0}, headers=editor), 422)

    other = ok(new_meeting(client, editor, venues["WIB"]), 201)
    other_site = other["sites"][0]["id"]
    problem(client.patch(f"{url}/{other_site}", json={"capacity": 3}, headers=editor), 404)
    problem(client.delete(f"{url}/{other_site}", headers=editor), 404)

    host_site = sites_by_label(meeting)["WITA"]
    problem(client.delete(f"{url}/{host_site}", headers=editor), 409)
    assert client.delete(f"{url}/{site['id']}", headers=editor).status_code == 204
    assert count(MeetingSite, MeetingSite.meeting_id == meeting["id"]) == 3


# --- agenda -----------------------------------------------------------------------------


def _item(title: str, minutes: int = 30) -> dict[str, Any]:
    return {"title": title, "planned_minutes": minutes, "kind": "presentation"}


def test_agenda_planned_times_reorder_and_remove(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}/agenda"
    ids = [
        ok(client.post(url, json=_item(title, minutes), headers=editor), 201)["id"]
        for title, minutes in (("Pembukaan", 15), ("Paparan", 45), ("Diskusi", 60))
    ]
    items = ok(client.get(url, headers=editor))["items"]
    assert [i["planned_start"] for i in items] == [
        "2030-03-15T01:00:00+00:00",
        "2030-03-15T01:15:00+00:00",
        "2030-03-15T02:00:00+00:00",
    ]
    assert items[1]["planned_times"][2] == {
        "zone": "Asia/Jayapura",
        "label": "WIT",
        "local": "2030-03-15T10:15:00+09:00",
    }
    detail = ok(client.get(f"{API}/meetings/{meeting['id']}", headers=editor))
    assert [i["title"] for i in detail["agenda"]] == ["Pembukaan", "Paparan", "Diskusi"]

    order = [ids[2], ids[0], ids[1]]
    reordered = ok(client.put(f"{url}/order", json={"ids": order}, headers=editor))
    assert [i["id"] for i in reordered] == order
    assert reordered[0]["position"] == 1
    problem(client.put(f"{url}/order", json={"ids": order[:2]}, headers=editor), 422)
    problem(client.put(f"{url}/order", json={"ids": ["a"]}, headers=editor), 422)

    patched = ok(client.patch(f"{url}/{ids[0]}", json={"planned_minutes": 10}, headers=editor))
    assert patched["planned_minutes"] == 10
    body = problem(
        client.patch(f"{url}/{ids[0]}", json={"planned_minutes": 0}, headers=editor), 422
    )
    assert "planned_minutes" in body["errors"]
    problem(client.post(url, json={"title": "Tanpa menit"}, headers=editor), 422)

    assert client.delete(f"{url}/{ids[2]}", headers=editor).status_code == 204
    assert [i["position"] for i in ok(client.get(url, headers=editor))["items"]] == [1, 2]
    problem(client.delete(f"{url}/{ids[2]}", headers=editor), 404)
    assert count(AgendaItem, AgendaItem.meeting_id == meeting["id"]) == 2


# --- invitations, counts, conflicts -----------------------------------------------------


def test_invite_people_organization_and_forum(
    client: Any, editor: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    url = f"{API}/meetings/{meeting['id']}/invitations"
    sites = sites_by_label(meeting)
    org = factories.organization()
    staff = [factories.person(organization=org) for _ in range(2)]
    forum = factories.forum(members=3)

    result = ok(
        client.post(url, json={"organization_id": org.id, "role": "participant"}, headers=editor),
        201,
    )
    assert result["created"] == 2
    assert len(result["ids"]) == 2
    body = {"forum_id": forum.id, "role": "participant", "site_id": sites["WIT"]}
    assert ok(client.post(url, json=body, headers=editor), 201)["created"] == 3
    again = {"person_ids": [staff[0].id], "role": "chair"}
    assert ok(client.post(url, json=again, headers=editor), 201)["already_invited"] == 1

    listed = ok(client.get(url, headers=editor))["items"]
    assert len(listed) == 5
    assert not {"token", "token_hash", "token_salt", "personal_url"} & set(listed[0])
    assert {inv["site_name"] for inv in listed} == {None, "Bappeda Jayapura"}

    summary = ok(client.get(f"{API}/meetings/{meeting['id']}/attendance/summary", headers=editor))
    counts = {c["site_id"] and c["name"]: c for c in summary["sites"]}
    assert counts["Bappeda Jayapura"]["invited"] == 3
    assert counts["Bappeda Jayapura"]["over_capacity"] is True  # one seat there
    assert counts[None]["invited"] == 2
    assert counts[None]["seats"] is None

    assert client.delete(f"{url}/{listed[0]['id']}", headers=editor).status_code == 204
    assert ok(client.get(url, headers=editor))["total"] == 4
    problem(client.delete(f"{url}/{listed[0]['id']}", headers=editor), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person_ids": [999999]}, "person_ids"),
        ({"organization_id": 999999}, "organization_id"),
        ({"role": "participant"}, "person_ids"),  # nobody named
        ({"person_ids": ["satu"]}, "person_ids.0"),
        ({"person_ids": [1], "role": "tamu"}, "role"),
        ({"person_ids": [1], "site_id": 999999}, "site_id"),
        ({"person_ids": [1], "site_id": "OTHER"}, "site_id"),  # a site of another meeting
    ],
)
def test_invite_refuses_bad_input(
    client: Any,
    editor: dict[str, str],
    meeting: dict[str, Any],
    venues: dict[str, Venue],
    body: dict[str, Any],
    field: str,
) -> None:
    person = factories.person()
    body = dict(body)
    if body.get("person_ids") == [1]:
        body["person_ids"] = [person.id]
    if body.get("site_id") == "OTHER":
        other = ok(new_meeting(client, editor, venues["WIB"]), 201)
        body["site_id"] = other["sites"][0]["id"]
    url = f"{API}/meetings/{meeting['id']}/invitations"
    errors = problem(client.post(url, json=body, headers=editor), 422)["errors"]
    assert field in errors, errors
    db.session.expire_all()
    assert count(Invitation) == 0


def test_invitation_patch_refuses_site_of_another_meeting(
    client: Any, editor: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    inv_id = _invite_three(client, editor, meeting)[0]
    other = ok(new_meeting(client, editor, venues["WIB"]), 201)
    url = f"{API}/meetings/{meeting['id']}/invitations/{inv_id}"
    body = problem(
        client.patch(url, json={"site_id": other["sites"][0]["id"]}, headers=editor), 422
    )
    assert "site_id" in body["errors"]
    db.session.expire_all()
    assert db.session.get(Invitation, inv_id).site_id == sites_by_label(meeting)["WIB"]
    problem(
        client.patch(
            f"{API}/meetings/{other['id']}/invitations/{inv_id}",
            json={"role": "chair"},
            headers=editor,
        ),
        404,
    )


def test_conflicts_are_warnings(
    client: Any, editor: dict[str, str], meeting: dict[str, Any], venues: dict[str, Venue]
) -> None:
    # 08.30 WIB at the Jakarta site overlaps 09.00-12.00 WITA (08.00-11.00 WIB)
    other = ok(
        new_meeting(
            client,
            editor,
            venues["WIB"],
            title="Rapat Lain",
            start_at="2030-03-15T08:30",
            end_at="2030-03-15T09:30",
        ),
        201,
    )
    found = ok(client.get(f"{API}/meetings/{meeting['id']}/conflicts", headers=editor))["items"]
    assert found == [
        {
            "kind": "venue",
            "subject": "Bappenas Jakarta",
            "other_id": other["id"],
            "other_title": "Rapat Lain",
            "other_start_at": "2030-03-15T01:30:00+00:00",
        }
    ]
    detail = ok(client.get(f"{API}/meetings/{meeting['id']}", headers=editor))
    assert detail["conflicts"] == found


# --- clone and series -------------------------------------------------------------------


def test_clone(client: Any, editor: dict[str, str], meeting: dict[str, Any]) -> None:
    _invite_three(client, editor, meeting)
    url = f"{API}/meetings/{meeting['id']}"
    ok(client.post(f"{url}/agenda", json=_item("Pembukaan"), headers=editor), 201)
    response = client.post(f"{url}/clone", json={"start_at": "2030-06-10T13:00"}, headers=editor)
    copy = ok(response, 201)
    assert response.headers["Location"].endswith(f"{API}/meetings/{copy['id']}")
    assert copy["id"] != meeting["id"]
    assert copy["status"] == "draft"
    assert copy["start_at"] == "2030-06-10T05:00:00+00:00"  # 13.00 WITA, same 3 hours
    assert copy["end_at"] == "2030-06-10T08:00:00+00:00"
    assert len(copy["sites"]) == 3
    assert len(copy["agenda"]) == 1
    assert sum(c["invited"] for c in copy["counts"]) == 3

    before = count(Meeting)
    problem(client.post(f"{url}/clone", json={"start_at": "kapan-kapan"}, headers=editor), 422)
    problem(client.post(f"{url}/clone", json={}, headers=editor), 422)
    assert count(Meeting) == before


def test_series_create_and_update(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    url = f"{API}/meetings/{meeting['id']}/series"
    before = count(Meeting)
    body = problem(client.post(url, json={"rrule": "FREQ=MONTHLY;INTERVAL=3"}, headers=editor), 422)
    assert "rrule" in body["errors"]  # unbounded
    problem(client.post(url, json={"rrule": "BUKAN ATURAN;COUNT=2"}, headers=editor), 422)
    problem(client.post(url, json={"rrule": 3}, headers=editor), 422)
    assert (count(Meeting), count(Series)) == (before, 0)

    response = client.post(url, json={"rrule": "FREQ=MONTHLY;INTERVAL=3;COUNT=3"}, headers=editor)
    series = ok(response, 201)
    assert response.headers["Location"].endswith(f"{API}/series/{series['id']}")
    assert len(series["meeting_ids"]) == 3
    assert series["meeting_ids"][0] == meeting["id"]
    assert series["timezone"] == "Asia/Makassar"
    problem(client.post(url, json={"rrule": "FREQ=WEEKLY;COUNT=2"}, headers=editor), 409)

    series_url = f"{API}/series/{series['id']}"
    assert ok(client.get(series_url, headers=editor))["rrule"] == "FREQ=MONTHLY;INTERVAL=3;COUNT=3"
    updated = ok(client.patch(series_url, json={"title": "Evaluasi Triwulanan"}, headers=editor))
    assert updated["title"] == "Evaluasi Triwulanan"
    assert sorted(updated["updated_ids"]) == sorted(series["meeting_ids"])
    last = ok(client.get(f"{API}/meetings/{series['meeting_ids'][-1]}", headers=editor))
    assert last["title"] == "Evaluasi Triwulanan"
    assert last["start_at"] == "2030-09-15T01:00:00+00:00"  # 09.00 WITA three months on
    problem(client.patch(series_url, json={"title": 7}, headers=editor), 422)
    problem(client.patch(f"{API}/series/999999", json={"title": "x"}, headers=editor), 404)


# --- the participant's personal link ----------------------------------------------------


def test_by_token_read_and_rsvp_without_staff_auth(
    client: Any, editor: dict[str, str], meeting: dict[str, Any]
) -> None:
    inv_id = _invite_three(client, editor, meeting)[1]  # at the WIT site
    invitation = db.session.get(Invitation, inv_id)
    url = f"{API}/i/{links.personal_token(invitation)}"

    seen = ok(client.get(url))
    assert seen["zone"] == "Asia/Jayapura"
    assert seen["site_name"] == "Bappeda Jayapura"
    assert seen["times"][0]["local"] == "2030-03-15T10:00:00+09:00"
    assert seen["times"][0]["label"] == "WIT"
    assert seen["meeting"]["title"] == meeting["title"]
    assert seen["rsvp"] == "pending"

    answered = ok(client.post(f"{url}/rsvp", json={"rsvp": "accepted", "site_id": None}))
    assert (answered["rsvp"], answered["site_id"]) == ("accepted", None)  # online
    body = problem(client.post(f"{url}/rsvp", json={"rsvp": "barangkali"}), 422)
    assert "rsvp" in body["errors"]
    body = problem(client.post(f"{url}/rsvp", json={"rsvp": "declined", "site_id": 999999}), 422)
    assert "site_id" in body["errors"]
    # One name: the old string field is an unknown field now, not a second spelling.
    body = problem(
        client.post(f"{url}/rsvp", json={"rsvp": "declined", "attendance": "online"}), 422
    )
    assert "attendance" in body["errors"]
    db.session.expire_all()
    assert db.session.get(Invitation, inv_id).rsvp.value == "accepted"

    problem(client.get(f"{API}/i/bukan-token-asli"), 404)
    problem(
        client.post(f"{API}/i/bukan-token-asli/rsvp", json={"rsvp": "accepted"}),
        404,
    )
    m_url = f"{API}/meetings/{meeting['id']}/invitations/{inv_id}"
    assert client.delete(m_url, headers=editor).status_code == 204
    problem(client.get(url), 404)  # withdrawn: the link stops working


def test_by_token_guessing_is_rate_limited(app: Any, client: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "PERSONAL_LINK_RATE_LIMIT", "3 per minute")
    guess = {"REMOTE_ADDR": "10.202.9.9"}
    url = f"{API}/i/tebakan"
    statuses = [client.get(url, environ_base=guess).status_code for _ in range(3)]
    assert statuses == [404] * 3
    problem(client.get(url, environ_base=guess), 429)
    # one budget for the API and the pages: guesses cannot be spread across both
    assert client.get("/i/tebakan", environ_base=guess).status_code == 429
    assert client.get(url, environ_base={"REMOTE_ADDR": "10.202.9.10"}).status_code == 404


def test_by_token_endpoints_are_documented_as_public(client: Any) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    rsvp = spec["paths"][f"{API}/i/{{token}}/rsvp"]["post"]
    assert rsvp["security"] == [{}]
    assert {"200", "404", "422", "429"} <= set(rsvp["responses"])
    assert "token" not in spec["components"]["schemas"]["Invitation"]["properties"]
