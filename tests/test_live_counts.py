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
