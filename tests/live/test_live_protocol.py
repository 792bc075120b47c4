"""The live protocol (DESIGN §5): seq, acks, nonces, replay on reconnect, the hash chain."""

from __future__ import annotations

import pytest

from meetcoord.live.log import verify_chain
from meetcoord.live.models import MeetingEvent
from tests.helpers import count
from tests.live_support import LiveRakor, command, connect, events


@pytest.fixture
def rakor() -> LiveRakor:
    return LiveRakor()


def test_a_reconnecting_client_gets_exactly_the_missed_events_in_order(app, rakor):
    chair = connect(app, rakor.chair)
    assert chair.is_connected("/live")
    assert command(chair, "open")["ok"]
    projector = connect(app, rakor.participant, last_seq=0)
    [opened] = events(projector)
    assert opened["seq"] == 1
    assert opened["type"] == "meeting.opened"
    projector.disconnect(namespace="/live")

    for n in range(20):
        ack = command(chair, "decision.record", text=f"Kesepakatan {n + 1}")
        assert ack == {"ok": True, "seq": n + 2, "id": ack["id"]}

    back = connect(app, rakor.participant, last_seq=1)
    missed = events(back)
    assert [e["seq"] for e in missed] == list(range(2, 22))
    assert [e["data"]["decision"]["text"] for e in missed] == [
        f"Kesepakatan {n + 1}" for n in range(20)
    ]
    assert all(
        e["type"] == "decision.recorded" and e["meeting"] == rakor.meeting.id for e in missed
    )


def test_connected_clients_receive_each_event_once_after_it_is_committed(app, rakor):
    chair = connect(app, rakor.chair)
    phone = connect(app, rakor.ambon_participant, last_seq=0)
    events(phone)
    command(chair, "open")
    command(chair, "decision.record", text="Data stunting dipadankan per desa")
    got = events(phone)
    assert [e["seq"] for e in got] == [1, 2]
    assert got[1]["actor"] == "Ir. Yohanes Bili, M.Si."
    assert set(got[1]) == {"meeting", "seq", "type", "data", "at", "actor"}


def test_a_repeated_nonce_returns_the_first_answer_and_changes_nothing(app, rakor):
    chair = connect(app, rakor.chair)
    command(chair, "open")
    first = command(chair, "decision.record", nonce="n-1", text="Satu kali saja")
    again = command(chair, "decision.record", nonce="n-1", text="Satu kali saja")
    assert first["ok"]
    assert again == {"ok": True, "seq": first["seq"], "id": first["id"]}  # issue 17
    assert count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id) == 2


def test_a_new_client_without_last_seq_gets_a_snapshot(app, rakor):
    chair = connect(app, rakor.chair)
    command(chair, "open")
    command(chair, "decision.record", text="Rapat berikutnya di Waikabubak")
    fresh = connect(app, rakor.participant)
    [snap] = events(fresh, "snapshot")
    assert snap["seq"] == 2
    assert snap["room"]["state"] == "open"
    assert [d["text"] for d in snap["decisions"]] == ["Rapat berikutnya di Waikabubak"]
    assert events(fresh) == []


def test_connection_is_refused_without_a_valid_credential(app, rakor):
    assert not connect(app, meeting=rakor.meeting.id).is_connected("/live")
    assert not connect(app, meeting=rakor.meeting.id, token="forged").is_connected("/live")
    other = LiveRakor("Rakor Lain")
    # A personal link to another meeting does not open this one.
    assert not connect(app, other.chair, meeting=rakor.meeting.id).is_connected("/live")


def test_the_hash_chain_verifies_and_a_changed_event_is_found(app, rakor, runner):
    chair = connect(app, rakor.chair)
    command(chair, "open")
    command(chair, "decision.record", text="Disepakati")
    command(chair, "pause")
    assert verify_chain(rakor.meeting.id).ok
    result = runner.invoke(args=["audit", "verify", str(rakor.meeting.id)])
    assert result.exit_code == 0
    assert "3 events, chain intact" in result.output

    from meetcoord.extensions import db

    event = db.session.query(MeetingEvent).filter_by(meeting_id=rakor.meeting.id, seq=2).one()
    event.data = event.data.replace("Disepakati", "Ditolak")
    db.session.commit()
    report = verify_chain(rakor.meeting.id)
    assert not report.ok
    assert report.seq == 2
    result = runner.invoke(args=["audit", "verify", str(rakor.meeting.id)])
    assert result.exit_code == 1
    assert "BROKEN at seq 2" in result.output
