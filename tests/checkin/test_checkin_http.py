"""Check-in rules over HTTP, against the real server (eventlet, as `make run` serves it).

One server for the module, on its own SQLite file, seeded by a separate process with the
server's environment (same database, same secret key). Checked against point 6 of the
QR-attendance issue: two desks scanning the same credential at the same moment give one
attendance; a retried nonce gets the first answer byte for byte; codes of another meeting,
with a bad signature, malformed, or of a withdrawn invitation are refused with a reason;
a user or coordinator acting at a site not theirs gets 403; kiosk codes of another site or
an old window are refused; the public check-in routes are rate limited.

The database is read back with ``sqlite3`` (read-only), never through the app.
"""

from __future__ import annotations

import http.client
import json
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meetcoord.checkin import codes
from tests.support import PROJECT_ROOT, ServerProcess, run_cli, server_env

pytestmark = pytest.mark.timeout(120)

RACES = 20
RATE_LIMIT = 6  # per minute, for this server's public check-in routes
# Loopback has the whole 127/8 on Linux: each group of requests gets its own client address,
# so the public routes' per-address limit counts only what that test sends.
KIOSK_ADDRESS = "127.0.0.2"
RATE_ADDRESS = "127.0.0.3"


# --- seeding, in a separate process -----------------------------------------------------


def seed_main(out_path: str) -> None:
    """``python -c 'from tests.checkin.test_checkin_http import seed_main; seed_main(path)'``."""
    from meetcoord import create_app
    from meetcoord.accounts.services import create_token, create_user
    from meetcoord.checkin import keys
    from meetcoord.directory.models import Gender, Person, StakeholderCategory, Venue
    from meetcoord.extensions import db
    from meetcoord.meetings import invitations, links, services
    from tests import factories

    app = create_app()
    with app.app_context():
        editor = create_user(
            None,
            email="sekretariat.http@bappeda.example.go.id",
            name="Sekretariat Uji",
            password=secrets.token_urlsafe(16),
            role="secretariat",
        )
        viewer = create_user(
            None,
            email="pengamat.http@bappeda.example.go.id",
            name="Pengamat Uji",
            password=secrets.token_urlsafe(16),
            role="viewer",
        )
        wita = Venue(name="Aula Bappeda SBD", timezone="Asia/Makassar", capacity=80)
        wit = Venue(name="Kantor Gubernur Maluku", timezone="Asia/Jayapura", capacity=80)
        people = [
            Person(
                name=f"Peserta HTTP {i:02d}",
                category=StakeholderCategory.GOVERNMENT,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                email=f"http-{i}@example.go.id",
            )
            for i in range(RACES + 12)
        ]
        db.session.add_all([wita, wit, *people])
        db.session.commit()

        def meeting_at(title: str) -> Any:
            return services.create_meeting(
                editor,
                {
                    "title": title,
                    "kind": "coordination",
                    "host_venue_id": wita.id,
                    **factories.meeting_times("Asia/Makassar"),  # check-in is open
                },
            )

        meeting = meeting_at("Rakor Uji HTTP")
        services.add_site(editor, meeting, {"venue_id": wit.id})
        site_a, site_b = meeting.sites
        *guests, coordinator, other_guest = people
        invitations.invite(editor, meeting, {"person_ids": [p.id for p in guests]})
        invitations.invite(
            editor,
            meeting,
            {"person_ids": [coordinator.id], "role": "site_coordinator", "site_id": site_b.id},
        )
        services.schedule_meeting(editor, meeting)
        by_person = {inv.person_id: inv for inv in meeting.invitations}
        withdrawn = by_person[guests[-1].id]
        invitations.withdraw_invitation(editor, withdrawn)
        db.session.commit()

        other = meeting_at("Rapat Lain Uji")
        invitations.invite(editor, other, {"person_ids": [other_guest.id]})
        services.schedule_meeting(editor, other)

        _t, token = create_token(None, editor, "desk http test")
        _t, viewer_token = create_token(None, viewer, "viewer http test")
        usable = [by_person[p.id] for p in guests[:-1]]
        Path(out_path).write_text(
            json.dumps(
                {
                    "token": token,
                    "viewer_token": viewer_token,
                    "meeting_id": meeting.id,
                    "sites": [site_a.code, site_b.code],
                    "site_secrets": [keys.site_secret(s).hex() for s in (site_a, site_b)],
                    "guests": [
                        {"credential": keys.credential_for(inv), "person_id": inv.person_id}
                        for inv in usable
                    ],
                    "withdrawn": keys.credential_for(withdrawn),
                    "other_meeting": keys.credential_for(other.invitations[0]),
                    "coordinator_link": links.personal_token(by_person[coordinator.id]),
                }
            )
        )


# --- the server and plain HTTP clients --------------------------------------------------


class Seeded:
    def __init__(self, server: ServerProcess, db_path: Path, data: dict[str, Any]):
        self.server, self.db_path, self.data = server, db_path, data
        self.port = server.port
        self._guests = iter(data["guests"])

    def guest(self) -> dict[str, Any]:
        """A credential nobody has used yet in this module."""
        return next(self._guests)

    def attendance_rows(self, person_id: int) -> int:
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True) as conn:
            (n,) = conn.execute(
                "SELECT COUNT(*) FROM attendances WHERE meeting_id = ? AND person_id = ?",
                (self.data["meeting_id"], person_id),
            ).fetchone()
        return n


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    tmp = tmp_path_factory.mktemp("checkin_http")
    db_path = tmp / "checkin.db"
    env = server_env(
        f"sqlite:///{db_path}",
        MEETCOORD_ASYNC_MODE="eventlet",
        MEETCOORD_WORKER="off",
        MEETCOORD_MAIL_TRANSPORT="console",
        MEETCOORD_CHECKIN_RATE_LIMIT=f"{RATE_LIMIT} per minute",
    )
    run_cli(env, "db", "upgrade")
    out = tmp / "seed.json"
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from tests.checkin.test_checkin_http import seed_main; seed_main({str(out)!r})",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = ServerProcess(env, tmp / "server.log")
    try:
        server.start()
        yield Seeded(server, db_path, json.loads(out.read_text()))
    finally:
        server.stop()


class Client:
    """One keep-alive connection, like a desk's browser, from a chosen loopback address."""

    def __init__(self, port: int, token: str | None = None, source: str = "127.0.0.1"):
        self.conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=15, source_address=(source, 0)
        )
        self.headers = {"Accept-Language": "id"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def redeem(self, site: str, credential: str, nonce: str | None = None) -> tuple[int, bytes]:
        body = {"credential": credential, "nonce": nonce or secrets.token_hex(12)}
        return self.request("POST", f"/api/v1/checkin/sites/{site}/redeem", body)

    def close(self) -> None:
        self.conn.close()


def answer(status: int, body: bytes) -> dict[str, Any]:
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.fixture
def desk(seeded: Seeded) -> Iterator[Client]:
    client = Client(seeded.port, seeded.data["token"])
    yield client
    client.close()


# --- two desks, one credential ----------------------------------------------------------


def _scan_together(desks: list[Client], where: list[str], credential: str) -> list[dict]:
    """Both desks send the same credential, released together by a barrier."""
    barrier = threading.Barrier(len(desks), timeout=10)
    got: list[tuple[int, bytes] | BaseException] = [ValueError("no answer")] * len(desks)

    def scan(i: int) -> None:
        try:
            barrier.wait()
            got[i] = desks[i].redeem(where[i], credential)
        except BaseException as exc:  # re-raised below, in the test's thread
            got[i] = exc

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(len(desks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not any(thread.is_alive() for thread in threads)
    answers = []
    for outcome in got:
        if isinstance(outcome, BaseException):
            raise outcome
        answers.append(answer(*outcome))
    return answers


def test_same_credential_at_two_desks_at_once_gives_one_attendance(seeded: Seeded) -> None:
    sites = seeded.data["sites"]
    desks = [Client(seeded.port, seeded.data["token"]) for _ in range(2)]
    try:
        for round_ in range(RACES):
            guest = seeded.guest()
            # Even rounds: two desks at the same site; odd rounds: one desk at each site.
            answers = _scan_together(desks, [sites[0], sites[round_ % 2]], guest["credential"])
            assert sorted(a["status"] for a in answers) == ["already", "checked_in"], answers
            already = next(a for a in answers if a["status"] == "already")
            assert already["reason"] == "already_checked_in"
            assert answers[0]["attendance_id"] == answers[1]["attendance_id"]
            assert seeded.attendance_rows(guest["person_id"]) == 1
    finally:
        for client in desks:
            client.close()


# --- nonces -----------------------------------------------------------------------------


def test_retried_nonce_gets_the_first_answer_byte_for_byte(seeded: Seeded, desk: Client) -> None:
    site = seeded.data["sites"][0]
    guest, other = seeded.guest(), seeded.guest()
    first = desk.redeem(site, guest["credential"], "retry-1")
    assert answer(*first)["status"] == "checked_in"
    time.sleep(0.05)  # a later answer would carry a later time; the replay must not
    assert desk.redeem(site, guest["credential"], "retry-1") == first
    # The nonce decides, not the body: a different credential under it gets the first answer.
    assert desk.redeem(site, other["credential"], "retry-1") == first
    assert seeded.attendance_rows(other["person_id"]) == 0
    # A new nonce is a new scan: "already", and still one row.
    again = answer(*desk.redeem(site, guest["credential"], "retry-2"))
    assert (again["status"], again["reason"]) == ("already", "already_checked_in")
    assert seeded.attendance_rows(guest["person_id"]) == 1
    # Refusals are answers too, and replay the same way.
    refused = desk.redeem(site, "bukan kartu undangan", "retry-3")
    assert answer(*refused)["reason"] == "malformed"
    assert desk.redeem(site, "bukan kartu undangan", "retry-3") == refused


# --- refusals ---------------------------------------------------------------------------


def _tampered(credential: str) -> str:
    prefix, payload, signature = credential.split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    return f"{prefix}.{payload}.{flipped}"


@pytest.mark.parametrize(
    ("which", "reason", "words"),
    [
        ("other_meeting", "wrong_meeting", "Rapat Lain Uji"),
        ("bad_signature", "bad_signature", "Tanda tangan"),
        ("malformed", "malformed", "bukan kartu undangan"),
        ("withdrawn", "withdrawn", "ditarik"),
    ],
)
def test_credentials_refused_with_a_reason(
    seeded: Seeded, desk: Client, which: str, reason: str, words: str
) -> None:
    person_id = None
    if which == "bad_signature":
        guest = seeded.guest()
        credential, person_id = _tampered(guest["credential"]), guest["person_id"]
    elif which == "malformed":
        credential = "MC1.bukan-kartu"
    else:
        credential = seeded.data[which]
    result = answer(*desk.redeem(seeded.data["sites"][0], credential))
    assert (result["status"], result["reason"]) == ("refused", reason)
    assert words in result["message"]
    assert result["attendance_id"] is None
    if person_id is not None:
        assert seeded.attendance_rows(person_id) == 0


def test_a_user_who_may_not_operate_a_desk_gets_403(seeded: Seeded) -> None:
    viewer = Client(seeded.port, seeded.data["viewer_token"])
    try:
        guest = seeded.guest()
        status, body = viewer.redeem(seeded.data["sites"][0], guest["credential"])
        assert status == 403, body[:300]
        assert seeded.attendance_rows(guest["person_id"]) == 0
    finally:
        viewer.close()


def test_a_coordinator_opens_only_the_desk_of_their_own_site(seeded: Seeded) -> None:
    site_a, site_b = seeded.data["sites"]
    link = seeded.data["coordinator_link"]
    client = Client(seeded.port)
    try:
        status, _body = client.request("GET", f"/i/{link}/desk/{site_a}")
        assert status == 403
        status, _body = client.request("GET", f"/i/{link}/desk/{site_b}")
        assert status in (302, 303)  # their own site: on to the desk page
    finally:
        client.close()


def test_unknown_site_is_404(desk: Client, seeded: Seeded) -> None:
    status, _body = desk.redeem("tidakada", seeded.data["withdrawn"])
    assert status == 404


# --- kiosk codes and the public routes ----------------------------------------------------


def _kiosk_code(seeded: Seeded, site_index: int, windows_ago: int = 0) -> str:
    secret = bytes.fromhex(seeded.data["site_secrets"][site_index])
    return codes.url_code(secret, codes.window_at(time.time()) - windows_ago)


def test_kiosk_codes_of_another_site_or_an_old_window_are_refused(seeded: Seeded) -> None:
    site_a = seeded.data["sites"][0]
    phone = Client(seeded.port, source=KIOSK_ADDRESS)
    try:
        status, body = phone.request("GET", f"/c/{site_a}/{_kiosk_code(seeded, 0)}")
        assert status == 200, body[:300]  # the current code of this site: the page opens
        status, body = phone.request("GET", f"/c/{site_a}/{_kiosk_code(seeded, 1)}")
        assert status == 409
        assert "Kode tidak cocok dengan lokasi ini." in body.decode()
        status, body = phone.request("GET", f"/c/{site_a}/{_kiosk_code(seeded, 0, 3)}")
        assert status == 409
        assert "Kode sudah kedaluwarsa" in body.decode()
    finally:
        phone.close()


def test_public_checkin_routes_are_rate_limited(seeded: Seeded) -> None:
    site_a = seeded.data["sites"][0]
    phone = Client(seeded.port, source=RATE_ADDRESS)
    try:
        statuses = [
            phone.request("GET", f"/c/{site_a}/{_kiosk_code(seeded, 0)}")[0]
            for _ in range(RATE_LIMIT + 2)
        ]
    finally:
        phone.close()
    assert statuses[:RATE_LIMIT] == [200] * RATE_LIMIT
    assert statuses[RATE_LIMIT:] == [429, 429]
    # Another address is not affected.
    other = Client(seeded.port, source="127.0.0.4")
    try:
        assert other.request("GET", f"/c/{site_a}/{_kiosk_code(seeded, 0)}")[0] == 200
    finally:
        other.close()
