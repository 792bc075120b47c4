"""The check-in API's twins of the pages (issue 17): manual check-in, walk-ins, stand-ins,
the daftar hadir as files and as paged records, site codes and the personal credential.

Driven with real bearer tokens, as an integrator would: every request the page's form
sends has one API operation, and its rules are the page's.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from meetcoord.accounts.models import Role
from meetcoord.checkin import exports, keys
from meetcoord.checkin.lists import attendance_lists
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation
from tests import factories
from tests.checkin.test_api_checkin import API, ok, problem, redeem
from tests.helpers import count

PDF_LETTER = b"%PDF-1.4\n% surat tugas\n%%EOF\n"


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
    for name in ("Yohana Lende", "Agustinus Bulu", "Maria Kaka"):
        factories.invitation(m, person=factories.person(name=name, phone="0812-3456-7890"))
    return factories.schedule(m)


@pytest.fixture
def stranger(api_token: Any) -> dict[str, str]:
    """A secretariat account of another institution: none of this meeting is theirs."""
    from meetcoord.accounts.services import create_token

    account = factories.user(Role.SECRETARIAT, institution=factories.institution())
    _token, secret = create_token(None, account, "test")
    return {"Authorization": f"Bearer {secret}"}


def token_of(invitation: Invitation) -> str:
    return links.personal_token(invitation)


# --- manual check-in --------------------------------------------------------------------


def test_manual_checkin_is_idempotent_and_answers_like_a_scan(client, headers, meeting):
    inv, site = meeting.invitations[0], meeting.sites[1]
    url = f"{API}/meetings/{meeting.id}/invitations/{inv.id}/checkin"
    first = ok(client.post(url, json={"site_id": site.id, "nonce": "m1"}, headers=headers))
    assert (first["status"], first["site"]) == ("checked_in", "Kantor Gubernur Maluku")
    assert first["person"]["invitation_id"] == inv.id
    assert ok(client.post(url, json={"site_id": site.id, "nonce": "m1"}, headers=headers)) == first
    again = ok(client.post(url, json={"site_id": site.id, "nonce": "m2"}, headers=headers))
    assert (again["status"], again["reason"]) == ("already", "already_checked_in")
    attendance = Attendance.query.one()  # twice ticked, one attendance
    assert (attendance.method, attendance.site_id) == (CheckinMethod.MANUAL, site.id)


def test_manual_checkin_online_and_bad_input(client, headers, meeting, api_token):
    inv = meeting.invitations[1]
    url = f"{API}/meetings/{meeting.id}/invitations/{inv.id}/checkin"
    online = ok(client.post(url, json={"site_id": None, "nonce": "o1"}, headers=headers))
    assert online["status"] == "checked_in"
    assert Attendance.query.one().site_id is None
    other_site = factories.meeting(by=api_token("secretariat")[0]).sites[0]  # not this one's
    body = problem(client.post(url, json={"nonce": "x"}, headers=headers), 422)
    assert "site_id" in body["errors"]
    body = problem(client.post(url, json={"site_id": "1", "nonce": "x"}, headers=headers), 422)
    assert "site_id" in body["errors"]  # a string is not an id
    for stray in (999999, other_site.id):
        sent = {"site_id": stray, "nonce": f"x{stray}"}
        assert "site_id" in problem(client.post(url, json=sent, headers=headers), 422)["errors"]
    body = problem(client.post(url, json={"site_id": None, "nonce": ""}, headers=headers), 422)
    assert "nonce" in body["errors"]
    assert count(Attendance) == 1  # bad input changed nothing


def test_manual_checkin_access(client, headers, meeting, stranger, api_token):
    inv = meeting.invitations[0]
    url = f"{API}/meetings/{meeting.id}/invitations/{inv.id}/checkin"
    body = {"site_id": None, "nonce": "a1"}
    problem(client.post(url, json=body, headers=stranger), 404)  # not theirs: not found
    _viewer, viewer = api_token("viewer")
    problem(client.post(url, json=body, headers=viewer), 403)
    problem(client.post(url, json=body), 401)
    # The personal link is no staff credential, neither as a bearer nor in the path.
    problem(client.post(url, json=body, headers={"Authorization": f"Bearer {token_of(inv)}"}), 401)
    other = factories.schedule(factories.meeting(by=meeting.created_by))
    stray = factories.invitation(other)
    wrong = f"{API}/meetings/{meeting.id}/invitations/{stray.id}/checkin"
    problem(client.post(wrong, json=body, headers=headers), 404)
    assert count(Attendance) == 0


# --- walk-ins ---------------------------------------------------------------------------


def test_walk_in_registers_a_new_person_once(client, headers, meeting):
    url = f"{API}/meetings/{meeting.id}/walk-ins"
    body = {
        "site_id": meeting.sites[0].id,
        "nonce": "w1",
        "name": "Dominggus Ndara",
        "organization": "Kelompok Tani Wee Rame",
        "category": "community_leader",
        "gender": "male",
        "phone": "0813 3700 1122",
    }
    people = count(Person)
    first = ok(client.post(url, json=body, headers=headers))
    assert (first["status"], first["extra"]) == ("checked_in", {"walk_in": True})
    assert first["person"]["organization"] == "Kelompok Tani Wee Rame"
    assert ok(client.post(url, json=body, headers=headers)) == first  # a retry: the same
    assert count(Person) == people + 1
    walk_in = Attendance.query.one()
    assert (walk_in.is_walk_in, walk_in.method) == (True, CheckinMethod.WALK_IN)
    listed = ok(
        client.get(f"{API}/meetings/{meeting.id}/attendance?method=walk_in", headers=headers)
    )
    assert [row["name"] for row in listed["items"]] == ["Dominggus Ndara"]


def test_walk_in_bad_input_and_access(client, headers, meeting, stranger, api_token):
    url = f"{API}/meetings/{meeting.id}/walk-ins"
    body = problem(client.post(url, json={"site_id": meeting.sites[0].id}, headers=headers), 422)
    assert {"nonce", "name", "category"} <= set(body["errors"])
    bad = {"site_id": meeting.sites[0].id, "nonce": "w2", "name": "X", "category": "alien"}
    body = problem(client.post(url, json=bad, headers=headers), 422)
    assert "category" in body["errors"]  # the kiosk form's rule
    body = problem(
        client.post(url, json={**bad, "category": "ngo", "site_id": 999999}, headers=headers), 422
    )
    assert "site_id" in body["errors"]
    assert count(Attendance) == 0
    good = {**bad, "category": "ngo", "nonce": "w3"}
    problem(client.post(url, json=good, headers=stranger), 404)
    problem(client.post(url, json=good, headers=api_token("viewer")[1]), 403)
    assert count(Attendance) == 0


def test_walk_in_outside_the_window_is_refused_like_at_the_kiosk(client, headers, meeting):
    meeting.start_at = datetime.now(UTC) + timedelta(days=3)
    meeting.end_at = meeting.start_at + timedelta(hours=2)
    db.session.commit()
    body = {"site_id": meeting.sites[0].id, "nonce": "w9", "name": "Dini", "category": "ngo"}
    answer = ok(client.post(f"{API}/meetings/{meeting.id}/walk-ins", json=body, headers=headers))
    assert (answer["status"], answer["reason"]) == ("refused", "not_open_yet")
    assert count(Attendance) == 0


# --- stand-ins --------------------------------------------------------------------------


def test_staff_and_participant_name_a_stand_in(client, headers, meeting, stranger):
    inv = meeting.invitations[0]
    url = f"{API}/meetings/{meeting.id}/invitations/{inv.id}/stand-in"
    form = {
        "stand_in_name": "Drs. Umbu Rehi",
        "stand_in_position": "Sekretaris Dinas",
        "letter": (io.BytesIO(PDF_LETTER), "surat.pdf"),
    }
    done = ok(client.post(url, data=form, headers=headers, content_type="multipart/form-data"))
    assert (done["stand_in_name"], done["has_stand_in_letter"]) == ("Drs. Umbu Rehi", True)
    refused = client.post(
        url,
        data={"stand_in_name": "A", "letter": (io.BytesIO(b"MZ not a pdf"), "x.exe")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert "letter" in problem(refused, 422)["errors"]
    hidden = client.post(
        url,
        data={"stand_in_name": "A", "letter": (io.BytesIO(PDF_LETTER), "s.pdf")},
        headers=stranger,
        content_type="multipart/form-data",
    )
    problem(hidden, 404)
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).stand_in_name == "Drs. Umbu Rehi"

    own = f"{API}/i/{token_of(meeting.invitations[1])}/stand-in"
    mine = client.post(
        own,
        data={"stand_in_name": "Ir. Paulus Dairo", "letter": (io.BytesIO(PDF_LETTER), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert ok(mine)["stand_in_name"] == "Ir. Paulus Dairo"
    missing = client.post(own, data={"stand_in_name": "X"}, content_type="multipart/form-data")
    assert "letter" in problem(missing, 422)["errors"]


# --- the participant's credential, the site codes ---------------------------------------


def test_the_personal_credential_is_data_on_the_personal_endpoint_only(client, headers, meeting):
    inv = meeting.invitations[0]
    seen = ok(client.get(f"{API}/i/{token_of(inv)}"))
    credential = seen["checkin"]["credential"]
    assert credential == keys.credential_for(inv)  # what the QR image encodes
    opens = datetime.fromisoformat(seen["checkin"]["valid_from"])
    closes = datetime.fromisoformat(seen["checkin"]["valid_until"])
    assert opens < closes
    # An integrator redeems the text at a desk without decoding any image.
    site = meeting.sites[0]
    assert (
        ok(redeem(client, headers, site, {"credential": credential, "nonce": "c1"}))["status"]
        == "checked_in"
    )
    staff_view = client.get(f"{API}/meetings/{meeting.id}/invitations", headers=headers)
    assert credential not in staff_view.get_data(as_text=True)  # a bearer credential


def test_sites_carry_their_code_and_the_kiosk_code_is_data(client, headers, meeting, stranger):
    sites = ok(client.get(f"{API}/meetings/{meeting.id}/sites", headers=headers))
    items = sites["items"] if isinstance(sites, dict) else sites
    assert [s["code"] for s in items] == [s.code for s in meeting.sites]
    code = meeting.sites[0].code
    shown = ok(client.get(f"{API}/checkin/sites/{code}/kiosk-code", headers=headers))
    assert shown["open"] is True
    assert shown["url"].endswith(f"/c/{code}/" + shown["url"].rsplit("/", 1)[1])
    assert len(shown["typed_code"]) >= 4
    assert shown["expires_in"] > 0
    problem(client.get(f"{API}/checkin/sites/{code}/kiosk-code", headers=stranger), 404)
    problem(client.get(f"{API}/checkin/sites/tidak-ada/kiosk-code", headers=headers), 404)


# --- records and files ------------------------------------------------------------------


def _three_present(client: Any, headers: dict[str, str], meeting: Any) -> None:
    for n, inv in enumerate(meeting.invitations):
        site = meeting.sites[n % 2]
        url = f"{API}/meetings/{meeting.id}/invitations/{inv.id}/checkin"
        ok(client.post(url, json={"site_id": site.id, "nonce": f"t{n}"}, headers=headers))


def test_records_are_paged_filtered_and_sorted(client, headers, meeting):
    _three_present(client, headers, meeting)
    url = f"{API}/meetings/{meeting.id}/attendance"
    second = ok(client.get(f"{url}?per_page=1&page=2", headers=headers))
    assert (second["total"], second["pages"], len(second["items"])) == (3, 3, 1)
    assert second["items"][0]["number"] == 2
    by_name = ok(client.get(f"{url}?sort=name", headers=headers))
    assert [r["name"] for r in by_name["items"]] == ["Agustinus Bulu", "Maria Kaka", "Yohana Lende"]
    backwards = ok(client.get(f"{url}?sort=name&order=desc", headers=headers))
    assert backwards["items"][0]["name"] == "Yohana Lende"
    host = ok(client.get(f"{url}?site_id={meeting.sites[0].id}", headers=headers))
    assert [r["number"] for r in host["items"]] == [1, 2]  # numbered per site, as on paper
    found = ok(client.get(f"{url}?q=kaka", headers=headers))
    assert [r["name"] for r in found["items"]] == ["Maria Kaka"]
    assert ok(client.get(f"{url}?mode=in_person", headers=headers))["total"] == 3
    assert ok(client.get(f"{url}?mode=online", headers=headers))["total"] == 0
    for bad in ("sort=telepon", "mode=hybrid", "method=teleport", "per_page=0"):
        problem(client.get(f"{url}?{bad}", headers=headers), 422)
    body = problem(
        client.get(f"{url}?site_id={meeting.sites[0].id}&mode=online", headers=headers), 422
    )
    assert "mode" in body["errors"]


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_the_daftar_hadir_as_a_file(client, headers, meeting, fmt, content_type, magic):
    _three_present(client, headers, meeting)
    url = f"{API}/meetings/{meeting.id}/attendance/export?format={fmt}"
    got = client.get(url, headers=headers)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == content_type
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(f'.{fmt}"')
    assert got.data.startswith(magic)
    if fmt == "csv":  # the same bytes the attendance page's link gives (same exporter)
        assert got.data == exports.to_csv(attendance_lists(meeting).combined)


def test_one_site_s_list_and_bad_export_requests(client, headers, meeting, stranger):
    _three_present(client, headers, meeting)
    site = meeting.sites[1]
    url = f"{API}/meetings/{meeting.id}/attendance/export"
    got = client.get(f"{url}?format=csv&site_id={site.id}", headers=headers)
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig")), delimiter=";"))
    text = got.data.decode("utf-8-sig")
    assert "Agustinus Bulu" in text
    assert "Yohana Lende" not in text
    assert rows  # a real CSV
    problem(client.get(f"{url}?format=docx", headers=headers), 422)
    problem(client.get(f"{url}?site_id=999999", headers=headers), 422)
    problem(client.get(f"{url}?format=csv", headers=stranger), 404)
    problem(client.get(url), 401)


def test_summary_counts_answers_presence_and_quorum(client, headers, meeting, stranger):
    _three_present(client, headers, meeting)
    summary = ok(client.get(f"{API}/meetings/{meeting.id}/attendance/summary", headers=headers))
    assert summary["present"] == 3
    host, other, online = summary["sites"]
    assert (other["present"], online["present"]) == (1, 0)
    assert (host["site_id"], host["code"], host["present"]) == (
        meeting.sites[0].id,
        meeting.sites[0].code,
        2,
    )
    assert (online["site_id"], online["code"]) == (None, None)
    assert {"invited", "accepted", "declined", "seats", "over_capacity", "quorum"} <= set(host)
    assert summary["totals"]["total"] == 3
    problem(client.get(f"{API}/meetings/{meeting.id}/attendance/summary", headers=stranger), 404)


def test_the_old_names_are_gone(client, headers, meeting):
    inv = meeting.invitations[0]
    assert client.get(f"{API}/invitations/by-token/{token_of(inv)}").status_code == 404
    assert client.get(f"{API}/meetings/{meeting.id}/presence", headers=headers).status_code == 404
    assert client.get(f"{API}/meetings/{meeting.id}/counts", headers=headers).status_code == 404


def test_staff_check_out_by_attendance(client, headers, meeting, stranger, api_token):
    _three_present(client, headers, meeting)
    attendance = Attendance.query.order_by(Attendance.id).first()
    url = f"{API}/meetings/{meeting.id}/attendance/{attendance.id}/checkout"
    problem(client.post(url, headers=stranger), 404)
    problem(client.post(url, headers=api_token("viewer")[1]), 403)
    out = ok(client.post(url, headers=headers))
    assert (out["attendance_id"], out["time_out"] is not None) == (attendance.id, True)
    assert ok(client.post(url, headers=headers))["checked_out_at"] == out["checked_out_at"]
    problem(
        client.post(f"{API}/meetings/{meeting.id}/attendance/999999/checkout", headers=headers), 404
    )
    summary = ok(client.get(f"{API}/meetings/{meeting.id}/attendance/summary", headers=headers))
    assert summary["present"] == 2
