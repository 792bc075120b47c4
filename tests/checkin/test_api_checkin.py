"""The check-in JSON API: redeem, offline upload, check-out, records, summary, conflicts.

Driven with real bearer tokens. A refusal is a 200 answer with a reason code; errors are
only for the request itself (422 body, 403 site, 404 code).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from meetcoord.checkin import keys
from meetcoord.checkin.models import Attendance, CheckinConflict
from meetcoord.core.timezones import to_zone
from meetcoord.extensions import db
from meetcoord.meetings import invitations, services
from meetcoord.meetings.models import QuorumKind
from tests import factories
from tests.helpers import count

API = "/api/v1"
PROBLEM = "application/problem+json"


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.get_json(force=True)


@pytest.fixture
def staff(api_token: Any) -> tuple[Any, dict[str, str]]:
    return api_token("secretariat")


@pytest.fixture
def headers(staff: Any) -> dict[str, str]:
    return staff[1]


@pytest.fixture
def meeting(staff: Any) -> Any:
    m = factories.meeting(
        by=staff[0],
        title="Rakor Forum BangKIT",
        venue=factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar"),
        sites=[factories.venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura")],
        **factories.meeting_times(starts_in=timedelta(minutes=-30)),  # under way
    )
    for _ in range(3):
        factories.invitation(m, person=factories.person(phone="0812-3456-7890"))
    return factories.schedule(m)


def redeem(client: Any, headers: dict[str, str], site: Any, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/checkin/sites/{site.code}/redeem", json=body, headers=headers)


def test_redeem_then_retry_then_already(client, headers, meeting):
    site = meeting.sites[0]
    text = keys.credential_for(meeting.invitations[0])
    first = ok(redeem(client, headers, site, {"credential": text, "nonce": "a1"}))
    assert first["status"] == "checked_in"
    assert set(first) >= {"status", "reason", "message", "person", "site", "at", "attendance_id"}
    assert first["site"] == "Aula Bappeda SBD"
    assert first["person"]["name"] == meeting.invitations[0].person.name
    assert ok(redeem(client, headers, site, {"credential": text, "nonce": "a1"})) == first
    again = ok(redeem(client, headers, site, {"credential": text, "nonce": "a2"}))
    assert (again["status"], again["reason"]) == ("already", "already_checked_in")
    assert count(Attendance) == 1


def test_redeem_answers_the_person_card_and_a_code_in_any_case(client, headers, meeting):
    dinas = factories.organization(name="Dinas Kesehatan Provinsi NTB")
    person = meeting.invitations[2].person
    person.organization_id, person.position = dinas.id, "Kepala Seksi"
    db.session.commit()
    text = keys.credential_for(meeting.invitations[2])
    code = meeting.sites[0].code.upper()
    response = client.post(
        f"{API}/checkin/sites/{code}/redeem",
        json={"credential": text, "nonce": "c"},
        headers=headers,
    )
    body = ok(response)
    assert body["status"] == "checked_in"
    assert body["person"] == {
        "name": person.name,
        "organization": "Dinas Kesehatan Provinsi NTB",
        "position": "Kepala Seksi",
        "role": "participant",
        "invitation_id": meeting.invitations[2].id,
    }
    assert body["message"] == f"Selamat datang, {person.name}."
    attendance = db.session.get(Attendance, body["attendance_id"])
    assert attendance.person_id == person.id
    assert attendance.site_id == meeting.sites[0].id
    assert attendance.recorded_by_id is not None
    assert attendance.method.value == "desk"


def test_a_scan_is_one_read_for_the_token_one_for_the_scan_and_two_inserts(
    client, headers, meeting, monkeypatch
):
    """The desk's common case stays cheap: no ORM loads of the site, meeting or invitation."""
    from meetcoord.checkin import live

    site = meeting.sites[0]
    text = keys.credential_for(meeting.invitations[0])
    ok(redeem(client, headers, site, {"credential": text, "nonce": "w"}))  # token last-used
    text = keys.credential_for(meeting.invitations[1])
    path = f"{API}/checkin/sites/{site.code}/redeem"
    monkeypatch.setattr(live, "counts_changed", lambda meeting_id: None)  # reads the counts
    statements: list[str] = []

    def log(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(" ".join(statement.split()[:3]))

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", log)
    try:
        body = ok(client.post(path, json={"credential": text, "nonce": "s"}, headers=headers))
    finally:
        event.remove(engine, "before_cursor_execute", log)
    assert body["status"] == "checked_in"
    assert [s.split()[0] for s in statements] == ["SELECT", "SELECT", "INSERT", "INSERT"]
    assert statements[2:] == ["INSERT INTO attendances", "INSERT INTO checkin_nonces"]


def test_a_nonce_used_again_for_another_person_gets_the_first_answer(client, headers, meeting):
    site = meeting.sites[0]
    first = ok(
        redeem(
            client,
            headers,
            site,
            {"credential": keys.credential_for(meeting.invitations[0]), "nonce": "n"},
        )
    )
    other = keys.credential_for(meeting.invitations[1])
    assert ok(redeem(client, headers, site, {"credential": other, "nonce": "n"})) == first
    assert count(Attendance) == 1  # the second person's row was rolled back with the nonce


def test_scanned_at_is_the_attendance_time(client, headers, meeting):
    text = keys.credential_for(meeting.invitations[0])
    moment = meeting.start_at + timedelta(minutes=5)
    at = to_zone(moment, "Asia/Makassar").isoformat()  # a desk's clock, in its zone
    body = ok(
        redeem(
            client, headers, meeting.sites[1], {"credential": text, "nonce": "t", "scanned_at": at}
        )
    )
    assert (body["status"], body["at"], body["site"]) == (
        "checked_in",
        at,
        "Kantor Gubernur Maluku",
    )
    attendance = db.session.get(Attendance, body["attendance_id"])
    assert attendance.checked_in_at == moment


def test_a_meeting_not_open_refuses(client, headers, staff, meeting):
    services.cancel_meeting(staff[0], meeting)
    text = keys.credential_for(meeting.invitations[0])
    body = ok(redeem(client, headers, meeting.sites[0], {"credential": text, "nonce": "x"}))
    assert (body["status"], body["reason"]) == ("refused", "meeting_not_open")
    assert count(Attendance) == 0


def test_a_revoked_token_is_refused_on_the_next_scan(client, staff, meeting):
    from meetcoord.accounts.models import ApiToken
    from meetcoord.accounts.services import revoke_token

    user, headers = staff
    site = meeting.sites[0]
    text = keys.credential_for(meeting.invitations[0])
    assert ok(redeem(client, headers, site, {"credential": text, "nonce": "1"}))["status"] == (
        "checked_in"
    )
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    revoke_token(None, token)
    text = keys.credential_for(meeting.invitations[1])
    problem(redeem(client, headers, site, {"credential": text, "nonce": "2"}), 401)
    assert count(Attendance) == 1


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda t: "bukan kartu", "malformed"),
        (lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"), "bad_signature"),
    ],
)
def test_refusals_are_answers(client, headers, meeting, mutate, reason):
    text = mutate(keys.credential_for(meeting.invitations[0]))
    body = ok(redeem(client, headers, meeting.sites[0], {"credential": text, "nonce": "r"}))
    assert (body["status"], body["reason"]) == ("refused", reason)
    assert body["message"]
    assert count(Attendance) == 0


def test_withdrawn_and_other_meeting_are_refused(client, headers, staff, meeting):
    invitations.withdraw_invitation(staff[0], meeting.invitations[1])
    text = keys.credential_for(meeting.invitations[1])
    body = ok(redeem(client, headers, meeting.sites[0], {"credential": text, "nonce": "w"}))
    assert body["reason"] == "withdrawn"
    other = services.create_meeting(
        staff[0],
        {
            "title": "Rapat lain",
            "kind": "coordination",
            "host_venue_id": meeting.host_venue_id,
            "start_at": "2024-04-01T09:00",
            "end_at": "2024-04-01T10:00",
        },
    )
    invitations.invite(staff[0], other, {"person_ids": [factories.person().id]})
    text = keys.credential_for(other.invitations[0])
    body = ok(redeem(client, headers, meeting.sites[0], {"credential": text, "nonce": "o"}))
    assert (body["status"], body["reason"]) == ("refused", "wrong_meeting")
    assert "Rapat lain" in body["message"]
    assert count(Attendance) == 0


def test_errors_403_404_422_401(client, api_token, headers, meeting):
    site = meeting.sites[0]
    text = keys.credential_for(meeting.invitations[0])
    _viewer, viewer_headers = api_token("viewer")
    body = problem(redeem(client, viewer_headers, site, {"credential": text, "nonce": "v"}), 403)
    assert body["code"] == "forbidden"
    response = client.post(
        f"{API}/checkin/sites/nosuchsite/redeem",
        json={"credential": text, "nonce": "x"},
        headers=headers,
    )
    problem(response, 404)
    assert "credential" in problem(redeem(client, headers, site, {"nonce": "x"}), 422)["errors"]
    bad_time = {"credential": text, "nonce": "x", "scanned_at": "2024-03-15T09:00"}
    assert "scanned_at" in problem(redeem(client, headers, site, bad_time), 422)["errors"]
    assert (
        "nonce"
        in problem(redeem(client, headers, site, {"credential": text, "nonce": ""}), 422)["errors"]
    )
    problem(redeem(client, {}, site, {"credential": text, "nonce": "x"}), 401)
    assert count(Attendance) == 0


def test_offline_upload_and_conflicts(client, headers, meeting):
    wita, wit = meeting.sites
    text = keys.credential_for(meeting.invitations[0])
    t0 = meeting.start_at - timedelta(minutes=5)
    later = (t0 + timedelta(minutes=5)).isoformat()
    ok(redeem(client, headers, wit, {"credential": text, "nonce": "live", "scanned_at": later}))
    scans = {"scans": [{"credential": text, "nonce": "off-1", "scanned_at": t0.isoformat()}]}
    url = f"{API}/checkin/sites/{wita.code}/offline"
    body = ok(client.post(url, json=scans, headers=headers))
    assert [r["status"] for r in body["results"]] == ["checked_in"]
    assert ok(client.post(url, json=scans, headers=headers)) == body
    assert count(Attendance) == 1
    listed = f"{API}/meetings/{meeting.id}/checkin-conflicts"
    [conflict] = ok(client.get(listed, headers=headers))["items"]
    assert (conflict["site_name"], conflict["other_site_name"]) == (
        "Aula Bappeda SBD",
        "Kantor Gubernur Maluku",
    )
    assert conflict["resolved_at"] is None
    resolved = ok(
        client.post(
            f"{API}/meetings/{meeting.id}/checkin-conflicts/{conflict['id']}/resolve",
            headers=headers,
        )
    )
    assert resolved["resolved_at"] is not None
    assert CheckinConflict.query.one().resolved_at is not None
    assert ok(client.get(f"{listed}?resolved=false", headers=headers))["total"] == 0
    assert ok(client.get(f"{listed}?resolved=true", headers=headers))["total"] == 1
    problem(client.get(f"{listed}?sort=name", headers=headers), 422)
    missing = {"scans": [{"credential": text, "nonce": "off-2"}]}
    problem(client.post(url, json=missing, headers=headers), 422)


def test_checkout(client, headers, meeting):
    wita, wit = meeting.sites
    text = keys.credential_for(meeting.invitations[0])
    url = f"{API}/checkin/sites/{wita.code}/checkout"
    early = ok(client.post(url, json={"credential": text, "nonce": "o0"}, headers=headers))
    assert (early["status"], early["reason"]) == ("refused", "not_checked_in")
    ok(redeem(client, headers, wita, {"credential": text, "nonce": "i1"}))
    wrong = f"{API}/checkin/sites/{wit.code}/checkout"
    other = ok(client.post(wrong, json={"credential": text, "nonce": "o1"}, headers=headers))
    assert other["reason"] == "other_site"
    out = ok(client.post(url, json={"credential": text, "nonce": "o2"}, headers=headers))
    assert out["status"] == "checked_out"
    assert ok(client.post(url, json={"credential": text, "nonce": "o2"}, headers=headers)) == out
    twice = ok(client.post(url, json={"credential": text, "nonce": "o3"}, headers=headers))
    assert (twice["status"], twice["reason"]) == ("already", "already_checked_out")
    assert Attendance.query.one().checked_out_at is not None


def test_attendance_and_presence(client, api_token, headers, meeting):
    meeting.quorum_kind, meeting.quorum_value = QuorumKind.AT_LEAST, 50
    wita, wit = meeting.sites
    for n, inv in enumerate(meeting.invitations[:2]):
        text = keys.credential_for(inv)
        ok(redeem(client, headers, wita, {"credential": text, "nonce": f"p{n}"}))
    _viewer, viewer = api_token("viewer")  # reading is for every staff account
    body = ok(client.get(f"{API}/meetings/{meeting.id}/attendance", headers=viewer))
    assert (body["total"], body["page"], body["pages"]) == (2, 1, 1)
    assert [row["number"] for row in body["items"]] == [1, 2]
    assert body["items"][0]["time_in"].endswith("WITA")
    one = ok(client.get(f"{API}/meetings/{meeting.id}/attendance?site_id={wit.id}", headers=viewer))
    assert one["items"] == []
    assert one["total"] == 0
    online = ok(client.get(f"{API}/meetings/{meeting.id}/attendance?mode=online", headers=viewer))
    assert online["total"] == 0
    problem(
        client.get(f"{API}/meetings/{meeting.id}/attendance?site_id=999999", headers=viewer), 422
    )
    problem(client.get(f"{API}/meetings/999999/attendance", headers=viewer), 404)
    now = ok(client.get(f"{API}/meetings/{meeting.id}/attendance/summary", headers=viewer))
    assert now["present"] == 2
    assert now["quorum"] == {
        "state": "met",
        "rule": True,
        "met": True,
        "kind": "at_least",
        "value": 50,
        "rule_text": "paling sedikit 50% undangan",
        "required": 2,
        "present": 2,
        "base": 3,
    }
    assert [s["present"] for s in now["sites"]] == [2, 0, 0]
    assert now["totals"]["total"] == 2
    assert now["totals"]["by_category"]["government"] == 2
    assert now["totals"]["by_gender"]["male"] == 2
    problem(client.get(f"{API}/meetings/999999/attendance/summary", headers=viewer), 404)


def test_viewer_cannot_resolve(client, api_token, meeting):
    _viewer, viewer = api_token("viewer")
    url = f"{API}/meetings/{meeting.id}/checkin-conflicts/1/resolve"
    problem(client.post(url, headers=viewer), 403)
