"""Attendance and quorum reach the live room's staff, the chair's personal link included."""

from __future__ import annotations

from tests.helpers import text
from tests.kiosk_support import open_personal_link, phone, post_from
from tests.live_support import LiveRakor, connect, events


def test_a_check_in_updates_the_counts_on_the_chairs_console(app):
    rakor = LiveRakor()
    chair = connect(app, rakor.chair, last_seq=0)  # a personal link, not a staff session
    participant = connect(app, rakor.participant, last_seq=0)
    events(chair, "counts")
    events(participant, "counts")

    browser = phone(app)
    open_personal_link(browser, rakor.participant)
    page = browser.get(rakor.scan_path())
    done = post_from(browser, rakor.scan_path(), text(page), action="link")
    assert done.status_code == 200

    [counts] = events(chair, "counts")
    assert counts["meeting"] == rakor.meeting.id
    assert counts["total"] == 1
    host = next(s for s in counts["sites"] if s["site_id"] == rakor.site.id)
    assert host["present"] == 1
    assert "quorum" in counts
    # Counts are for the people running the meeting, not every phone.
    assert events(participant, "counts") == []


def test_the_console_gets_the_counts_when_it_connects_and_phones_do_not(app):
    rakor = LiveRakor()
    [counts] = events(connect(app, rakor.chair, last_seq=0), "counts")
    assert counts["meeting"] == rakor.meeting.id
    assert counts["total"] == 0
    assert {s["site_id"] for s in counts["sites"]} >= {rakor.site.id, rakor.other_site.id}
    assert events(connect(app, rakor.participant, last_seq=0), "counts") == []


def test_a_heartbeat_moves_last_heard_on_the_console(app):
    rakor = LiveRakor()
    chair = connect(app, rakor.chair, last_seq=0)
    screen = connect(app, rakor.coordinator, last_seq=0, site=rakor.other_site.id)
    events(chair, "presence")
    screen.emit("hello", {}, namespace="/live")
    # Coalesced signals: on a loaded machine the screen's own arrival may be flushed after
    # the drain above, so the heartbeat's state is the newest one, not the only one.
    health = events(chair, "presence")[-1]
    ambon = health["sites"][str(rakor.other_site.id)]
    assert ambon["screens"] == 1
    assert ambon["coordinators"] == 1
    assert ambon["last_heard_at"].endswith("Z")
