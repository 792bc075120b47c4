"""The registration desk: pages, JSON endpoints, the offline bundle and upload, the
personal QR, and two desks scanning one card at the same moment."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from meetcoord.checkin import credentials, keys
from meetcoord.checkin.models import Attendance, CheckinConflict
from meetcoord.meetings import invitations, links, services
from tests import factories
from tests.conftest import postgres_url
from tests.desk_seed import seed_server
from tests.helpers import count, static_names
from tests.support import (
    ServerProcess,
    http_get,
    http_opener,
    http_post,
    psycopg_url,
    run_cli,
    server_env,
    throwaway_postgres,
)

_CSRF_ATTR = re.compile(r'data-csrf="([^"]+)"')
_QR = re.compile(r'<img src="data:image/png;base64,([^"]+)"')


@pytest.fixture
def editor():
    return factories.user("secretariat")


@pytest.fixture
def meeting(editor):
    m = factories.meeting(  # check-in is open now
        by=editor,
        title="Rakor Stunting",
        venue=factories.venue(name="Aula Bappeda SBD", timezone="Asia/Makassar"),
        sites=[factories.venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura")],
    )
    organization = factories.organization(name="Dinas Kesehatan SBD")
    for _ in range(3):
        guest = factories.person(
            phone="0812-3456-7890", organization=organization, position="Kabid"
        )
        factories.invitation(m, person=guest, site=m.sites[0])
    return factories.schedule(m)


@pytest.fixture
def coordinator(editor, meeting):
    return factories.invitation(
        meeting, person=factories.person(), role="site_coordinator", site=meeting.sites[1]
    )


def desk_csrf(client, site) -> str:
    page = client.get(f"/desk/{site.code}")
    assert page.status_code == 200, page.status_code
    match = _CSRF_ATTR.search(page.get_data(as_text=True))
    assert match
    return match.group(1)


def post_json(client, url: str, payload: dict[str, Any], token: str) -> Any:
    return client.post(url, json=payload, headers={"X-CSRFToken": token})


@pytest.fixture
def staff_desk(auth, meeting):
    auth.login("secretariat")
    token = desk_csrf(auth.client, meeting.sites[0])

    def scan(credential: str, nonce: str, site=None, kind: str = "scan") -> Any:
        code = (site or meeting.sites[0]).code
        return post_json(
            auth.client, f"/desk/{code}/{kind}", {"credential": credential, "nonce": nonce}, token
        )

    scan.token = token  # type: ignore[attr-defined]
    return scan


# --- who may open a desk ----------------------------------------------------------------


def test_staff_opens_the_desk_page(auth, meeting):
    auth.login("secretariat")
    site = meeting.sites[0]
    html = auth.client.get(f"/desk/{site.code}").get_data(as_text=True)
    assert "Aula Bappeda SBD" in html
    assert f'data-bundle-url="/desk/{site.code}/bundle.json"' in html
    assert "vendor/jsqr-1.4.0/jsQR.js" in static_names(html)
    assert 'data-t-offline="Offline, {n} antrean"' in html
    assert "<script>" not in html  # CSP: no inline script
    assert auth.client.get("/desk/tidakada").status_code == 404


def test_anonymous_and_viewers_are_refused(client, auth, meeting):
    site = meeting.sites[0]
    response = client.get(f"/desk/{site.code}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    # Signed out: the API's 401 (no account, no coordinator's link), as problem+json.
    assert client.get(f"/desk/{site.code}/bundle.json").status_code == 401
    token = auth.token_from(client.get("/login").get_data(as_text=True))
    text_ = keys.credential_for(meeting.invitations[0])
    for kind in ("scan", "checkout", "offline"):
        response = post_json(
            client, f"/desk/{site.code}/{kind}", {"credential": text_, "nonce": "a"}, token
        )
        assert response.status_code == 401, kind
        assert response.mimetype == "application/problem+json", kind
    auth.login("viewer")
    assert auth.client.get(f"/desk/{site.code}").status_code == 403
    assert auth.client.get(f"/desk/{site.code}/bundle.json").status_code == 403
    assert count(Attendance) == 0


def test_coordinator_runs_only_their_own_site(client, editor, meeting, coordinator):
    own, other = meeting.sites[1], meeting.sites[0]
    token = links.personal_token(coordinator)
    page = client.get(f"/i/{token}").get_data(as_text=True)
    assert f"/i/{token}/desk/{own.code}" in page
    assert f"/desk/{other.code}" not in page
    assert client.get(f"/i/{token}/desk/{other.code}").status_code == 403
    response = client.get(f"/i/{token}/desk/{own.code}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/desk/{own.code}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    csrf = desk_csrf(client, own)
    assert client.get(f"/desk/{other.code}").status_code == 403
    assert client.get(f"/desk/{other.code}/bundle.json").status_code == 403
    guest = keys.credential_for(meeting.invitations[0])
    refused = post_json(
        client, f"/desk/{other.code}/scan", {"credential": guest, "nonce": "1"}, csrf
    )
    assert refused.status_code == 403
    ok = post_json(client, f"/desk/{own.code}/scan", {"credential": guest, "nonce": "2"}, csrf)
    assert ok.status_code == 200
    assert ok.json["status"] == "checked_in"
    assert ok.json["site"] == "Kantor Gubernur Maluku"
    # Withdrawing the coordinator closes their desk at once.
    invitations.withdraw_invitation(editor, coordinator)
    assert client.get(f"/desk/{own.code}/bundle.json").status_code == 403


def test_a_plain_participant_gets_no_desk(client, meeting):
    invitation = meeting.invitations[0]
    token = links.personal_token(invitation)
    assert "/desk/" not in client.get(f"/i/{token}").get_data(as_text=True)
    assert client.get(f"/i/{token}/desk/{meeting.sites[0].code}").status_code == 403


# --- scanning ---------------------------------------------------------------------------


def test_scan_checks_in_and_a_retry_gets_the_same_answer(staff_desk, meeting):
    invitation = meeting.invitations[0]
    credential = keys.credential_for(invitation)
    first = staff_desk(credential, "nonce-1")
    assert first.status_code == 200
    body = first.json
    assert body["status"] == "checked_in"
    assert body["person"]["name"] == invitation.person.name
    assert body["person"]["organization"] == "Dinas Kesehatan SBD"
    assert body["person"]["role"] == "participant"
    assert staff_desk(credential, "nonce-1").json == body  # the same nonce: the same answer
    again = staff_desk(credential, "nonce-2").json
    assert again["status"] == "already"
    assert again["message"].startswith("Sudah hadir di Aula Bappeda SBD pukul ")
    assert "WITA" in again["message"]
    assert count(Attendance) == 1


def test_each_refusal_has_its_reason_and_message(staff_desk, editor, meeting):
    good = keys.credential_for(meeting.invitations[0])
    other = services.create_meeting(
        editor,
        {
            "title": "Musrenbang Maluku",
            "kind": "coordination",
            "host_venue_id": meeting.host_venue_id,
            "start_at": "2024-04-01T09:00",
            "end_at": "2024-04-01T10:00",
        },
    )
    invitations.invite(editor, other, {"person_ids": [factories.person().id]})
    invitations.withdraw_invitation(editor, meeting.invitations[1])
    payload, signature = good.split(".")[1:]
    forged = "MC1." + payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    cases = {
        "malformed": ("bukan-kartu", "bukan kartu undangan"),
        "bad_signature": (forged, "Tanda tangan kartu undangan tidak sah."),
        "wrong_meeting": (
            keys.credential_for(other.invitations[0]),
            "Undangan untuk rapat lain: Musrenbang Maluku.",
        ),
        "withdrawn": (
            keys.credential_for(meeting.invitations[1]),
            "Undangan ini sudah ditarik.",
        ),
        "not_invited": (
            credentials.issue(keys.signing_key(meeting), meeting.id, 999_999),
            "Tidak terdaftar",
        ),
    }
    for reason, (credential, message) in cases.items():
        body = staff_desk(credential, f"n-{reason}").json
        assert (body["status"], body["reason"]) == ("refused", reason), body
        assert message in body["message"]
    services.cancel_meeting(editor, meeting)
    body = staff_desk(good, "n-closed").json
    assert body["reason"] == "meeting_not_open"
    assert count(Attendance) == 0


def test_scan_needs_a_nonce_and_json(staff_desk, auth, meeting):
    response = staff_desk(keys.credential_for(meeting.invitations[0]), "")
    assert response.status_code == 422
    assert "nonce" in response.json["errors"]
    bad = auth.client.post(
        f"/desk/{meeting.sites[0].code}/scan",
        data="x",
        headers={"X-CSRFToken": staff_desk.token, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    no_csrf = auth.client.post(f"/desk/{meeting.sites[0].code}/scan", json={"nonce": "x"})
    assert no_csrf.status_code == 400  # CSRF
    assert count(Attendance) == 0


def test_check_out_at_the_desk(staff_desk, meeting):
    credential = keys.credential_for(meeting.invitations[0])
    not_in = staff_desk(credential, "o-1", kind="checkout").json
    assert (not_in["status"], not_in["reason"]) == ("refused", "not_checked_in")
    assert staff_desk(credential, "i-1").json["status"] == "checked_in"
    elsewhere = staff_desk(credential, "o-2", site=meeting.sites[1], kind="checkout").json
    assert elsewhere["reason"] == "other_site"
    out = staff_desk(credential, "o-3", kind="checkout").json
    assert out["status"] == "checked_out"
    assert "keluar" in out["message"]
    assert "WITA" in out["message"]  # the out time with the site's zone label
    attendance = Attendance.query.one()
    assert attendance.checked_out_at is not None
    assert staff_desk(credential, "o-4", kind="checkout").json["at"] == out["at"]  # unchanged
    assert staff_desk("MC1.x.y", "o-5", kind="checkout").json["reason"] == "malformed"


# --- offline ----------------------------------------------------------------------------


def test_bundle_holds_key_invitees_and_revocations_but_no_contact_data(
    staff_desk, auth, editor, meeting
):
    withdrawn = meeting.invitations[2]
    invitations.withdraw_invitation(editor, withdrawn)
    response = auth.client.get(f"/desk/{meeting.sites[0].code}/bundle.json")
    assert response.status_code == 200
    bundle = response.json
    assert bundle["meeting_id"] == meeting.id
    assert bundle["public_key"] == keys.public_key(meeting)
    assert bundle["revoked"] == [withdrawn.id]
    ids = {i["invitation_id"] for i in bundle["invitees"]}
    assert ids == {meeting.invitations[0].id, meeting.invitations[1].id}
    first = next(i for i in bundle["invitees"] if i["invitation_id"] == meeting.invitations[0].id)
    assert first == {
        "invitation_id": meeting.invitations[0].id,
        "name": meeting.invitations[0].person.name,
        "organization": "Dinas Kesehatan SBD",
        "position": "Kabid",
        "role": "participant",
        "site": "Aula Bappeda SBD",
    }
    raw = response.get_data(as_text=True)
    assert "@" not in raw
    assert "3456" not in raw
    assert "7890" not in raw
    # The key in the bundle verifies a credential the way the desk does.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = Ed25519PublicKey.from_public_bytes(
        base64.urlsafe_b64decode(bundle["public_key"] + "==")
    )
    credential = keys.credential_for(meeting.invitations[0])
    assert credentials.verify(credential, public).invitation_id == meeting.invitations[0].id


def test_offline_upload_earliest_scan_wins_and_conflicts_are_kept(staff_desk, auth, meeting):
    here, there = meeting.sites
    first, second = meeting.invitations[0], meeting.invitations[1]
    # Online at the other site first; an offline desk here had scanned them earlier.
    live = staff_desk(keys.credential_for(first), "live-1", site=there).json
    assert live["status"] == "checked_in"
    assert Attendance.query.one().site_id == there.id
    earlier = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    scans = [
        {"credential": keys.credential_for(first), "nonce": "off-1", "scanned_at": earlier},
        {"credential": keys.credential_for(second), "nonce": "off-2", "scanned_at": earlier},
        {"credential": "rusak", "nonce": "off-3", "scanned_at": earlier},
    ]
    url = f"/desk/{here.code}/offline"
    response = post_json(auth.client, url, {"scans": scans}, staff_desk.token)
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["nonce"] for r in results] == ["off-1", "off-2", "off-3"]
    assert [r["status"] for r in results] == ["checked_in", "checked_in", "refused"]
    moved = Attendance.query.filter_by(person_id=first.person_id).one()
    assert (moved.site_id, moved.method.value) == (here.id, "desk_offline")
    conflict = CheckinConflict.query.one()
    assert (conflict.person_id, conflict.other_site_id) == (first.person_id, there.id)
    # A resent upload (the answer was lost on the way) changes nothing and answers the same.
    again = post_json(auth.client, url, {"scans": scans}, staff_desk.token).json["results"]
    assert again == results
    assert count(Attendance) == 2
    assert count(CheckinConflict) == 1
    # A later offline scan elsewhere loses, and is listed as a conflict.
    later = {
        "credential": keys.credential_for(second),
        "nonce": "off-4",
        "scanned_at": datetime.now(UTC).isoformat(),
    }
    url_there = f"/desk/{there.code}/offline"
    lost = post_json(auth.client, url_there, {"scans": [later]}, staff_desk.token).json
    assert lost["results"][0]["status"] == "already"
    assert count(CheckinConflict) == 2
    assert count(Attendance) == 2
    # A scan time without a zone is refused as a whole.
    naive = {**later, "nonce": "off-5", "scanned_at": "2024-03-15T09:00:00"}
    assert post_json(auth.client, url, {"scans": [naive]}, staff_desk.token).status_code == 422
    # Not a list: the API's 422 with the field named (it was a bare 400 here).
    assert post_json(auth.client, url, {"scans": "x"}, staff_desk.token).status_code == 422


# --- the personal QR --------------------------------------------------------------------


def test_personal_page_shows_a_qr_that_decodes_to_the_credential(client, meeting):
    import zxingcpp
    from PIL import Image

    invitation = meeting.invitations[0]
    html = client.get(f"/i/{links.personal_token(invitation)}").get_data(as_text=True)
    assert "Tunjukkan kode ini di meja registrasi" in html
    match = _QR.search(html)
    assert match
    image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [keys.credential_for(invitation)]


# --- two desks, one card, the same moment -----------------------------------------------


@contextmanager
def _server_database(tmp_path: Path) -> Iterator[str]:
    if os.environ.get("MEETCOORD_TEST_BACKEND") == "postgres":
        base = postgres_url()
        assert base
        with throwaway_postgres(base) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'race.db'}"


def _staff_opener(base_url: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = http_opener()
    _status, _headers, page = http_get(base_url + "/login", opener=opener)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf
    form = {"email": email, "password": password, "csrf_token": csrf.group(1)}
    status, _headers, _body = http_post(base_url + "/login", form, opener=opener)
    assert status == 200  # the redirect was followed
    return opener


def _post_json(
    opener: urllib.request.OpenerDirector, url: str, payload: dict[str, Any], csrf: str
) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
    )
    try:
        with opener.open(request, timeout=20) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return {"status": f"HTTP {exc.code}", "body": exc.read().decode(errors="replace")}


def _race_scan(
    barrier: threading.Barrier,
    got: list[dict[str, Any]],
    desk: tuple[urllib.request.OpenerDirector, str, str],
    credential: str,
    nonce: str,
) -> None:
    opener, scan_url, csrf = desk
    barrier.wait(timeout=10)
    got.append(_post_json(opener, scan_url, {"credential": credential, "nonce": nonce}, csrf))


def test_the_same_card_at_two_desks_at_once_gives_one_attendance(tmp_path: Path) -> None:
    email, password = "meja.uji@bappeda-sbd.go.id", "Meja-Tambolaka-Dua-Pintu"
    with _server_database(tmp_path) as url:
        # PostgreSQL: threads, truly in parallel. SQLite: eventlet, as `make run` serves it
        # (under threads SQLite refuses a second concurrent writer: "database is locked").
        mode = "eventlet" if url.startswith("sqlite") else "threading"
        env = server_env(url, MEETCOORD_ASYNC_MODE=mode)
        run_cli(env, "db", "upgrade")
        run_cli(
            env,
            *("create-user", "--email", email, "--name", "Petugas Meja"),
            *("--role", "secretariat", "--password", password),
        )
        seeded = seed_server(env, 6)
        server = ServerProcess(env, tmp_path / "server.log")
        server.start()
        try:
            desks = []
            for code in seeded["sites"]:  # one desk at each site, each its own session
                opener = _staff_opener(server.base_url, email, password)
                _status, _headers, page = http_get(f"{server.base_url}/desk/{code}", opener=opener)
                csrf = _CSRF_ATTR.search(page)
                assert csrf, page[:500]
                desks.append((opener, f"{server.base_url}/desk/{code}/scan", csrf.group(1)))
            answers: list[list[dict[str, Any]]] = []
            for n, credential in enumerate(seeded["credentials"]):
                barrier = threading.Barrier(len(desks))
                got: list[dict[str, Any]] = []

                threads = [
                    threading.Thread(
                        target=_race_scan, args=(barrier, got, desk, credential, f"race-{n}-{d}")
                    )
                    for d, desk in enumerate(desks)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=30)
                answers.append(got)
        finally:
            server.stop()
        log = server.log()
        engine = create_engine(psycopg_url(url))
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT person_id FROM attendances WHERE meeting_id = :m"),
                    {"m": seeded["meeting_id"]},
                ).all()
        finally:
            engine.dispose()
    assert len(rows) == len(seeded["credentials"])  # one each
    assert len({row[0] for row in rows}) == len(rows)
    for got in answers:
        assert sorted(a["status"] for a in got) == ["already", "checked_in"], (got, log)
