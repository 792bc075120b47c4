"""The action review in the live room (carry-over, issue 13): what a (re)connecting client
is sent, and the pages that draw it.

A client joining late, or far behind, gets the review list in the snapshot; a change
made through ``action.review`` is in the next snapshot and in the replay, so a phone that
reconnects shows the new status. Only a meeting with the "Tinjauan tindak lanjut" item
carries the list, and only its phone pages load the review's script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.meetings.standing import ensure_standing_items
from tests.helpers import phone_weight, reads, static_names
from tests.live_support import LiveRakor, carried_action, command, connect, events

STATIC = Path(__file__).resolve().parents[2] / "static"
# The ordinary phone page stays under 30,000 bytes (test_live_views); a reviewing
# meeting's adds its script and words, and no more than this.
REVIEW_PHONE_BUDGET = 40_000


def reviewing(**fields: Any) -> tuple[LiveRakor, Any]:
    """A Rakor that follows an earlier forum meeting with one open action, and has the
    standing review item (as scheduling gives it)."""
    rakor = LiveRakor()
    carried = carried_action(rakor, **fields)
    assert ensure_standing_items(rakor.meeting)
    db.session.commit()
    return rakor, carried


def snapshot_of(app: Any, who: Any, **auth: Any) -> dict[str, Any]:
    client = connect(app, who, **auth)
    [snap] = events(client, "snapshot")
    return snap


def test_the_snapshot_carries_the_review_list(app: Any) -> None:
    rakor, carried = reviewing()
    snap = snapshot_of(app, rakor.ambon_participant)
    [row] = snap["review"]
    assert row["id"] == carried.id
    assert row["title"] == "Menyusun data cadangan pangan desa"
    assert row["organization_id"] == rakor.participant.person.organization_id
    assert (row["status"], row["before"], row["note"]) == ("open", "open", "")


def test_a_meeting_without_the_review_item_carries_no_list(app: Any) -> None:
    rakor = LiveRakor()
    carried_action(rakor)  # an earlier open action exists, but nothing here reviews it
    assert snapshot_of(app, rakor.participant)["review"] == []


def test_a_reconnecting_client_sees_the_reviewed_status(app: Any) -> None:
    rakor, carried = reviewing()
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    phone = connect(app, rakor.ambon_participant, last_seq=1)
    events(phone)
    phone.disconnect(namespace="/live")  # the phone's link drops…

    ack = command(chair, "action.review", action_id=carried.id, status="done", note="Rampung")
    assert ack["ok"], ack

    # …and comes back: from its last seq it is replayed the event, in order…
    again = connect(app, rakor.ambon_participant, last_seq=1)
    [replayed] = [e for e in events(again) if e["type"] == "action.reviewed"]
    assert replayed["seq"] == ack["seq"]
    assert replayed["data"]["action"]["status"] == "done"
    # …and without one (a reload with nothing stored) the snapshot has the new status.
    snap = snapshot_of(app, rakor.ambon_participant)
    assert snap["seq"] == ack["seq"]
    [row] = snap["review"]
    assert (row["status"], row["before"], row["note"]) == ("done", "open", "Rampung")
    # What the event carried is what the snapshot holds: replay and snapshot agree.
    assert replayed["data"]["action"] == row


def test_only_a_reviewing_meeting_s_phone_loads_the_review(client: Any, app: Any) -> None:
    rakor, _carried = reviewing()
    page = client.get(f"/i/{links.personal_token(rakor.participant)}/live")
    html = page.get_data(as_text=True)
    assert "js/live-review.js" in static_names(html)
    agency = rakor.participant.person.organization_id
    assert f'data-agency="{agency}"' in html
    assert "Tinjauan tindak lanjut" in html
    assert '"status_done": "Selesai"' in html  # the words travel in data-strings
    assets = {"css/live-phone.css", "js/live-phone.bundle.js", "js/live-review.js"}
    assert assets <= set(static_names(html))
    assert b"data-initial='" in page.get_data()  # drawn before the socket connects
    total = phone_weight(client, page)  # as served: minified, bundled
    assert total < REVIEW_PHONE_BUDGET, f"{total} bytes"

    plain = LiveRakor("Rakor Lain")
    html = client.get(f"/i/{links.personal_token(plain.participant)}/live").get_data(as_text=True)
    assert "live-review" not in html


def test_the_console_has_the_review_panel_and_its_words_in_english(client: Any) -> None:
    rakor, _carried = reviewing()
    html = reads(client, "en").get(f"/i/{links.personal_token(rakor.chair)}/console")
    html = html.get_data(as_text=True)
    assert 'id="live-review"' in html
    assert 'data-can-close="1"' in html
    assert "js/live-review.js" in static_names(html)
    assert "Short note (optional)" in html
    assert "Why is this follow-up action being dropped?" in html
