"""What the live commands do: decisions, notes, actions, the speakers' queue, the agenda and
the room's state (issue 5). Driven over ``/live`` with the in-memory test client (threading
mode), as the chair's console and the phones drive them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from meetcoord.actions.models import Action
from meetcoord.extensions import db
from meetcoord.live.models import Decision, DecisionRevision, ItemNote, LiveRoom, RoomState
from meetcoord.meetings import services as meeting_services
from meetcoord.meetings.invitations import withdraw_invitation
from meetcoord.meetings.models import MeetingStatus
from tests import factories
from tests.helpers import count
from tests.live_support import (
    LiveRakor,
    assert_unchanged,
    command,
    connect,
    events,
    fingerprint,
)


@pytest.fixture
def rakor() -> LiveRakor:
    rakor = LiveRakor()
    rakor.items = [item.id for item in rakor.add_items("Pembukaan", "Ketahanan pangan", "Lain")]
    return rakor


@pytest.fixture
def chair(app: Any, rakor: LiveRakor) -> Any:
    """The chair's console, with the meeting opened and the first item current."""
    client = connect(app, rakor.chair)
    assert command(client, "open")["ok"]
    assert command(client, "item.activate", item_id=rakor.items[0])["ok"]
    events(client)
    return client


def refused(ack: dict[str, Any], code: str, **fields: str) -> dict[str, Any]:
    """Assert a refusal with ``code`` and the named fields; returns the error."""
    assert ack["ok"] is False, ack
    error = ack["error"]
    assert error["code"] == code, ack
    assert error["message"]
    for name, fragment in fields.items():
        assert name in error["fields"], ack
        assert fragment in " ".join(error["fields"][name]), ack
    return error


def last_event(client: Any, type_: str) -> dict[str, Any]:
    return [e for e in events(client) if e["type"] == type_][-1]


# --- decisions --------------------------------------------------------------------------


def test_decisions_are_numbered_in_the_meeting_and_filed_under_the_current_item(chair, rakor):
    acks = [command(chair, "decision.record", text=f"Kesepakatan {n}") for n in (1, 2, 3)]
    assert [a["seq"] for a in acks] == [3, 4, 5]
    rows = db.session.query(Decision).filter_by(meeting_id=rakor.meeting.id).all()
    assert sorted(d.number for d in rows) == [1, 2, 3]
    assert {d.agenda_item_id for d in rows} == {rakor.items[0]}
    assert {d.kind.value for d in rows} == {"consensus"}
    # Another item, named explicitly, while the first is still current.
    ack = command(chair, "decision.record", text="Ditunda", kind="deferred", item_id=rakor.items[2])
    decision = db.session.get(Decision, ack["id"])
    assert (decision.number, decision.agenda_item_id) == (4, rakor.items[2])


def test_a_vote_carries_tallies_per_site_and_totals(chair, rakor):
    ack = command(
        chair,
        "decision.record",
        text="Anggaran cadangan pangan dinaikkan",
        kind="vote",
        tallies=[
            {"site_id": rakor.site.id, "for": 20, "against": 3, "abstain": 1},
            {"site_id": rakor.other_site.id, "for": 9, "against": 4, "abstain": 0},
            {"site_id": None, "for": 5, "against": 0, "abstain": 2},
        ],
    )
    assert ack["ok"], ack
    recorded = last_event(chair, "decision.recorded")["data"]["decision"]
    assert recorded["number"] == 1
    assert {t["site_id"]: (t["for"], t["against"], t["abstain"]) for t in recorded["tallies"]} == {
        rakor.site.id: (20, 3, 1),
        rakor.other_site.id: (9, 4, 0),
        None: (5, 0, 2),
    }
    assert recorded["totals"] == {"for": 34, "against": 7, "abstain": 3}

    # The Ambon coordinator corrects their own site's count; the totals follow.
    coordinator = connect(chair.app, rakor.coordinator)
    fixed = command(
        coordinator,
        "decision.tally",
        decision_id=ack["id"],
        site_id=rakor.other_site.id,
        **{"for": 10, "against": 3, "abstain": 0},
    )
    assert fixed["ok"], fixed
    tallied = last_event(chair, "decision.tallied")["data"]["decision"]
    assert tallied["totals"] == {"for": 35, "against": 6, "abstain": 3}
    assert len(tallied["tallies"]) == 3  # replaced, not added


def test_tallies_belong_only_to_votes_and_are_whole_numbers(chair, rakor):
    consensus = command(chair, "decision.record", text="Mufakat")["id"]
    before = fingerprint(rakor.meeting.id)
    refused(
        command(
            chair, "decision.tally", decision_id=consensus, site_id=rakor.site.id, **{"for": 1}
        ),
        "validation_error",
        kind="",
    )
    vote = command(chair, "decision.record", text="Voting", kind="vote")["id"]
    before = fingerprint(rakor.meeting.id)
    for bad in (-1, "banyak", 2.5, True, 10**9):
        ack = command(
            chair, "decision.tally", decision_id=vote, site_id=rakor.site.id, **{"for": bad}
        )
        refused(ack, "validation_error", **{"for": ""})
    refused(
        command(chair, "decision.tally", decision_id=vote, site_id=999999),
        "validation_error",
        site_id="",
    )
    assert_unchanged(rakor.meeting.id, before)


def test_an_amendment_keeps_the_earlier_wording_and_a_stale_one_is_refused(chair, rakor):
    decision_id = command(chair, "decision.record", text="Rapat lanjutan bulan Mei")["id"]
    ack = command(
        chair,
        "decision.amend",
        decision_id=decision_id,
        text="Rapat lanjutan minggu kedua Mei",
        base_version=1,
    )
    assert ack["ok"], ack
    amended = last_event(chair, "decision.amended")["data"]["decision"]
    assert (amended["version"], amended["text"]) == (2, "Rapat lanjutan minggu kedua Mei")
    assert amended["amended_at"]
    [old] = db.session.query(DecisionRevision).filter_by(decision_id=decision_id).all()
    assert (old.version, old.text, old.kind.value) == (1, "Rapat lanjutan bulan Mei", "consensus")
    assert old.replaced_by == "Ir. Yohanes Bili, M.Si."

    # A second console still holding version 1 cannot overwrite version 2.
    minute_taker = connect(chair.app, rakor.minute_taker)
    before = fingerprint(rakor.meeting.id)
    error = refused(
        command(
            minute_taker, "decision.amend", decision_id=decision_id, text="Juni", base_version=1
        ),
        "conflict",
    )
    assert "2" in error["message"]
    assert_unchanged(rakor.meeting.id, before)
    assert db.session.get(Decision, decision_id).text == "Rapat lanjutan minggu kedua Mei"
    # Without a base version the amendment is a malformed command, not a conflict.
    refused(
        command(minute_taker, "decision.amend", decision_id=decision_id, text="Juni"),
        "validation_error",
        base_version="",
    )
    assert_unchanged(rakor.meeting.id, before)


def test_amending_a_vote_into_a_consensus_drops_its_tallies_but_keeps_the_history(chair, rakor):
    decision_id = command(
        chair,
        "decision.record",
        text="Voting lokasi",
        kind="vote",
        tallies=[{"site_id": rakor.site.id, "for": 3}],
    )["id"]
    command(
        chair,
        "decision.amend",
        decision_id=decision_id,
        text="Mufakat",
        kind="consensus",
        base_version=1,
    )
    amended = last_event(chair, "decision.amended")["data"]["decision"]
    assert amended["tallies"] == []
    assert amended["totals"] == {"for": 0, "against": 0, "abstain": 0}
    [old] = db.session.query(DecisionRevision).filter_by(decision_id=decision_id).all()
    assert old.kind.value == "vote"


# --- notes ------------------------------------------------------------------------------


def test_notes_are_versioned_and_a_stale_edit_is_refused(chair, rakor):
    item = rakor.items[1]
    first = command(chair, "notes.save", item_id=item, text="Paparan Kadis", base_version=0)
    assert first == {"ok": True, "seq": first["seq"], "id": 1}
    saved = last_event(chair, "notes.saved")["data"]["note"]
    assert (saved["version"], saved["text"], saved["item_id"]) == (1, "Paparan Kadis", item)

    minute_taker = connect(chair.app, rakor.minute_taker)
    second = command(
        minute_taker, "notes.save", item_id=item, text="Paparan + tanya jawab", base_version=1
    )
    assert second["id"] == 2

    before = fingerprint(rakor.meeting.id)
    error = refused(
        command(chair, "notes.save", item_id=item, text="Timpa", base_version=1), "conflict"
    )
    assert "Maria Kaka" in error["message"]  # who changed it
    assert_unchanged(rakor.meeting.id, before)
    note = db.session.get(ItemNote, item)
    assert (note.text, note.version) == ("Paparan + tanya jawab", 2)


def test_notes_refuse_an_unknown_item_and_an_overlong_text(chair, rakor):
    other = LiveRakor("Rakor Lain")
    [foreign] = other.add_items("Bukan rapat ini")
    before = fingerprint(rakor.meeting.id)
    refused(
        command(chair, "notes.save", item_id=foreign.id, text="x"), "validation_error", item_id=""
    )
    refused(command(chair, "notes.save", text="x"), "validation_error", item_id="")
    refused(
        command(chair, "notes.save", item_id=rakor.items[0], text="x" * 50_001),
        "validation_error",
        text="50",
    )
    assert_unchanged(rakor.meeting.id, before)


# --- actions ----------------------------------------------------------------------------


def test_an_action_from_a_decision_with_agency_person_locus_and_due_date(chair, rakor):
    decision_id = command(chair, "decision.record", text="Distribusi beras ke desa rawan")["id"]
    org = factories.organization(name="Dinas Sosial SBD")
    person = factories.person(name="Kepala Bidang Bansos", organization_id=org.id)
    ack = command(
        chair,
        "action.create",
        decision_id=decision_id,
        title="Salurkan 5 ton beras",
        organization_id=org.id,
        person_id=person.id,
        locus="Desa Kalena Wanno",
        due_on="2024-04-30",
    )
    assert ack["ok"], ack
    created = last_event(chair, "action.created")["data"]["action"]
    assert created == {
        "id": ack["id"],
        "decision_id": decision_id,
        "title": "Salurkan 5 ton beras",
        "organization_id": org.id,
        "organization": "Dinas Sosial SBD",
        "person_id": person.id,
        "person": "Kepala Bidang Bansos",
        "locus": "Desa Kalena Wanno",
        "due_on": "2024-04-30",
        "status": "open",
        "version": 1,
        "withdrawn": None,
    }
    action = db.session.get(Action, ack["id"])
    assert action.due_on == date(2024, 4, 30)
    assert action.meeting_id == rakor.meeting.id


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"organization_id": None}, "organization_id", "instansi"),
        ({"organization_id": 999999}, "organization_id", "instansi"),
        ({"organization_id": "dinas"}, "organization_id", "instansi"),
        ({"title": "  "}, "title", "wajib"),
        ({"due_on": "30/04/2024"}, "due_on", "TTTT-BB-HH"),
        ({"due_on": "2024-02-30"}, "due_on", "TTTT-BB-HH"),
        ({"person_id": 999999}, "person_id", ""),
        ({"locus": "x" * 201}, "locus", "200"),
        ({"decision_id": 999999}, "decision_id", ""),
    ],
)
def test_an_action_with_bad_input_is_refused_with_the_field_named(
    chair, rakor, data, field, fragment
):
    decision_id = command(chair, "decision.record", text="Disepakati")["id"]
    org = factories.organization()
    good = {"decision_id": decision_id, "title": "Tindak lanjut", "organization_id": org.id}
    before = fingerprint(rakor.meeting.id)
    refused(
        command(chair, "action.create", **{**good, **data}), "validation_error", **{field: fragment}
    )
    assert_unchanged(rakor.meeting.id, before)
    assert count(Action, Action.meeting_id == rakor.meeting.id) == 0


# --- speakers ---------------------------------------------------------------------------


def test_one_open_request_per_person(chair, rakor):
    phone = connect(chair.app, rakor.participant)
    first = command(phone, "speaker.request")
    assert first["ok"], first
    before = fingerprint(rakor.meeting.id)
    refused(command(phone, "speaker.request"), "conflict")
    # Nor can the coordinator or the chair raise a second hand for them.
    refused(command(chair, "speaker.request", invitation_id=rakor.participant.id), "conflict")
    assert_unchanged(rakor.meeting.id, before)
    # Once withdrawn they may ask again.
    assert command(phone, "speaker.withdraw", request_id=first["id"])["ok"]
    assert command(phone, "speaker.request")["ok"]


def test_the_queue_is_labelled_by_site_and_the_floor_carries_a_timer(chair, rakor):
    phone = connect(chair.app, rakor.participant)
    coordinator = connect(chair.app, rakor.coordinator)
    mine = command(phone, "speaker.request")["id"]
    raised = command(coordinator, "speaker.request", invitation_id=rakor.ambon_participant.id)
    requested = [e for e in events(chair) if e["type"] == "speaker.requested"]
    assert [
        (e["data"]["speaker"]["site"], e["data"]["speaker"]["raised_by"]) for e in requested
    ] == [("Aula Bappeda SBD", "Peserta Uji 0"), ("Kantor Gubernur Maluku", "Koordinator Ambon")]
    assert all(e["data"]["speaker"]["timer"] is None for e in requested)

    assert command(chair, "floor.give", request_id=mine, seconds=120)["ok"]
    floor = last_event(chair, "speaker.floor")["data"]["speaker"]
    assert floor["status"] == "speaking"
    assert set(floor["timer"]) == {"started_at", "duration"}
    assert floor["timer"]["duration"] == 120
    assert floor["timer"]["started_at"].endswith("Z")

    # Giving the floor to the next speaker ends the previous turn first, in one command.
    ack = command(chair, "floor.give", request_id=raised["id"])
    got = [e for e in events(chair) if e["seq"] > ack["seq"] - 2]
    assert [e["type"] for e in got] == ["speaker.done", "speaker.floor"]
    assert got[0]["data"]["speaker"]["id"] == mine
    assert got[1]["data"]["speaker"]["timer"]["duration"] == 180  # the default turn
    assert command(chair, "floor.give", request_id=mine)["error"]["code"] == "conflict"


def test_floor_end_and_close_end_the_current_turn(chair, rakor):
    phone = connect(chair.app, rakor.participant)
    request_id = command(phone, "speaker.request")["id"]
    refused(command(chair, "floor.end"), "conflict")  # nobody is speaking
    command(chair, "floor.give", request_id=request_id)
    assert command(chair, "floor.end")["ok"]
    assert last_event(chair, "speaker.done")["data"]["speaker"]["id"] == request_id

    again = command(connect(chair.app, rakor.invitee(1)), "speaker.request")["id"]
    waiting = command(connect(chair.app, rakor.invitee(2)), "speaker.request")["id"]
    command(chair, "floor.give", request_id=again)
    events(chair)
    command(chair, "close")
    closing = events(chair)
    assert [e["type"] for e in closing] == ["speaker.done", "speaker.withdrawn", "meeting.closed"]
    assert closing[1]["data"]["speaker"]["id"] == waiting
    snapshot = fingerprint(rakor.meeting.id)["snapshot"]
    assert [s["status"] for s in snapshot["speakers"]] == []


def test_no_floor_for_someone_whose_invitation_was_withdrawn(chair, rakor):
    request_id = command(connect(chair.app, rakor.participant), "speaker.request")["id"]
    withdraw_invitation(rakor.staff, rakor.participant)
    before = fingerprint(rakor.meeting.id)
    refused(command(chair, "floor.give", request_id=request_id), "conflict")
    assert_unchanged(rakor.meeting.id, before)
    assert command(chair, "speaker.withdraw", request_id=request_id)["ok"]  # off the queue


@pytest.mark.parametrize("seconds", [0, -5, 3601, "lama", 1.5])
def test_a_turn_needs_a_sensible_length(chair, rakor, seconds):
    request_id = command(connect(chair.app, rakor.participant), "speaker.request")["id"]
    before = fingerprint(rakor.meeting.id)
    refused(
        command(chair, "floor.give", request_id=request_id, seconds=seconds),
        "validation_error",
        seconds="3600",
    )
    assert_unchanged(rakor.meeting.id, before)


# --- agenda -----------------------------------------------------------------------------


def test_items_are_added_reordered_activated_and_walked(chair, rakor):
    added = command(chair, "agenda.add", title="Usulan Camat Kodi", planned_minutes=10)
    assert added["ok"], added
    agenda = last_event(chair, "agenda.changed")["data"]["agenda"]
    assert [i["title"] for i in agenda][-1] == "Usulan Camat Kodi"
    assert agenda[-1]["position"] == 4

    order = [added["id"], *rakor.items]
    assert command(chair, "agenda.reorder", item_ids=order)["ok"]
    agenda = last_event(chair, "agenda.changed")["data"]["agenda"]
    assert [i["id"] for i in agenda] == order
    assert [i["position"] for i in agenda] == [1, 2, 3, 4]

    # The current item stays current; "next" follows the new order.
    assert command(chair, "item.next")["ok"]
    activated = last_event(chair, "item.activated")["data"]
    assert activated["item_id"] == rakor.items[1]
    assert activated["timer"]["duration"] == 20 * 60
    assert command(chair, "item.activate", item_id=added["id"])["ok"]
    command(chair, "item.activate", item_id=rakor.items[2])
    refused(command(chair, "item.next"), "conflict")


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("agenda.add", {"title": ""}, "title"),
        ("agenda.add", {"title": "x" * 301}, "title"),
        ("agenda.add", {"title": "Baru", "planned_minutes": 0}, "planned_minutes"),
        ("agenda.add", {"title": "Baru", "planned_minutes": "lama"}, "planned_minutes"),
        ("agenda.add", {"title": "Baru", "planned_minutes": 24 * 60 + 1}, "planned_minutes"),
        ("agenda.reorder", {"item_ids": []}, "item_ids"),
        ("agenda.reorder", {"item_ids": "1,2,3"}, "item_ids"),
        ("item.activate", {"item_id": 999999}, "item_id"),
        ("item.activate", {"item_id": "pertama"}, "item_id"),
        ("item.activate", {}, "item_id"),
        ("decision.record", {"text": ""}, "text"),
        ("decision.record", {"text": "x" * 5001}, "text"),
        ("decision.record", {"text": "Oke", "kind": "aklamasi"}, "kind"),
        ("decision.record", {"text": "Oke", "item_id": 999999}, "item_id"),
        ("decision.record", {"text": "Oke", "kind": "vote", "tallies": ["x"]}, "tallies"),
        ("decision.record", {"text": "Oke", "kind": "vote", "tallies": "x"}, "tallies"),
        ("decision.amend", {"decision_id": "satu", "text": "x", "base_version": 1}, "decision_id"),
        ("speaker.request", {"invitation_id": 999999}, "invitation_id"),
        ("speaker.withdraw", {"request_id": 999999}, "request_id"),
        ("floor.give", {"request_id": None}, "request_id"),
    ],
)
def test_bad_input_gets_a_clear_message_with_field_errors_and_changes_nothing(
    chair, rakor, name, data, field
):
    before = fingerprint(rakor.meeting.id)
    ack = command(chair, name, **data)
    refused(ack, "validation_error", **{field: ""})
    assert_unchanged(rakor.meeting.id, before)


def test_a_command_that_is_not_an_object_or_has_a_bad_nonce_is_refused(chair, rakor):
    before = fingerprint(rakor.meeting.id)
    assert (
        chair.emit("decision.record", "teks", namespace="/live", callback=True)["error"]["code"]
        == "bad_request"
    )
    refused(command(chair, "decision.record", text="Oke", nonce="x" * 65), "validation_error")
    refused(command(chair, "decision.record", text="Oke", nonce=17), "validation_error")
    assert_unchanged(rakor.meeting.id, before)


# --- the room's state -------------------------------------------------------------------


def test_the_room_opens_once_pauses_resumes_and_closes(app, rakor):
    chair = connect(app, rakor.chair)
    before = fingerprint(rakor.meeting.id)
    refused(command(chair, "decision.record", text="Terlalu awal"), "conflict")
    refused(command(chair, "notes.save", item_id=rakor.items[0], text="x"), "conflict")
    refused(command(chair, "pause"), "conflict")
    refused(command(chair, "close"), "conflict")
    assert_unchanged(rakor.meeting.id, before)

    assert command(chair, "open")["ok"]
    opened = last_event(chair, "meeting.opened")["data"]["room"]
    assert opened["state"] == "open"
    assert opened["opened_at"]
    assert db.session.get(LiveRoom, rakor.meeting.id).state is RoomState.OPEN
    assert rakor.meeting.status is MeetingStatus.LIVE
    refused(command(chair, "open"), "conflict")

    assert command(chair, "pause")["ok"]
    refused(command(chair, "pause"), "conflict")
    # Paused: the record can still be written, but no item starts and nobody gets the floor.
    assert command(chair, "decision.record", text="Dicatat saat skors")["ok"]
    refused(command(chair, "item.activate", item_id=rakor.items[0]), "conflict")
    refused(command(chair, "item.next"), "conflict")
    assert command(chair, "resume")["ok"]
    refused(command(chair, "resume"), "conflict")

    assert command(chair, "close")["ok"]
    assert rakor.meeting.status is MeetingStatus.CLOSED
    before = fingerprint(rakor.meeting.id)
    for name, data in [
        ("open", {}),
        ("resume", {}),
        ("close", {}),
        ("decision.record", {"text": "Terlambat"}),
        ("notes.save", {"item_id": rakor.items[0], "text": "x"}),
        ("agenda.add", {"title": "Terlambat"}),
        ("speaker.request", {}),
    ]:
        refused(command(chair, name, **data), "conflict")
    assert_unchanged(rakor.meeting.id, before)


def test_a_draft_meeting_cannot_be_opened(app, rakor):
    chair = connect(app, rakor.chair)
    rakor.meeting.status = MeetingStatus.DRAFT
    db.session.commit()
    before = fingerprint(rakor.meeting.id)
    error = refused(command(chair, "open"), "conflict")
    assert "draf" in error["message"]
    assert_unchanged(rakor.meeting.id, before)


def test_a_meeting_cancelled_under_open_connections_takes_no_more_commands(app, rakor):
    chair = connect(app, rakor.chair)
    meeting_services.cancel_meeting(rakor.staff, rakor.meeting)
    before = fingerprint(rakor.meeting.id)
    refused(command(chair, "open"), "conflict")
    assert_unchanged(rakor.meeting.id, before)
    # Nor can a new client join it.
    assert not connect(app, rakor.participant).is_connected("/live")


def test_a_meeting_cancelled_while_live_takes_no_more_commands(chair, rakor):
    coordinator = connect(chair.app, rakor.coordinator)
    meeting_services.cancel_meeting(rakor.staff, rakor.meeting)
    before = fingerprint(rakor.meeting.id)
    refused(command(chair, "decision.record", text="Setelah batal"), "conflict")
    refused(command(chair, "close"), "conflict")
    refused(command(coordinator, "speaker.request"), "conflict")
    assert_unchanged(rakor.meeting.id, before)
