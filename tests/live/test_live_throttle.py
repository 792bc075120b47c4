"""How fast one person may send live-room commands (issue 11, point 5).

There was no limit: one invitee stored 200 events in two seconds, each broadcast to every
phone. Now a budget per actor (the account or the invitation, not the socket), larger for
the chair, the minute-taker and the secretariat; a command over it is answered
``rate_limited`` and stores nothing, and its retry is judged again.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from meetcoord.live.models import MeetingEvent
from tests.helpers import count
from tests.live_support import LiveRakor, command, connect, nonce

# --- rate limits -------------------------------------------------------------------------


@pytest.fixture
def rakor() -> LiveRakor:
    rakor = LiveRakor()
    rakor.add_items("Pembukaan")
    return rakor


def budget(app: Any, key: str) -> int:
    """The burst a limit allows: its first (shortest) window's amount."""
    from limits import parse_many

    return parse_many(app.config[key])[0].amount


def test_a_participant_flooding_the_room_is_stopped_and_nothing_more_is_stored(app, rakor):
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    phone = connect(app, rakor.participant)
    allowed = budget(app, "LIVE_RATE_LIMIT")
    before = count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id)

    acks, request_id = [], None
    for _ in range(allowed + 20):  # ask, withdraw, ask, ...: each one an event
        if request_id is None:
            ack = command(phone, "speaker.request")
            request_id = ack.get("id") if ack["ok"] else None
        else:
            ack = command(phone, "speaker.withdraw", request_id=request_id)
            request_id = None if ack["ok"] else request_id
        acks.append(ack)

    assert all(a["ok"] for a in acks[:allowed]), acks[:allowed]
    over = acks[allowed:]
    assert all(a["error"]["code"] == "rate_limited" for a in over), over
    assert "tunggu sebentar" in over[0]["error"]["message"]
    stored = count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id) - before
    assert stored == allowed

    # Reconnecting buys nothing: the budget belongs to the invitation, not the socket.
    again = connect(app, rakor.participant)
    assert command(again, "speaker.request")["error"]["code"] == "rate_limited"

    # The chair, who runs the meeting, has a larger budget, and is not held up by them.
    assert budget(app, "LIVE_CHAIR_RATE_LIMIT") > allowed
    for n in range(allowed + 5):
        assert command(chair, "decision.record", text=f"Kesepakatan {n}")["ok"]


def test_a_refused_command_is_judged_again_when_it_is_sent_again(app, rakor, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_RATE_LIMIT", "2 per second")
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    coordinator = connect(app, rakor.coordinator)
    time.sleep(1.0 - time.time() % 1.0)  # a fresh one-second window
    first = command(coordinator, "speaker.request")
    assert first["ok"], first
    assert command(coordinator, "speaker.withdraw", request_id=first["id"])["ok"]
    retry = nonce()
    refused = command(coordinator, "speaker.request", nonce=retry)
    assert refused["error"]["code"] == "rate_limited"
    stored = count(MeetingEvent, MeetingEvent.meeting_id == rakor.meeting.id)
    time.sleep(1.05)
    again = command(coordinator, "speaker.request", nonce=retry)  # the client's retry
    assert again["ok"], again
    assert again["seq"] == stored + 1  # executed now, once
