"""The matrix over REST: rows and totals with filters and pages, putting proposals on it,
and the twins of the live commands, whose Idempotency-Key is the command's nonce."""

from __future__ import annotations

from typing import Any

from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.planning.models import SyncMark
from tests import factories
from tests.helpers import reads
from tests.planning.matrix_support import SyncRakor

API = "/api/v1/meetings"


def events_of(rakor: SyncRakor) -> list[MeetingEvent]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(MeetingEvent).filter_by(meeting_id=rakor.meeting.id)))


def test_staff_put_proposals_on_the_matrix_by_filter(client: Any, api_token: Any) -> None:
    rakor = SyncRakor()
    _user, headers = api_token()
    url = f"{API}/{rakor.meeting.id}/matrix"
    village = rakor.villages[0].id
    answer = client.post(url, json={"village_ids": [village]}, headers=headers)
    assert answer.status_code == 201, answer.json
    assert answer.json["added"] == 2
    [event] = events_of(rakor)
    assert event.type == "matrix.added"
    # Nothing new matches the same filter again: a clear 422, nothing written.
    again = client.post(url, json={"village_ids": [village]}, headers=headers)
    assert again.status_code == 422
    assert "Tidak ada usulan baru" in again.json["detail"]
    assert len(events_of(rakor)) == 1
    assert client.post(url, json={}, headers=headers).json["added"] == 1

    listed = client.get(
        url, query_string={"village_id": village, "order": "score"}, headers=headers
    )
    assert listed.status_code == 200
    body = listed.json
    assert [r["title"] for r in body["items"]] == [
        "Rehabilitasi jalan usaha tani",
        "Sumur bor air bersih",
    ]
    assert (body["total"], body["totals"]["count"], body["filtered_totals"]["budget"]) == (
        2,
        3,
        750_000_000,
    )
    page = client.get(url, query_string={"per_page": 1, "page": 2}, headers=headers).json
    assert (len(page["items"]), page["pages"]) == (1, 3)


def test_a_meeting_without_the_item_or_of_another_institution(client: Any, api_token: Any) -> None:
    rakor = SyncRakor()
    db.session.delete(rakor.item)
    db.session.commit()
    _user, headers = api_token()
    answer = client.post(f"{API}/{rakor.meeting.id}/matrix", json={}, headers=headers)
    assert answer.status_code == 422
    assert "tidak memiliki mata acara matriks" in answer.json["detail"]
    stranger = factories.user("secretariat", institution=factories.institution())
    from meetcoord.accounts.services import create_token

    _token, secret = create_token(None, stranger, "t")
    other = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/{rakor.meeting.id}/matrix", headers=other).status_code == 404


def test_mark_and_confirm_over_rest_with_an_idempotency_key(client: Any, api_token: Any) -> None:
    rakor = SyncRakor()
    rakor.fill()
    from meetcoord.live import services as live

    live.open_meeting(rakor.staff_actor.bound_to(rakor.meeting), rakor.meeting.id, "open-1")
    mark = rakor.marks()[0]
    _user, headers = api_token()
    url = f"{API}/{rakor.meeting.id}/matrix/{mark.id}/mark"
    body = {
        "version": 1,
        "outcome": "accommodated",
        "organization_id": rakor.agency.id,
        "programme": "Program Penyelenggaraan Jalan",
        "plan_year": 2025,
        "amount": 400_000_000,
    }
    assert client.post(url, json=body, headers=headers).status_code == 422  # no key
    keyed = {**headers, "Idempotency-Key": "rest-mark-1"}
    first = client.post(url, json=body, headers=keyed)
    assert first.status_code == 200, first.json
    assert first.json["mark"]["outcome"] == "accommodated"
    count = len(events_of(rakor))
    # The same key again: the same seq, nothing appended (the socket's nonce semantics).
    again = client.post(url, json=body, headers=keyed)
    assert again.json["seq"] == first.json["seq"]
    assert len(events_of(rakor)) == count
    # Per outcome validation, in the socket's words.
    bad = client.post(
        url,
        json={**body, "version": 2, "outcome": "not_accommodated"},
        headers={**headers, "Idempotency-Key": "rest-mark-2"},
    )
    assert bad.status_code == 422
    assert "alasan" in bad.json["detail"]
    negative = client.post(
        url, json={**body, "version": 2, "amount": -1}, headers={**headers, "Idempotency-Key": "k3"}
    )
    assert negative.status_code == 422
    confirm = client.post(
        f"{API}/{rakor.meeting.id}/matrix/{mark.id}/confirm",
        json={"answer": "confirmed"},
        headers={**headers, "Idempotency-Key": "rest-confirm-1"},
    )
    assert confirm.status_code == 200, confirm.json
    assert confirm.json["mark"]["confirmation"] == "confirmed"
    db.session.expire_all()
    assert db.session.get(SyncMark, mark.id).confirmation.value == "confirmed"


def test_the_staff_page_puts_proposals_on_the_matrix(client: Any, auth: Any) -> None:
    rakor = SyncRakor()
    auth.login(user=rakor.staff)
    url = f"/meetings/{rakor.meeting.id}/matrix"
    page = client.get(url)
    assert page.status_code == 200
    assert "Desa Waimangura" in page.get_data(as_text=True)
    bad = auth.post(url, data={"plan_year": "dua ribu"})
    assert bad.status_code == 422
    assert "Tahun rencana harus 2000–2100." in bad.get_data(as_text=True)
    assert rakor.marks() == []
    done = auth.post(url, data={"village_ids": [str(rakor.villages[1].id)], "plan_year": "2025"})
    assert done.status_code == 302
    assert [m.proposal.title for m in rakor.marks()] == ["Pelatihan kelompok tenun ikat"]
    html = reads(client, "en").get(url).get_data(as_text=True)
    assert "Pelatihan kelompok tenun ikat" in html
    assert "Put proposals on the matrix" in html
