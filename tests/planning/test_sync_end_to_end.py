"""A synchronisation meeting from end to end (issue 14, "What it must show", first point).

Bappeda staff import 300 proposals from an e-Musrenbang XLSX through the API and put them
on the matrix of a two-site meeting; the minute-taker marks rows of every outcome live
while Dinas PUPR's representative, in Ambon, sees each mark on a phone, confirms one row
and disputes another; the totals per agency and per village are what the plan says; the
accommodated and carried rows become follow-up actions; the minutes (final) and the berita
acara (signed by the parties) print the matrix, its totals and the carried actions; after
signing, a mark over the socket or over REST is refused with the lock message and the
matrix stays as it was signed. Every step goes through the real pages' services, API and
socket commands; only the party's signing code is read from the outbox, as a signatory
reads it from their mailbox.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meetcoord.actions.models import Action
from meetcoord.documents import agreements, workflow
from meetcoord.documents.models import Document, DocumentStatus
from meetcoord.documents.pdf.matrix import percent
from meetcoord.extensions import db
from meetcoord.meetings import agenda
from meetcoord.planning.locks import LOCKED_REFUSAL
from meetcoord.planning.models import Proposal, ProposalStatus, SyncMark
from meetcoord.planning.totals import merge
from tests import factories
from tests.actions.support import bearer
from tests.documents_support import EARLY_CLOSE, attend, ensure_ca, rendered, sign_with_code
from tests.live_support import LiveRakor, assert_unchanged, command, connect, events, fingerprint
from tests.planning import support
from tests.planning import sync_e2e_support as plan
from tests.planning.outcome_support import pdf_text, rupiah

DUE = date(2027, 3, 31)


class SyncMeeting(LiveRakor):
    """Rakor Sinkronisasi: Tambolaka (host, chair and minute-taker) and Ambon (Dinas
    PUPR's representative); the five villages of the export exist in the directory."""

    def __init__(self) -> None:
        super().__init__()
        self.item = agenda.add_agenda_item(
            self.staff,
            self.meeting,
            {"title": "Sinkronisasi usulan desa", "planned_minutes": 90, "kind": "sync_matrix"},
        )
        self.agencies = {
            "pupr": factories.organization(name="Dinas PUPR SBD"),
            "health": factories.organization(name="Dinas Kesehatan SBD"),
        }
        self.representative = self.ambon_participant
        self.representative.person.organization_id = self.agencies["pupr"].id
        self.chair.person.organization_id = factories.organization(name="Setda SBD").id
        self.villages = {name: support.village(name) for name in plan.VILLAGES}
        db.session.commit()
        self.head = bearer(self.staff)

    @property
    def agency_ids(self) -> dict[str, int]:
        return {key: org.id for key, org in self.agencies.items()}


def marked(client: Any, kind: str = "proposal.marked") -> list[dict[str, Any]]:
    return [e for e in events(client) if e["type"] == kind]


def mark_body(scene: SyncMeeting, step: plan.Planned, rows: list[dict[str, Any]]) -> dict:
    row = rows[step.position]
    body: dict[str, Any] = {"mark_id": row["id"], "version": row["version"]}
    body["outcome"] = step.outcome
    if step.agency is not None:
        body["organization_id"] = scene.agency_ids[step.agency]
    if step.outcome == "accommodated":
        body |= {
            "programme": "Program Penyelenggaraan Jalan",
            "activity": "Rehabilitasi jalan desa",
            "plan_document": "RKPD 2025",
            "plan_year": 2025,
            "amount": plan.amount(step, row),
        }
    if step.carried_to:
        body["carried_to"] = step.carried_to
    if step.merged_with is not None:
        body["merged_with_id"] = rows[step.merged_with]["proposal_id"]
    if step.reason:
        body["reason"] = step.reason
    return body


def import_and_fill(scene: SyncMeeting, client: FlaskClient) -> None:
    """Steps 1 and 2: the XLSX through the import API, every proposal onto the matrix."""
    response = client.post(
        "/api/v1/proposals/import",
        data={"file": (io.BytesIO(plan.xlsx()), "usulan-musrenbang.xlsx")},
        headers=scene.head,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == plan.COUNT
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == plan.COUNT
    added = client.post(
        f"/api/v1/meetings/{scene.meeting.id}/matrix",
        json={},
        headers=scene.head | {"Idempotency-Key": "fill-matrix-1"},
    )
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["added"] == plan.COUNT


def check_totals(totals: dict[str, Any], rows: list[dict[str, Any]], scene: SyncMeeting) -> None:
    numbers = {plan.title(n): n for n in range(1, plan.COUNT + 1)}
    want = plan.expected_totals(rows, scene.agency_ids, numbers)
    keys = ("count", "budget", "accommodated", "amount", "disputed")
    got_agencies = {a["organization_id"]: [a[k] for k in keys] for a in totals["agencies"]}
    assert got_agencies == want["agencies"]
    got_villages = {v["name"]: [v[k] for k in keys] for v in totals["villages"]}
    assert got_villages == want["villages"]
    assert totals["count"] == plan.COUNT
    assert totals["budget"] == sum(plan.budget(n) for n in range(1, plan.COUNT + 1))
    assert totals["accommodated"] == 4
    assert totals["disputed"] == 1
    assert totals["statuses"] == {
        "discussed": plan.COUNT - len(plan.PLAN),
        "accommodated": 4,
        "carried": 3,
        "merged": 2,
        "not_accommodated": 2,
    }


def run_the_item(scene: SyncMeeting, app: Flask) -> tuple[list[dict[str, Any]], Any]:
    """Step 3: the item live; returns the rows as the room holds them after the marks,
    and the minute-taker's client (still connected)."""
    chair = connect(app, scene.chair)
    assert command(chair, "open")["ok"]
    assert command(chair, "item.activate", item_id=scene.item.id)["ok"]
    scribe = connect(app, scene.minute_taker)
    phone = connect(app, scene.representative)
    [snapshot] = events(phone, "snapshot")
    events(chair), events(scribe)
    assert scene.representative.site_id != scene.minute_taker.site_id
    rows = snapshot["matrix"]["rows"]
    totals = snapshot["matrix"]["totals"]  # folded with each event, as the phones do
    assert len(rows) == plan.COUNT
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)

    for step in plan.PLAN:
        ack = command(scribe, "proposal.mark", **mark_body(scene, step, rows))
        assert ack["ok"], (step, ack)
        [event] = marked(phone)  # the other site sees every mark, in order
        assert event["seq"] == ack["seq"]
        row = event["data"]["mark"]
        assert (row["id"], row["outcome"]) == (rows[step.position]["id"], step.outcome)
        assert row["marked_by"]
        rows[step.position] = row
        totals = merge(totals, event["data"]["totals_changed"])
    assert rows[7]["merged_with"] == rows[0]["title"]

    # Dinas PUPR's representative answers its rows from the phone.
    confirmed, disputed = rows[plan.CONFIRMED], rows[plan.DISPUTED]
    ack = command(phone, "proposal.confirm", mark_id=confirmed["id"], answer="confirmed")
    assert ack["ok"], ack
    ack = command(
        phone, "proposal.confirm", mark_id=disputed["id"], answer="disputed", note=plan.DISPUTE_NOTE
    )
    assert ack["ok"], ack
    answers = marked(scribe, "proposal.confirmed")
    assert [e["data"]["mark"]["confirmation"] for e in answers] == ["confirmed", "disputed"]
    assert answers[1]["data"]["mark"]["confirmation_note"] == plan.DISPUTE_NOTE
    assert answers[1]["data"]["mark"]["confirmed_by"] == "Peserta Ambon"
    for event in answers:
        rows[[r["id"] for r in rows].index(event["data"]["mark"]["id"])] = event["data"]["mark"]
        totals = merge(totals, event["data"]["totals_changed"])
    check_totals(totals, rows, scene)

    # A client joining now (the projector in Ambon) gets the same matrix and totals.
    [late] = events(connect(app, scene.coordinator), "snapshot")
    assert late["matrix"]["rows"] == rows
    check_totals(late["matrix"]["totals"], rows, scene)
    assert late["matrix"]["totals"] == totals
    assert command(chair, "close")["ok"]
    return rows, scribe


def make_actions(scene: SyncMeeting, client: FlaskClient, rows: list[dict[str, Any]]) -> None:
    """Step 4: accommodated and carried rows become actions. A carried row without an
    agency refuses the whole request until one is chosen; the chosen agency (Dinas
    Kesehatan) then goes to that row only, and every other row keeps the agency its mark
    names."""
    url = f"/api/v1/meetings/{scene.meeting.id}/matrix/actions"
    refused = client.post(url, json={"due_on": DUE.isoformat()}, headers=scene.head)
    assert refused.status_code == 422, refused.get_json()
    assert "organization_id" in refused.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0
    every = {"due_on": DUE.isoformat(), "organization_id": scene.agency_ids["health"]}
    response = client.post(url, json=every, headers=scene.head)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["count"] == 7
    for step in plan.PLAN[:7]:
        row = rows[step.position]
        mark = db.session.get(SyncMark, row["id"])
        action = db.session.get(Action, mark.action_id)
        assert action.meeting_id == scene.meeting.id
        assert action.due_on == DUE
        assert row["title"] in action.title
        assert action.organization_id == scene.agency_ids[step.agency or "health"]
    meeting_actions = select(func.count()).where(Action.meeting_id == scene.meeting.id)
    assert db.session.scalar(meeting_actions) == 7
    again = client.post(url, json={"due_on": DUE.isoformat()}, headers=scene.head)
    assert again.get_json()["count"] == 0  # a row becomes an action once


def carried_titles(scene: SyncMeeting, rows: list[dict[str, Any]]) -> list[str]:
    titles = []
    for step in plan.PLAN[4:7]:
        mark = db.session.get(SyncMark, rows[step.position]["id"])
        titles.append(db.session.get(Action, mark.action_id).title)
    assert all(t.startswith("Kawal usulan") and t.endswith("ke Musrenbangkab") for t in titles)
    return titles


def check_minutes(scene: SyncMeeting, rows: list[dict[str, Any]]) -> Document:
    """Step 5a: the minutes, circulated and finalised, print the matrix and the actions."""
    draft = workflow.start_minutes(scene.staff_actor, scene.meeting)
    workflow.circulate(scene.staff_actor, draft, datetime.now(UTC) + timedelta(days=3))
    workflow.finalise(scene.staff_actor, draft, early_close=EARLY_CLOSE)
    minutes = rendered(draft)
    assert minutes.status is DocumentStatus.FINAL
    assert len(minutes.content["matrix"]) == plan.COUNT
    text = pdf_text(minutes.current_file.pdf)
    assert "Hasil sinkronisasi usulan" in text
    assert (
        "300 usulan dibahas: 4 diakomodasi, 3 dibawa ke forum berikutnya, 2 digabung, "
        "2 tidak diakomodasi, 289 belum diputuskan." in text
    )
    assert "1 baris disanggah instansi dan belum disepakati." in text
    assert "Lampiran: Matriks sinkronisasi usulan" in text
    check_matrix_text(text, scene, rows)
    for title in carried_titles(scene, rows):
        assert title in text
    return minutes


def check_matrix_text(text: str, scene: SyncMeeting, rows: list[dict[str, Any]]) -> None:
    """The totals tables (per agency, per village, all) and the marked rows' details."""
    pupr = [rows[p.position] for p in plan.PLAN if p.agency == "pupr"]
    pupr_budget = sum(r["budget"] for r in pupr)
    pupr_amount = sum(r["amount"] or 0 for r in pupr if r["outcome"] == "accommodated")
    assert f"Dinas PUPR SBD 4 3 {rupiah(pupr_budget)} {rupiah(pupr_amount)}" in text
    assert percent(pupr_amount, pupr_budget) in text
    everything = sum(plan.budget(n) for n in range(1, plan.COUNT + 1))
    amount = sum(r["amount"] or 0 for r in rows if r["outcome"] == "accommodated")
    assert f"Jumlah {plan.COUNT} 4 {rupiah(everything)} {rupiah(amount)}" in text
    numbers = {plan.title(n): n for n in range(1, plan.COUNT + 1)}
    villages = plan.expected_totals(rows, scene.agency_ids, numbers)["villages"]
    for name, (count, budget, accommodated, amount_, _disputed) in villages.items():
        assert f"{name} {count} {accommodated} {rupiah(budget)} {rupiah(amount_)}" in text
    for step in plan.PLAN:
        assert rows[step.position]["title"] in text
    assert "RKPD 2025" in text
    assert "ke Musrenbangkab (Dinas Kesehatan SBD)" in text
    assert "alasan: Bukan kewenangan kabupaten" in text
    assert f"dengan: {rows[0]['title']}" in text
    assert text.count("DISANGGAH") == 2  # the section's line and the appendix's row


def sign_the_agreement(scene: SyncMeeting, rows: list[dict[str, Any]]) -> Document:
    """Step 5b: the berita acara, finalised and signed by both parties."""
    attend(scene.representative, scene.chair)
    db.session.commit()
    parties = [scene.representative.id, scene.chair.id]
    # No decision was recorded: the matrix is the outcome, and the default point says so.
    assert agreements.default_points(scene.meeting) == [agreements.MATRIX_POINT]
    document = agreements.create_agreement(scene.staff_actor, scene.meeting, parties)
    agreements.finalise_agreement(scene.staff_actor, document)
    rendered(document)
    sign_with_code(scene.representative, document.id)
    signed = sign_with_code(scene.chair, document.id)
    assert signed.status in (DocumentStatus.SIGNED, DocumentStatus.DISTRIBUTED)
    assert all(s.signed_at for s in signed.signatories)
    text = pdf_text(signed.current_file.pdf)
    assert "BERITA ACARA KESEPAKATAN" in text
    assert "Hasil sinkronisasi usulan" in text
    assert "Lampiran: Matriks sinkronisasi usulan" in text
    check_matrix_text(text, scene, rows)
    return signed


def check_locked(
    scene: SyncMeeting, app: Flask, client: FlaskClient, scribe: Any, rows: list[dict[str, Any]]
) -> None:
    """Step 6: after signing, a mark over the socket and over REST, and the agency's
    answer from the phone, are refused with the lock's message; nothing changes."""
    target = rows[plan.PLAN[-1].position]
    change = {
        "mark_id": target["id"],
        "version": target["version"],
        "outcome": "accommodated",
        "organization_id": scene.agency_ids["pupr"],
        "programme": "Program Penyelenggaraan Jalan",
        "plan_year": 2025,
        "amount": 1_000_000,
    }
    before = fingerprint(scene.meeting.id)
    assert before["snapshot"]["matrix"]["locked"] is True
    marks_before = [(m.id, m.outcome, m.version, m.amount) for m in scene_marks(scene)]
    ack = command(scribe, "proposal.mark", **change)
    assert ack["error"]["code"] == "conflict", ack
    assert ack["error"]["message"] == str(LOCKED_REFUSAL)
    del change["mark_id"]
    response = client.post(
        f"/api/v1/meetings/{scene.meeting.id}/matrix/{target['id']}/mark",
        json=change,
        headers=scene.head | {"Idempotency-Key": "after-signing-1"},
    )
    assert response.status_code == 409, response.get_json()
    problem = response.get_json()
    assert (problem["code"], problem["detail"]) == ("conflict", str(LOCKED_REFUSAL)), problem
    phone = connect(app, scene.representative)
    ack = command(phone, "proposal.confirm", mark_id=rows[plan.DISPUTED]["id"], answer="confirmed")
    assert ack["error"]["message"] == str(LOCKED_REFUSAL), ack
    assert_unchanged(scene.meeting.id, before)
    assert [(m.id, m.outcome, m.version, m.amount) for m in scene_marks(scene)] == marks_before
    assert db.session.get(Proposal, target["proposal_id"]).status is (
        ProposalStatus.NOT_ACCOMMODATED
    )


def scene_marks(scene: SyncMeeting) -> list[SyncMark]:
    db.session.expire_all()
    stmt = select(SyncMark).where(SyncMark.meeting_id == scene.meeting.id).order_by(SyncMark.id)
    return list(db.session.scalars(stmt))


def test_a_synchronisation_from_the_xlsx_to_the_signed_berita_acara(
    app: Flask, client: FlaskClient
) -> None:
    ensure_ca(app)
    scene = SyncMeeting()
    import_and_fill(scene, client)
    rows, scribe = run_the_item(scene, app)
    make_actions(scene, client, rows)
    check_minutes(scene, rows)
    sign_the_agreement(scene, rows)
    check_locked(scene, app, client, scribe, rows)
