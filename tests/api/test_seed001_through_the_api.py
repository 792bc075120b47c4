"""Seed 001 (Rapat Koordinasi Forum BangKIT, Tambolaka) driven through ``/api/v1`` alone.

Issue 17: an integrator must be able to run a whole meeting without a page, a socket or a
QR decoder. The secretariat's system holds one bearer token; the participants act through
their personal links, which reach them by mail (the test reads the outbox as their mailbox
is read, never the database). Every step is an HTTP call to the API:

directory in bulk (24 agencies and their forum members, the camat, Yayasan BaKTI) → the
forum with its decree → the venue in Tambolaka (WITA) → the meeting, created twice with one
Idempotency-Key (one meeting) → agenda → the forum invited, plus guests with their own role
→ scheduled → RSVPs → check-in: QR credentials read from the participant API and redeemed
at the site's code, names ticked by the secretariat, a walk-in → the live room over REST
(open, decisions, actions for the agencies, a replayed nonce, close) → the berita acara
created, finalised and signed by both parties with the codes mailed to them → the actions
read back per agency.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from meetcoord.accounts.models import Role
from meetcoord.core.outbox import OutboxMessage
from meetcoord.core.worker import run_worker
from meetcoord.extensions import db
from tests.documents_support import ensure_ca

API = "/api/v1"
WITA = ZoneInfo("Asia/Makassar")

# The forum's 24 members come from the agencies of Kabupaten Sumba Barat Daya's livelihood
# field (SK Bupati SBD 289/KEP/HK/2023); the first four are named as in the report.
AGENCIES = [
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Pertanian",
    "Dinas Ketahanan Pangan",
    "Dinas Perikanan",
    "Dinas Peternakan",
    "Dinas Koperasi dan UKM",
    "Dinas Perindustrian dan Perdagangan",
    "Dinas Sosial",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Lingkungan Hidup",
    "Dinas Pekerjaan Umum",
    "Dinas Perumahan dan Permukiman",
    "Dinas Pariwisata",
    "Dinas Tenaga Kerja",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
    "Badan Keuangan Daerah",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Kehutanan",
    "Dinas Perhubungan",
    "Inspektorat Daerah",
]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_data(True))
    return response.get_json()


def mailbox(address: str, kind: str) -> list[str]:
    """The plain-text bodies the outbox holds for ``address`` (their mailbox), newest last."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == address, OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id)
    ).all()
    bodies = []
    for row in rows:
        body = message_from_bytes(row.message, policy=default_policy).get_body(("plain",))
        assert body is not None
        bodies.append(body.get_content())
    return bodies


def personal_token(address: str) -> str:
    """The personal link's token from the invitation mail, as the invitee clicks it."""
    mails = mailbox(address, "invitation")
    assert mails, f"no invitation mailed to {address}"
    found = re.search(r"/i/([A-Za-z0-9_\-.]+)", mails[-1])
    assert found, mails[-1][:500]
    return found.group(1)


def signing_code(address: str) -> str:
    mails = mailbox(address, "signing_code")
    assert mails, f"no signing code mailed to {address}"
    found = re.search(r"^\s+(\d{6})\s*$", mails[-1], re.M)
    assert found
    return found.group(1)


def test_forum_bangkit_meeting_end_to_end_through_the_api_alone(app, client, api_token) -> None:
    ensure_ca(app)  # the installation's signing CA (`meetcoord init`), not an API step
    _staff, auth = api_token(Role.SECRETARIAT)

    def call(method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        headers = {**auth, **kwargs.pop("headers", {})}
        return ok(client.open(f"{API}{path}", method=method, headers=headers, **kwargs), status)

    # --- the directory, in bulk ----------------------------------------------------------
    rows = [
        {"name": name, "kind": "opd", "level": "regency", "region": "Kabupaten Sumba Barat Daya"}
        for name in AGENCIES
    ] + [
        {"name": "Yayasan BaKTI", "kind": "ngo", "level": "national"},
        {"name": "Kecamatan Kota Tambolaka", "kind": "opd", "level": "regency"},
    ]
    made = call("POST", "/organizations/bulk", json={"items": rows})
    assert made["created"] == len(rows)
    assert made["failed"] == 0
    org_ids = [row["id"] for row in made["results"]]
    again = call("POST", "/organizations/bulk", json={"items": rows[:2]})
    assert [r["status"] for r in again["results"]] == ["exists", "exists"]
    assert [r["id"] for r in again["results"]] == org_ids[:2]

    people = [
        {
            "name": f"Anggota Forum {number:02d}",
            "position": "Kepala Bidang" if number % 2 else "Sekretaris Dinas",
            "organization_id": org_ids[number - 1],
            "email": f"forum{number:02d}@sbdkab.go.id",
            "gender": "female" if number % 3 == 0 else "male",
            "category": "government",
        }
        for number in range(1, 25)
    ] + [
        {
            "name": "Camat Kota Tambolaka",
            "position": "Camat",
            "organization_id": org_ids[25],
            "email": "camat.kotatambolaka@sbdkab.go.id",
            "category": "government",
        },
        {
            "name": "Koordinator Program BangKIT",
            "position": "Program Officer",
            "organization_id": org_ids[24],
            "email": "bangkit@bakti.or.id",
            "category": "ngo",
        },
    ]
    made = call("POST", "/people/bulk", json={"items": people})
    assert made["created"] == len(people), made
    person_ids = [row["id"] for row in made["results"]]
    found = call("GET", "/people?email=FORUM07@sbdkab.go.id")
    assert [p["id"] for p in found["items"]] == [person_ids[6]]
    assert ok(client.get(f"{API}/people?emial=x", headers=auth), 400)["errors"] == {
        "emial": ["Parameter tidak dikenal."]
    }

    forum = call(
        "POST",
        "/forums",
        201,
        json={
            "name": "Forum Koordinasi Program BangKIT Kabupaten Sumba Barat Daya",
            "short_name": "Forum BangKIT",
            "decree_number": "289/KEP/HK/2023",
            "decree_issuer": "Bupati Sumba Barat Daya",
            "organization_id": org_ids[0],
        },
    )
    for number, person_id in enumerate(person_ids[:24], 1):
        role = {1: "chair", 2: "secretary"}.get(number, "member")
        call(
            "POST",
            f"/forums/{forum['id']}/members",
            201,
            json={"person_id": person_id, "role": role},
        )
    venue = call(
        "POST",
        "/venues",
        201,
        json={
            "name": "Aula Bappeda Kabupaten Sumba Barat Daya",
            "city": "Tambolaka",
            "timezone": "Asia/Makassar",
            "capacity": 60,
        },
    )
    assert venue["zone_label"] == "WITA"

    # --- the meeting: a retried create with one Idempotency-Key makes one meeting --------
    start = datetime.now(WITA).replace(second=0, microsecond=0) + timedelta(minutes=30)
    meeting_body = {
        "title": "Rapat Koordinasi Forum Program BangKIT Kabupaten Sumba Barat Daya",
        "purpose": "Sinkronisasi Rencana Penghidupan Masyarakat Desa dengan perencanaan OPD.",
        "kind": "coordination",
        "start_at": start.strftime("%Y-%m-%dT%H:%M"),
        "end_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "host_venue_id": venue["id"],
        "forum_id": forum["id"],
    }
    key = {"Idempotency-Key": "sbd-rakor-bangkit-2"}
    meeting = call("POST", "/meetings", 201, json=meeting_body, headers=key)
    replay = client.post(f"{API}/meetings", json=meeting_body, headers={**auth, **key})
    assert ok(replay, 201)["id"] == meeting["id"]
    other = client.post(
        f"{API}/meetings", json={**meeting_body, "title": "Lain"}, headers={**auth, **key}
    )
    assert other.status_code == 422
    mid = meeting["id"]
    assert call("GET", f"/meetings?forum_id={forum['id']}")["total"] == 1

    site = call("GET", f"/meetings/{mid}/sites")["items"][0]
    assert site["code"]
    for title, kind in (
        ("Hasil kesepakatan Rencana Penghidupan Masyarakat Desa", "signing"),
        ("Sinkronisasi Rencana Penghidupan dengan perencanaan OPD", "decision"),
    ):
        body = {"title": title, "kind": kind, "planned_minutes": 60}
        call("POST", f"/meetings/{mid}/agenda", 201, json=body)

    invited = call(
        "POST",
        f"/meetings/{mid}/invitations",
        201,
        json={"forum_id": forum["id"], "site_id": site["id"]},
    )
    assert invited["created"] == 24
    guests = [
        {"person_id": person_ids[24], "role": "observer", "site_id": site["id"]},
        {"person_id": person_ids[25], "role": "speaker", "site_id": site["id"]},
    ]
    call("POST", f"/meetings/{mid}/invitations", 201, json={"rows": guests})
    listing = call("GET", f"/meetings/{mid}/invitations?per_page=10&sort=person_name")
    assert (listing["total"], len(listing["items"]), listing["pages"]) == (26, 10, 3)
    invitations = {
        inv["email"]: inv
        for inv in call("GET", f"/meetings/{mid}/invitations?per_page=50")["items"]
    }
    assert call("POST", f"/meetings/{mid}/schedule", json={})["status"] == "scheduled"

    # --- the participants answer from their own links -------------------------------------
    tokens = {address: personal_token(address) for address in invitations}
    for address in list(tokens)[:20]:
        answer = ok(client.post(f"{API}/i/{tokens[address]}/rsvp", json={"rsvp": "accepted"}))
        assert answer["rsvp"] == "accepted"
    accepted = call("GET", f"/meetings/{mid}/invitations?rsvp=accepted")
    assert accepted["total"] == 20

    # --- check-in: QR credentials as data, ticked names, a walk-in ------------------------
    addresses = list(tokens)
    for number, address in enumerate(addresses[:12]):
        mine = ok(client.get(f"{API}/i/{tokens[address]}"))
        credential = mine["checkin"]["credential"]
        scan = call(
            "POST",
            f"/checkin/sites/{site['code']}/redeem",
            json={"credential": credential, "nonce": f"scan-{number}"},
        )
        assert scan["status"] == "checked_in", scan
    for number, address in enumerate(addresses[12:20]):
        inv = invitations[address]
        ticked = call(
            "POST",
            f"/meetings/{mid}/invitations/{inv['id']}/checkin",
            json={"site_id": site["id"], "nonce": f"tick-{number}"},
        )
        assert ticked["status"] == "checked_in", ticked
    walk_in = call(
        "POST",
        f"/meetings/{mid}/walk-ins",
        json={
            "name": "Fasilitator Kabupaten",
            "organization": "Tim Fasilitator Kabupaten SBD",
            "category": "community_leader",
            "site_id": site["id"],
            "nonce": "walk-in-1",
        },
    )
    assert walk_in["status"] == "checked_in"
    assert walk_in["extra"]["walk_in"]
    summary = call("GET", f"/meetings/{mid}/attendance/summary")
    assert summary["present"] == 21, summary
    records = call("GET", f"/meetings/{mid}/attendance?per_page=5")
    assert records["total"] == 21
    assert len(records["items"]) == 5
    daftar_hadir = client.get(f"{API}/meetings/{mid}/attendance/export?format=csv", headers=auth)
    assert daftar_hadir.status_code == 200
    assert "attachment" in daftar_hadir.headers["Content-Disposition"]

    # --- the live room over REST -----------------------------------------------------------
    def command(name: str, **body: Any) -> Any:
        return call("POST", f"/meetings/{mid}/live/commands/{name}", json=body)

    assert command("open", nonce="open-1")["ok"]
    first = {
        "nonce": "decision-1",
        "text": "Hasil sinkronisasi Rencana Penghidupan Masyarakat Desa dengan RKP 2024 disepakati "
        "dan ditandatangani para pihak.",
        "kind": "consensus",
    }
    decision = command("decision.record", **first)
    assert command("decision.record", **first) == decision  # a resend: the first ack, id too
    second = command(
        "decision.record",
        nonce="decision-2",
        text="Usulan RKP 2025 disesuaikan melalui Musrenbangcam dan Musrenbangkab.",
        kind="consensus",
    )
    actions = [
        (
            decision["id"],
            org_ids[1],
            "Mengawal usulan desa dalam Musrenbangcam",
            "Desa Kalena Wano",
        ),
        (second["id"], org_ids[0], "Memasukkan hasil sinkronisasi ke RKPD 2025", None),
    ]
    for number, (decision_id, org_id, title, locus) in enumerate(actions):
        body = {"decision_id": decision_id, "organization_id": org_id, "title": title}
        body |= {"due_on": (start + timedelta(days=60)).date().isoformat()}
        if locus:
            body["locus"] = locus
        assert command("action.create", nonce=f"action-{number}", **body)["ok"]
    unknown = client.post(
        f"{API}/meetings/{mid}/live/commands/decision.shout", json={"nonce": "x"}, headers=auth
    )
    assert unknown.status_code == 422
    assert unknown.get_json()["code"] == "unknown_command"
    recorded = call("GET", f"/meetings/{mid}/live/decisions")
    assert [d["id"] for d in recorded["items"]] == [decision["id"], second["id"]]
    assert call("GET", f"/meetings/{mid}/live/events?after_seq=0")["items"]
    assert command("close", nonce="close-1")["ok"]

    # --- the berita acara: two parties sign with the codes mailed to them ------------------
    parties = [invitations[addresses[0]], invitations[addresses[1]]]
    agreement = call(
        "POST",
        f"/meetings/{mid}/documents",
        201,
        json={"kind": "agreement", "parties": [p["id"] for p in parties]},
    )
    final = call(
        "POST", f"/documents/{agreement['id']}/finalise", json={"version": agreement["version"]}
    )
    assert final["status"] == "final"
    assert len(final["signatories"]) == 2
    # The PDF is composed by the background worker, not in the request: a client polls.
    while call("GET", f"/documents/{agreement['id']}")["render_state"] != "ready":
        run_worker(app, once=True)
    for party in parties:
        link = f"{API}/i/{tokens[party['email']]}/documents/{agreement['id']}"
        ok(client.post(f"{link}/sign-code"), 202)
        signed = ok(
            client.post(
                f"{link}/sign",
                data={"code": signing_code(party["email"])},
                content_type="multipart/form-data",
            )
        )
    assert all(s["signed_at"] for s in signed["signatories"])
    # Every signature in: the signed berita acara went out to the attendees at once.
    assert call("GET", f"/documents/{agreement['id']}")["status"] == "distributed"

    # --- what the agencies owe ------------------------------------------------------------
    owed = call("GET", f"/actions?meeting_id={mid}")
    assert {a["title"] for a in owed["items"]} == {title for _d, _o, title, _l in actions}
    bappeda = call("GET", f"/actions?meeting_id={mid}&organization_id={org_ids[0]}")
    assert [a["title"] for a in bappeda["items"]] == ["Memasukkan hasil sinkronisasi ke RKPD 2025"]
