"""The live room over REST (issue 17): reads of the room and its record, the socket's
commands with the same nonce semantics, and the acks a replay or an unknown name gets."""

from __future__ import annotations

from typing import Any

import pytest

from meetcoord.accounts.models import Role
from meetcoord.accounts.services import create_token
from meetcoord.actions.models import Action
from meetcoord.extensions import db
from meetcoord.live.models import Decision, MeetingEvent
from tests import factories
from tests.helpers import count
from tests.live_support import LiveRakor, command, connect, events

API = "/api/v1/meetings"


@pytest.fixture
def rakor() -> LiveRakor:
    return LiveRakor()


def _headers(user: Any) -> dict[str, str]:
    _token, secret = create_token(None, user, "live-api")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def staff(rakor: LiveRakor) -> dict[str, str]:
    """The secretariat that arranged the meeting, through an API token."""
    return _headers(rakor.staff)


def post(client: Any, rakor: LiveRakor, name: str, headers: Any, **body: Any) -> Any:
    return client.post(f"{API}/{rakor.meeting.id}/live/commands/{name}", json=body, headers=headers)


def test_a_decision_recorded_over_rest_reaches_the_socket_and_a_replay_answers_the_same(
    app, client, rakor, staff
):
    phone = connect(app, rakor.participant, last_seq=0)
    events(phone)
    opened = post(client, rakor, "open", staff, nonce="rest-open")
    assert opened.status_code == 200, opened.get_json()
    assert opened.get_json() == {"ok": True, "seq": 1}

    body = {"nonce": "rest-d1", "text": "Data stunting dipadankan per desa", "kind": "consensus"}
    first = post(client, rakor, "decision.record", staff, **body)
    assert first.status_code == 200, first.get_json()
    ack = first.get_json()
    assert ack["ok"] is True
    assert ack["seq"] == 2
    decision = db.session.get(Decision, ack["id"])
    assert decision.text == body["text"]

    again = post(client, rakor, "decision.record", staff, **body)
    assert again.status_code == 200
    assert again.get_json() == ack  # the same body, id included
    assert count(Decision, Decision.meeting_id == rakor.meeting.id) == 1
    assert count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id) == 2

    # The room's sockets got both events, once each, in order.
    got = events(phone)
    assert [(e["seq"], e["type"]) for e in got] == [(1, "meeting.opened"), (2, "decision.recorded")]
    assert got[1]["data"]["decision"]["id"] == ack["id"]

    # The same nonce through the Idempotency-Key header answers the same too.
    keyed = client.post(
        f"{API}/{rakor.meeting.id}/live/commands/decision.record",
        json={"text": body["text"]},
        headers={**staff, "Idempotency-Key": "rest-d1"},
    )
    assert keyed.get_json() == ack


def test_a_replayed_nonce_on_the_socket_carries_the_first_id(app, rakor):
    chair = connect(app, rakor.chair)
    command(chair, "open")
    first = command(chair, "decision.record", nonce="s-1", text="Satu kali saja")
    again = command(chair, "decision.record", nonce="s-1", text="Satu kali saja")
    assert again == first
    assert "id" in first
    fields = {
        "decision_id": first["id"],
        "title": "Menyusun daftar desa lokus",
        "organization_id": rakor.participant.person.organization_id,
    }
    action = command(chair, "action.create", nonce="s-2", **fields)
    assert action["ok"], action
    assert command(chair, "action.create", nonce="s-2", **fields) == action
    assert count(Action, Action.meeting_id == rakor.meeting.id) == 1


def test_an_unknown_command_is_an_error_on_the_socket_and_over_rest(app, client, rakor, staff):
    chair = connect(app, rakor.chair)
    ack = command(chair, "decision.recrod", text="Salah ketik")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "unknown_command"
    assert "decision.recrod" in ack["error"]["message"]
    assert "decision.record" in ack["error"]["message"]  # what it could have been

    answer = post(client, rakor, "decision.recrod", staff, nonce="x-1", text="Salah ketik")
    assert answer.status_code == 422
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.get_json()["code"] == "unknown_command"
    english = post(client, rakor, "nope", {**staff, "Accept-Language": "en"}, nonce="x-2")
    assert english.get_json()["detail"].startswith("Unknown command: nope.")
    assert count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id) == 0


def test_permissions_are_the_sockets(client, rakor, staff):
    viewer = _headers(factories.user(Role.VIEWER))
    # A viewer of the institution follows the room but records nothing: 403, nothing stored.
    assert client.get(f"{API}/{rakor.meeting.id}/live", headers=viewer).status_code == 200
    refused = post(client, rakor, "decision.record", viewer, nonce="v-1", text="Tidak boleh")
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "forbidden"
    # …before its data is looked at: a malformed body is refused the same way.
    assert post(client, rakor, "decision.record", viewer, bogus=1).status_code == 403
    # Another institution's staff: the meeting does not exist for them.
    stranger = _headers(factories.user("secretariat", institution=factories.institution()))
    assert post(client, rakor, "open", stranger, nonce="o-1").status_code == 404
    assert client.get(f"{API}/{rakor.meeting.id}/live/decisions", headers=stranger).status_code == (
        404
    )
    # No credential: 401.
    assert client.get(f"{API}/{rakor.meeting.id}/live").status_code == 401
    # A refused command stores nothing, so its retry is judged again.
    assert post(
        client, rakor, "decision.record", staff, nonce="r-1", text="Belum buka"
    ).status_code == (409)
    assert post(client, rakor, "open", staff, nonce="r-0").status_code == 200
    assert (
        post(client, rakor, "decision.record", staff, nonce="r-1", text="Sudah").status_code == 200
    )
    # A schema refusal is the socket's validation_error with the field's message.
    bad = post(client, rakor, "decision.record", staff, nonce="r-2", text="")
    assert bad.status_code == 422
    assert "text" in bad.get_json()["errors"]


def test_reads_return_the_room_its_record_and_the_log(client, rakor, staff):
    items = rakor.add_items("Pembukaan", "Stunting")
    assert post(client, rakor, "open", staff, nonce="o").status_code == 200
    assert post(client, rakor, "item.activate", staff, nonce="i", item_id=items[1].id).json["ok"]
    d1 = post(client, rakor, "decision.record", staff, nonce="d1", text="Kesepakatan satu").json
    d2 = post(client, rakor, "decision.record", staff, nonce="d2", text="Kesepakatan dua").json
    org = rakor.participant.person.organization_id
    a1 = post(
        client,
        rakor,
        "action.create",
        staff,
        nonce="a1",
        decision_id=d2["id"],
        title="Padankan data",
        organization_id=org,
        due_on="2027-01-31",
    ).json
    notes = post(
        client, rakor, "notes.save", staff, nonce="n1", item_id=items[1].id, text="Dibahas."
    ).json
    assert notes == {"ok": True, "seq": notes["seq"], "id": 1}  # the notes' version

    base = f"{API}/{rakor.meeting.id}/live"
    room = client.get(base, headers=staff).json
    assert room["room"]["state"] == "open"
    assert room["current_item"]["id"] == items[1].id
    assert [i["title"] for i in room["agenda"]] == ["Pembukaan", "Stunting"]
    assert room["speakers"] == []
    assert room["seq"] == notes["seq"]

    decisions = client.get(f"{base}/decisions", headers=staff).json
    assert [d["id"] for d in decisions["items"]] == [d1["id"], d2["id"]]
    assert decisions["total"] == 2
    assert decisions["pages"] == 1
    assert decisions["items"][0]["item_id"] == items[1].id
    newest = client.get(
        f"{base}/decisions", query_string={"order": "desc", "per_page": 1}, headers=staff
    ).json
    assert [d["text"] for d in newest["items"]] == ["Kesepakatan dua"]
    assert newest["pages"] == 2
    found = client.get(f"{base}/decisions", query_string={"q": "satu"}, headers=staff).json
    assert [d["id"] for d in found["items"]] == [d1["id"]]

    actions = client.get(f"{base}/actions", headers=staff).json
    assert [(a["id"], a["due_on"]) for a in actions["items"]] == [(a1["id"], "2027-01-31")]
    filtered = client.get(
        f"{base}/actions", query_string={"decision_id": d1["id"]}, headers=staff
    ).json
    assert filtered["items"] == []

    [note] = client.get(f"{base}/notes", headers=staff).json["items"]
    assert (note["item_id"], note["text"], note["version"]) == (items[1].id, "Dibahas.", 1)

    page = client.get(f"{base}/events", query_string={"after_seq": 1, "limit": 2}, headers=staff)
    assert page.status_code == 200
    body = page.json
    assert [e["seq"] for e in body["items"]] == [2, 3]
    assert (body["next_seq"], body["head"], body["more"]) == (3, notes["seq"], True)
    assert set(body["items"][0]) == {"meeting", "seq", "type", "data", "at", "actor"}
    rest = client.get(
        f"{base}/events", query_string={"after_seq": body["next_seq"], "limit": 500}, headers=staff
    ).json
    assert rest["items"][-1]["seq"] == notes["seq"]
    assert rest["more"] is False

    # Parameters it does not declare, or out of range, are refused.
    assert client.get(f"{base}/events", query_string={"limit": 501}, headers=staff).status_code == (
        422
    )
    assert client.get(
        f"{base}/decisions", query_string={"sort": "x"}, headers=staff
    ).status_code == (422)


def test_the_document_describes_the_live_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    record = spec["paths"]["/api/v1/meetings/{id}/live/commands/decision.record"]["post"]
    assert record["summary"] == "Catat kesepakatan"
    body = record["requestBody"]["content"]["application/json"]
    assert body["example"]["nonce"]
    assert body["schema"] == {"$ref": "#/components/schemas/LiveDecisionRecordCommand"}
    assert {"200", "401", "403", "404", "409", "422"} <= set(record["responses"])
    events_op = spec["paths"]["/api/v1/meetings/{id}/live/events"]["get"]
    assert {p["name"] for p in events_op["parameters"]} >= {"after_seq", "limit"}
    assert "LiveDecisionPage" in spec["components"]["schemas"]
