"""Bad input in the live room (issue 11, point 5b): one schema per command, at the door.

Found by a property-based run with the official client: an integer ≥ 2^63 left a ``/live``
connect unanswered, ``tallies: 5`` answered ``internal_error``, a text field sent as an
object or a boolean was stored as its Python repr, and a command without a nonce was
executed. Here every command is fed wrong types, huge and negative numbers, overlong
strings, a broken string and no nonce, field by field: each answer is a
``validation_error`` that names the field, and nothing at all is stored.
"""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.extensions import db, socketio
from meetcoord.live.events import COMMANDS
from meetcoord.live.models import Decision, MeetingEvent
from tests.helpers import chosen, count
from tests.live_support import (
    NAMESPACE,
    LiveRakor,
    account_client,
    assert_unchanged,
    command,
    connect,
    fingerprint,
)

# Values of the wrong type, out of any column's range, too long, or not valid Unicode.
BAD_VALUES: list[Any] = [
    {"a": 1},
    True,
    1.5,
    2**63,
    -(2**63),
    -1,
    "x" * 100_001,
    "\ud800",
]

# A payload each schema accepts (the ids need not exist: the schema never looks).
VALID: dict[str, dict[str, Any]] = {
    "open": {},
    "pause": {},
    "resume": {},
    "close": {},
    "item.activate": {"item_id": 1},
    "item.next": {},
    "agenda.add": {"title": "Usulan", "planned_minutes": 10},
    "agenda.reorder": {"item_ids": [1, 2]},
    "decision.record": {
        "text": "Disepakati",
        "kind": "vote",
        "item_id": 1,
        "tallies": [{"site_id": 1, "for": 1, "against": 0, "abstain": 0}],
    },
    "decision.amend": {"decision_id": 1, "base_version": 1, "text": "Diubah", "kind": "noted"},
    "decision.tally": {"decision_id": 1, "site_id": 1, "for": 3, "against": 1, "abstain": 0},
    "decision.withdraw": {"decision_id": 1, "reason": "Salah catat"},
    "notes.save": {"item_id": 1, "text": "Catatan", "base_version": 0},
    "action.create": {
        "decision_id": 1,
        "title": "Susun data",
        "organization_id": 1,
        "person_id": 1,
        "locus": "Desa Weepangali",
        "due_on": "2026-12-15",
    },
    "action.withdraw": {"action_id": 1, "reason": "Ganda"},
    "action.review": {"action_id": 1, "status": "done", "note": "Rampung", "reason": "-"},
    "speaker.request": {"invitation_id": 1},
    "speaker.withdraw": {"request_id": 1},
    "floor.give": {"request_id": 1, "seconds": 120},
    "floor.end": {},
    "proposal.mark": {
        "mark_id": 1,
        "version": 1,
        "outcome": "accommodated",
        "organization_id": 1,
        "programme": "Program Penyelenggaraan Jalan",
        "activity": "Rehabilitasi jalan",
        "plan_document": "RKPD 2025",
        "plan_year": 2025,
        "amount": 400_000_000,
        "carried_to": "musrenbangkab",
        "merged_with_id": 2,
        "reason": "Belum prioritas",
    },
    "proposal.confirm": {"mark_id": 1, "version": 2, "answer": "disputed", "note": "Pagu kurang"},
    "question.ask": {"text": "Bagaimana biayanya?", "anonymous": True, "agenda_item_id": 1},
    "question.vote": {"question_id": 1, "up": False},
    "question.moderate": {"question_id": 1, "action": "merge", "into_id": 2},
    "question.pick": {"question_id": 1},
    "question.answer": {"question_id": 1, "note": "Dari dana desa."},
}
# Yes/no fields (questions, issue 15): True is the one value above they rightly take.
FLAGS = {("question.ask", "anonymous"), ("question.vote", "up")}
VALID["action.update"] = {"action_id": 1, "base_version": 1, **VALID["action.create"]}


def keys(name: str) -> list[str]:
    return ["nonce", *VALID[name]]


def test_every_command_has_one_schema_and_a_payload_it_accepts(app) -> None:
    from meetcoord.live import schemas

    assert set(schemas.SCHEMAS) == set(COMMANDS) == set(VALID)
    with app.test_request_context():
        for name, data in VALID.items():
            loaded = schemas.load(name, {**data, "nonce": "n-1"})
            assert loaded["nonce"] == "n-1"
            # Each field of the schema is in the valid payload, so each is fed bad values.
            schema = schemas.SCHEMAS[name]
            fields = {f.data_key or attr for attr, f in schema.load_fields.items()}
            assert fields == set(keys(name)), name


@pytest.fixture
def rakor(app: Any, monkeypatch: pytest.MonkeyPatch) -> LiveRakor:
    # Hundreds of refusals in a second: this test is about their shape, not their rate.
    monkeypatch.setitem(app.config, "LIVE_CHAIR_RATE_LIMIT", "100000 per second")
    rakor = LiveRakor()
    rakor.items = [item.id for item in rakor.add_items("Pembukaan", "Ketahanan pangan")]
    return rakor


def refused(ack: dict[str, Any], name: str, field: str, value: Any) -> None:
    assert ack["ok"] is False, (name, field, value, ack)
    error = ack["error"]
    assert error["code"] == "validation_error", (name, field, value, ack)
    assert error["message"], ack
    named = [key for key in error["fields"] if key == field or key.startswith(field + ".")]
    assert named, (name, field, value, ack)


@pytest.mark.parametrize("name", list(VALID))
def test_every_field_of_every_command_refuses_bad_values_and_stores_nothing(
    app: Any, rakor: LiveRakor, name: str
) -> None:
    staff = account_client(app, rakor.meeting.id)  # may send every command
    assert command(staff, "open")["ok"]
    assert command(staff, "item.activate", item_id=rakor.items[0])["ok"]
    before = fingerprint(rakor.meeting.id)
    base = VALID[name]

    for field in keys(name):
        for value in BAD_VALUES:
            if value is True and (name, field) in FLAGS:
                continue
            data = {**base, "nonce": "n-bad", field: value}
            ack = staff.emit(name, data, namespace=NAMESPACE, callback=True)
            refused(ack, name, field, value)
    # Without a nonce (DESIGN §5) a command is not executed, however good the rest.
    ack = staff.emit(name, dict(base), namespace=NAMESPACE, callback=True)
    refused(ack, name, "nonce", None)
    # A field the command does not know is refused, not ignored.
    refused(command(staff, name, **base, colour="merah"), name, "colour", "merah")
    # Not an object at all.
    for body in ("teks", [1, 2], 5, None):
        ack = staff.emit(name, body, namespace=NAMESPACE, callback=True)
        assert ack["ok"] is False, (name, body, ack)
        assert ack["error"]["code"] == "bad_request", ack
    assert_unchanged(rakor.meeting.id, before)


@pytest.mark.parametrize("key", ["site_id", "for", "against", "abstain"])
def test_each_tally_row_is_checked_field_by_field(app: Any, rakor: LiveRakor, key: str) -> None:
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    before = fingerprint(rakor.meeting.id)
    for value in BAD_VALUES:
        row = {**VALID["decision.record"]["tallies"][0], key: value}
        ack = command(chair, "decision.record", text="Voting", kind="vote", tallies=[row])
        refused(ack, "decision.record", f"tallies.0.{key}", value)
    assert_unchanged(rakor.meeting.id, before)


def test_the_values_the_property_run_found_are_refused_not_stored(app, rakor) -> None:
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    before = fingerprint(rakor.meeting.id)
    tallies = command(chair, "decision.record", text="Voting", kind="vote", tallies=5)
    assert tallies["error"]["code"] == "validation_error", tallies  # was internal_error
    assert tallies["error"]["fields"] == {"tallies": ["Format suara tidak sah."]}
    for text in ({"a": 1}, True, ["Disepakati"], 12):
        ack = command(chair, "decision.record", text=text)
        assert ack["error"]["fields"] == {"text": ["Harus berupa teks."]}, ack
    no_nonce = chair.emit(
        "decision.record", {"text": "Tanpa nonce"}, namespace=NAMESPACE, callback=True
    )
    assert no_nonce["error"]["fields"]["nonce"] == [
        "Setiap perintah membawa nonce (1–64 karakter)."
    ]
    assert_unchanged(rakor.meeting.id, before)
    assert count(Decision, Decision.meeting_id == rakor.meeting.id) == 0


def test_texts_lose_control_characters_and_keep_their_line_breaks(app, rakor) -> None:
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    ack = command(chair, "decision.record", text="  Baris satu\r\nbaris\x00 dua\x1b  ")
    assert ack["ok"], ack
    assert db.session.get(Decision, ack["id"]).text == "Baris satu\nbaris dua"
    added = command(chair, "agenda.add", title="Usulan\nCamat\tKodi\x07")
    assert added["ok"], added
    assert rakor.meeting.agenda[-1].title == "Usulan Camat Kodi"


def test_refusals_speak_the_readers_language(app, rakor) -> None:
    from meetcoord.meetings import links

    english = socketio.test_client(
        app,
        namespace=NAMESPACE,
        auth={"meeting": rakor.meeting.id, "token": links.personal_token(rakor.chair)},
        headers=chosen("en"),
    )
    assert command(english, "open")["ok"]
    ack = english.emit("decision.record", {"text": "x"}, namespace=NAMESPACE, callback=True)
    assert ack["error"]["message"] == "Every command carries a nonce (1–64 characters)."
    ack = command(english, "decision.record", text="Voting", kind="vote", tallies=5)
    assert ack["error"]["fields"] == {"tallies": ["Invalid vote format."]}


@pytest.mark.parametrize(
    "auth",
    [
        {"meeting": 2**63},
        {"meeting": -(2**63)},
        {"meeting": "9" * 40},
        {"meeting": True},
        {"meeting": {"id": 1}},
        {"site": 2**63},
        {"token": ["x"]},
    ],
)
def test_a_malformed_connect_is_refused_with_an_answer(app, rakor, auth) -> None:
    """The connect used to raise inside the handler (OverflowError from the database
    driver): a real server then never answered the handshake."""
    from meetcoord.meetings import links

    full = {"meeting": rakor.meeting.id, "token": links.personal_token(rakor.chair), **auth}
    client = socketio.test_client(app, namespace=NAMESPACE, auth=full)
    assert not client.is_connected(NAMESPACE)


def test_a_last_seq_out_of_range_gets_a_snapshot(app, rakor) -> None:
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    for last_seq in (2**63, -1, "banyak", 1.5):
        phone = connect(app, rakor.participant, last_seq=last_seq)
        assert phone.is_connected(NAMESPACE)
        [snap] = [m["args"][0] for m in phone.get_received(NAMESPACE) if m["name"] == "snapshot"]
        assert snap["seq"] == 1
    assert count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id) == 1


def test_an_agenda_item_has_one_length_limit_in_the_room_and_in_the_forms(app, rakor) -> None:
    """A 12-hour workshop item the secretariat may plan can also be added live (the room
    said 600 minutes, the forms 1440); one minute more is refused by both."""
    from meetcoord.core.errors import ValidationError
    from meetcoord.meetings import agenda
    from meetcoord.meetings.models import AGENDA_MINUTES_MAX

    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    added = command(chair, "agenda.add", title="Lokakarya", planned_minutes=720)
    assert added["ok"], added
    assert rakor.meeting.agenda[-1].planned_minutes == 720
    too_long = command(chair, "agenda.add", title="Terlalu", planned_minutes=AGENDA_MINUTES_MAX + 1)
    refused(too_long, "agenda.add", "planned_minutes", AGENDA_MINUTES_MAX + 1)
    item = {"title": "Terlalu", "planned_minutes": AGENDA_MINUTES_MAX + 1, "kind": "discussion"}
    with pytest.raises(ValidationError) as refusal:
        agenda.add_agenda_item(rakor.staff, rakor.meeting, item)
    assert "planned_minutes" in refusal.value.errors
    assert [i.title for i in rakor.meeting.agenda].count("Terlalu") == 0
