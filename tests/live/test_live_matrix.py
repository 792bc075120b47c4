"""The synchronisation matrix, live (issue 14, point 2): two sites, the chair marking at
the host site and Dinas PUPR's representative answering from Ambon.

Every refusal is checked to leave the room as it was (``assert_unchanged``: the log and
the whole snapshot, matrix and totals included).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meetcoord.documents.models import DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings import links
from meetcoord.planning.models import Proposal, ProposalStatus
from meetcoord.planning.totals import merge
from tests import factories
from tests.helpers import phone_weight, reads, static_names
from tests.live_support import LiveRakor, assert_unchanged, command, connect, events, fingerprint
from tests.planning.matrix_support import SyncRakor


def accommodated(rakor: SyncRakor, mark: Any, **over: Any) -> dict[str, Any]:
    return {
        "mark_id": mark.id,
        "version": mark.version,
        "outcome": "accommodated",
        "organization_id": rakor.agency.id,
        "programme": "Program Penyelenggaraan Jalan",
        "activity": "Rehabilitasi jalan",
        "plan_document": "RKPD 2025",
        "plan_year": 2025,
        "amount": 400_000_000,
        **over,
    }


@pytest.fixture
def room(app: Any) -> tuple[SyncRakor, Any, Any]:
    """The filled matrix, the meeting open, the chair's and the representative's clients."""
    rakor = SyncRakor()
    rakor.fill()
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    phone = connect(app, rakor.representative)
    events(chair), events(phone, "snapshot")
    return rakor, chair, phone


def marked(client: Any, type_: str = "proposal.marked") -> list[dict[str, Any]]:
    return [e for e in events(client) if e["type"] == type_]


def test_the_snapshot_carries_the_matrix_and_its_totals(app: Any) -> None:
    rakor = SyncRakor()
    marks = rakor.fill()
    [snap] = events(connect(app, rakor.participant), "snapshot")
    matrix = snap["matrix"]
    assert matrix["item_id"] == rakor.item.id
    assert matrix["locked"] is False
    # In the order they were put on it: highest score first.
    assert [r["title"] for r in matrix["rows"]] == [
        "Pelatihan kelompok tenun ikat",
        "Rehabilitasi jalan usaha tani",
        "Sumur bor air bersih",
    ]
    assert {r["id"] for r in matrix["rows"]} == {m.id for m in marks}
    assert {r["outcome"] for r in matrix["rows"]} == {None}
    assert matrix["totals"]["count"] == 3
    assert matrix["totals"]["budget"] == 870_000_000
    assert matrix["totals"]["statuses"] == {"discussed": 3}
    # Putting them on the matrix made them "discussed" (the public tracking's step).
    assert {p.status for p in db.session.scalars(db.select(Proposal))} == {ProposalStatus.DISCUSSED}
    plain = SyncRakor("Rakor Lain")
    db.session.delete(plain.item)
    db.session.commit()
    [snap] = events(connect(app, plain.participant), "snapshot")
    assert snap["matrix"] is None


def test_a_mark_shows_at_both_sites_and_the_agency_confirms(room: Any) -> None:
    rakor, chair, phone = room
    mark = rakor.marks()[0]
    ack = command(chair, "proposal.mark", **accommodated(rakor, mark))
    assert ack["ok"], ack
    for client in (chair, phone):
        [event] = marked(client)
        assert event["seq"] == ack["seq"]
        row = event["data"]["mark"]
        assert (row["outcome"], row["organization_id"], row["amount"]) == (
            "accommodated",
            rakor.agency.id,
            400_000_000,
        )
        assert (row["confirmation"], row["version"]) == ("pending", 2)
        totals = event["data"]["totals_changed"]
        assert (totals["accommodated"], totals["amount"]) == (1, 400_000_000)
        # Only what the row touched: its new agency and its village, not the whole matrix.
        assert [v["village_id"] for v in totals["villages"]] == [mark.proposal.village_id]
        [pupr] = totals["agencies"]
        assert (pupr["organization_id"], pupr["budget"], pupr["share"]) == (
            rakor.agency.id,
            450_000_000,
            88.9,
        )
    assert db.session.get(Proposal, mark.proposal_id).status is ProposalStatus.ACCOMMODATED

    ack = command(phone, "proposal.confirm", mark_id=mark.id, answer="confirmed", version=2)
    assert ack["ok"], ack
    for client in (chair, phone):
        [event] = marked(client, "proposal.confirmed")
        assert event["data"]["mark"]["confirmation"] == "confirmed"
        assert event["data"]["mark"]["confirmed_by"] == "Peserta Ambon"


def test_a_dispute_is_seen_by_all_until_the_row_is_marked_again(room: Any) -> None:
    rakor, chair, phone = room
    mark = rakor.marks()[0]
    assert command(chair, "proposal.mark", **accommodated(rakor, mark))["ok"]
    refused = command(phone, "proposal.confirm", mark_id=mark.id, answer="disputed")
    assert refused["error"]["code"] == "validation_error"
    assert "catatan" in refused["error"]["message"]
    ack = command(phone, "proposal.confirm", mark_id=mark.id, answer="disputed", note="Pagu kurang")
    assert ack["ok"], ack
    [event] = marked(chair, "proposal.confirmed")
    assert event["data"]["mark"]["confirmation"] == "disputed"
    assert event["data"]["totals_changed"]["disputed"] == 1
    # Re-marked: the agency's answer starts over.
    again = accommodated(rakor, mark, version=2, amount=450_000_000)
    assert command(chair, "proposal.mark", **again)["ok"]
    event = marked(phone)[-1]
    assert (event["data"]["mark"]["confirmation"], event["data"]["totals_changed"]["disputed"]) == (
        "pending",
        0,
    )


def test_another_agency_and_a_participant_are_refused(room: Any, app: Any) -> None:
    rakor, chair, phone = room
    mark = rakor.marks()[0]
    assert command(chair, "proposal.mark", **accommodated(rakor, mark))["ok"]
    other = connect(app, rakor.participant)  # Dinas Ketahanan Pangan, host site
    before = fingerprint(rakor.meeting.id)
    ack = command(other, "proposal.confirm", mark_id=mark.id, answer="confirmed")
    assert ack["error"]["code"] == "forbidden"
    assert "instansi Anda sendiri" in ack["error"]["message"]
    ack = command(phone, "proposal.mark", **accommodated(rakor, mark, version=2))
    assert ack["error"]["code"] == "forbidden"
    assert_unchanged(rakor.meeting.id, before)


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"organization_id": None}, "organization_id", "instansi"),
        ({"programme": None, "activity": ""}, "programme", "program atau kegiatan"),
        ({"plan_year": None}, "plan_year", "tahun rencana"),
        ({"amount": None}, "amount", "Pagu"),
        ({"amount": -5}, "amount", "Pagu"),
        ({"amount": "1,5 M"}, "amount", "Pagu"),
        ({"outcome": "carried"}, "carried_to", "forum tujuan"),
        ({"outcome": "carried", "carried_to": "dprd"}, "carried_to", "forum tujuan"),
        ({"outcome": "merged"}, "merged_with_id", "usulan lain"),
        ({"outcome": "not_accommodated"}, "reason", "alasan"),
        ({"outcome": "maybe"}, "outcome", "Pilih hasil"),
    ],
)
def test_invalid_marks_are_refused_with_a_message_and_nothing_changes(
    room: Any, over: dict[str, Any], field: str, words: str
) -> None:
    rakor, chair, _phone = room
    mark = rakor.marks()[0]
    before = fingerprint(rakor.meeting.id)
    ack = command(chair, "proposal.mark", **accommodated(rakor, mark, **over))
    assert not ack["ok"]
    assert ack["error"]["code"] == "validation_error"
    assert field in ack["error"]["fields"], ack
    assert words.lower() in ack["error"]["message"].lower()
    assert_unchanged(rakor.meeting.id, before)


def test_merging_needs_another_row_of_the_same_matrix(room: Any) -> None:
    rakor, chair, phone = room
    first, second, _third = rakor.marks()
    ack = command(
        chair,
        "proposal.mark",
        **accommodated(rakor, first, outcome="merged", merged_with_id=first.proposal_id),
    )
    assert ack["error"]["fields"]["merged_with_id"]
    ack = command(
        chair,
        "proposal.mark",
        **accommodated(rakor, first, outcome="merged", merged_with_id=second.proposal_id),
    )
    assert ack["ok"], ack
    [event] = marked(phone)
    assert event["data"]["mark"]["merged_with"] == "Pelatihan kelompok tenun ikat"
    assert db.session.get(Proposal, first.proposal_id).merged_into_id == second.proposal_id


def test_a_stale_version_and_a_locked_matrix_are_refused(room: Any) -> None:
    rakor, chair, _phone = room
    mark = rakor.marks()[0]
    assert command(chair, "proposal.mark", **accommodated(rakor, mark))["ok"]
    before = fingerprint(rakor.meeting.id)
    ack = command(chair, "proposal.mark", **accommodated(rakor, mark, version=1, amount=1))
    assert ack["error"]["code"] == "conflict"
    assert "diubah orang lain" in ack["error"]["message"]
    assert_unchanged(rakor.meeting.id, before)

    factories.document(rakor.meeting, status=DocumentStatus.FINAL)
    db.session.commit()
    before = fingerprint(rakor.meeting.id)
    ack = command(chair, "proposal.mark", **accommodated(rakor, mark, version=2, amount=1))
    assert ack["error"]["code"] == "conflict"
    assert "adendum" in ack["error"]["message"]
    assert_unchanged(rakor.meeting.id, before)
    assert before["snapshot"]["matrix"]["locked"] is True


def test_replay_after_reconnect_and_a_repeated_nonce(room: Any, app: Any) -> None:
    rakor, chair, phone = room
    first, second, _third = rakor.marks()
    [start] = events(connect(app, rakor.representative), "snapshot")
    seen = connect(app, rakor.representative, last_seq=1)
    events(seen)
    seen.disconnect(namespace="/live")
    data = accommodated(rakor, first, nonce="mark-once")
    ack = command(chair, "proposal.mark", **data)
    assert ack["ok"]
    # The same nonce again (a retry after a lost ack): the same ack, nothing new.
    assert command(chair, "proposal.mark", **data) == ack
    carried = {
        "mark_id": second.id,
        "version": 1,
        "outcome": "carried",
        "carried_to": "musrenbangprov",
    }
    last = command(chair, "proposal.mark", **carried)
    assert last["ok"]
    assert last["seq"] == ack["seq"] + 1
    ack2 = command(phone, "proposal.confirm", mark_id=first.id, answer="confirmed")
    assert ack2["ok"]

    again = connect(app, rakor.representative, last_seq=1)
    replayed = events(again)
    assert [e["seq"] for e in replayed] == list(range(2, ack2["seq"] + 1))
    # Applying the events in order gives what the snapshot holds.
    rows: dict[int, Any] = {}
    totals = start["matrix"]["totals"]
    for e in replayed:
        if e["type"] in ("proposal.marked", "proposal.confirmed"):
            rows[e["data"]["mark"]["id"]] = e["data"]["mark"]
            totals = merge(totals, e["data"]["totals_changed"])
    [snap] = events(connect(app, rakor.representative), "snapshot")
    by_id = {r["id"]: r for r in snap["matrix"]["rows"]}
    assert by_id[first.id] == rows[first.id]
    assert by_id[second.id] == rows[second.id]
    assert snap["matrix"]["totals"] == totals
    assert totals["statuses"] == {"accommodated": 1, "carried": 1, "discussed": 1}
    village = next(v for v in totals["villages"] if v["village_id"] == rakor.villages[0].id)
    assert (village["count"], village["budget"], village["amount"]) == (2, 750_000_000, 400_000_000)


# --- the pages ----------------------------------------------------------------------------

STATIC = Path(__file__).resolve().parents[2] / "static"
# The ordinary phone page stays under 30,000 bytes (test_live_views); a meeting with a
# matrix adds its script (shared with the console: one file to cache) and its words.
MATRIX_PHONE_BUDGET = 50_000


def test_only_a_matrix_meeting_s_phone_loads_the_matrix(client: Any) -> None:
    rakor = SyncRakor()
    rakor.fill()
    page = client.get(f"/i/{links.personal_token(rakor.representative)}/live")
    html = page.get_data(as_text=True)
    assert "js/live-matrix.js" in static_names(html)
    assert f'data-agency="{rakor.agency.id}"' in html
    assert 'data-mode="phone"' in html
    assert '"m_dispute": "Sanggah"' in html
    assets = {"css/live-phone.css", "css/live-matrix.css", "js/live-phone.bundle.js"}
    assert assets | {"js/live-matrix.js"} <= set(static_names(html))
    assert b"data-initial='" in page.get_data()  # drawn before the socket connects
    total = phone_weight(client, page)  # as served: minified, bundled
    assert total < MATRIX_PHONE_BUDGET, f"{total} bytes"

    plain = LiveRakor("Rakor Lain")
    html = client.get(f"/i/{links.personal_token(plain.participant)}/live").get_data(as_text=True)
    assert "live-matrix" not in html


def test_the_console_and_projector_have_the_matrix_in_english(client: Any, auth: Any) -> None:
    rakor = SyncRakor()
    html = reads(client, "en").get(f"/i/{links.personal_token(rakor.minute_taker)}/console")
    html = html.get_data(as_text=True)
    assert 'id="matrix-form"' in html
    assert "js/live-matrix.js" in static_names(html)
    assert "Synchronisation matrix of proposals" in html
    assert '"m_outcome_accommodated": "Accommodated"' in html
    assert "Musrenbangprov" in html
    auth.login(user=rakor.staff)
    screen = client.get(f"/projector/{rakor.site.code}").get_data(as_text=True)
    assert 'data-mode="screen"' in screen
    assert "Totals per agency and per village" in screen
