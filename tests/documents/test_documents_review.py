"""Documents (issue 11, point 10): the comment round is not cut short by accident, and the
parties of a berita acara are people who were there.

- Circulated minutes are finalised after the comment deadline, or before it once every
  invitee the circulation asked has answered (a comment, or "Tidak ada tanggapan"), or
  when the secretariat closes the round early with a reason kept in the history.
- A party who declined and never checked in cannot be made a party, and cannot sign.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete

from meetcoord.access.actors import Actor
from meetcoord.checkin.models import Attendance
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.documents import agreements, review, workflow
from meetcoord.documents.models import Document, DocumentStatus
from meetcoord.documents.signing import signatures
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token
from meetcoord.meetings.models import InviteeRole, Rsvp
from tests import factories
from tests.documents.test_documents_views import Link, reload, state
from tests.documents_support import ClosedRakor, attend, ensure_ca, rendered, sign_with_code
from tests.helpers import text
from tests.kiosk_support import phone

REASON = "Pimpinan meminta notulen segera untuk rapat anggaran besok."


@pytest.fixture
def rakor(app: Flask) -> ClosedRakor:
    ensure_ca(app)
    return ClosedRakor(app)


def circulated(rakor: ClosedRakor) -> Document:
    doc = workflow.start_minutes(rakor.staff_actor, rakor.meeting)
    workflow.circulate(rakor.staff_actor, doc, datetime.now(UTC) + timedelta(days=3))
    return doc


def asked(rakor: ClosedRakor) -> list[Any]:
    return [
        inv
        for inv in rakor.meeting.invitations
        if inv.person.email and not inv.withdrawn_at and inv.role is not InviteeRole.MINUTE_TAKER
    ]


def test_missing_answers_is_empty_once_the_deadline_has_passed() -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    ahead, behind = now + timedelta(hours=1), now - timedelta(seconds=1)
    assert review.missing_answers(now, ahead, [1, 2, 3], {2}) == {1, 3}
    assert review.missing_answers(now, ahead, [1, 2], {1, 2}) == set()
    assert review.missing_answers(now, behind, [1, 2, 3], set()) == set()
    assert review.missing_answers(now, None, [1], set()) == {1}


# --- finalising before the deadline --------------------------------------------------------


def test_minutes_are_not_finalised_before_the_deadline_while_answers_are_missing(
    rakor: ClosedRakor,
) -> None:
    doc = circulated(rakor)
    before = state(doc.id)
    for actor in (rakor.staff_actor, Actor(invitation=rakor.minute_taker)):
        with pytest.raises(Conflict, match="belum menanggapi") as caught:
            workflow.finalise(actor, doc)
        assert "early_close" in caught.value.errors
        assert rakor.chair.person.name in str(caught.value.message)
        assert "WITA" in str(caught.value.message)  # the deadline, in the host's zone
        db.session.rollback()
    with pytest.raises(Conflict, match="belum menanggapi"):
        workflow.finalise(rakor.staff_actor, doc, early_close="   ")
    db.session.rollback()
    # Only the secretariat closes the round early; the minute-taker's link may not.
    with pytest.raises(PermissionDenied, match="Hanya sekretariat"):
        workflow.finalise(Actor(invitation=rakor.minute_taker), doc, early_close=REASON)
    db.session.rollback()
    assert state(doc.id) == before
    assert reload(doc.id).status is DocumentStatus.CIRCULATED


def test_once_everyone_asked_has_answered_the_minute_taker_may_finalise(
    rakor: ClosedRakor,
) -> None:
    doc = circulated(rakor)
    waiting = asked(rakor)
    assert len(waiting) >= 3
    workflow.add_comment(Actor(invitation=waiting[0]), doc, "Mohon tambahkan data stok.")
    for inv in waiting[1:-1]:
        review.no_comment(Actor(invitation=inv), doc)
    with pytest.raises(Conflict, match="1 dari"):
        workflow.finalise(Actor(invitation=rakor.minute_taker), doc)
    db.session.rollback()
    review.no_comment(Actor(invitation=waiting[-1]), doc)
    with pytest.raises(Conflict, match="sudah tercatat"):
        review.no_comment(Actor(invitation=waiting[-1]), doc)
    db.session.rollback()
    workflow.finalise(Actor(invitation=rakor.minute_taker), doc)
    assert doc.status is DocumentStatus.FINAL
    assert "early_close" not in [s.step for s in doc.steps]


def test_the_secretariat_closes_early_with_a_reason_kept_in_the_history(
    rakor: ClosedRakor,
) -> None:
    doc = circulated(rakor)
    review.no_comment(Actor(invitation=rakor.chair), doc)
    workflow.finalise(rakor.staff_actor, doc, early_close=REASON)
    assert doc.status is DocumentStatus.FINAL
    early = next(s for s in doc.steps if s.step == "early_close")
    assert early.actor == rakor.staff.name
    assert early.user_id == rakor.staff.id
    assert early.detail["reason"] == REASON
    assert (early.detail["answered"], early.detail["awaited"]) == (1, len(asked(rakor)))
    steps = [s.step for s in doc.steps]
    assert steps.index("early_close") < steps.index("finalised")


def test_after_the_deadline_the_minutes_are_finalised_without_a_reason(
    rakor: ClosedRakor,
) -> None:
    doc = circulated(rakor)
    doc.comment_deadline_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    workflow.finalise(Actor(invitation=rakor.minute_taker), doc)
    assert doc.status is DocumentStatus.FINAL


def test_the_pages_show_who_answered_and_ask_the_secretariat_for_a_reason(
    app: Flask, auth: Any, rakor: ClosedRakor
) -> None:
    doc = circulated(rakor)
    participant = Link(app, rakor.participant)
    page = text(participant.get(doc.id))
    assert "Tidak ada tanggapan" in page
    assert participant.post(doc.id, "no_comment").status_code == 302
    page = text(participant.get(doc.id))
    assert "Tercatat: Anda tidak punya tanggapan" in page
    assert 'action="' + participant.url(doc.id, "no_comment") + '"' not in page

    taker = text(Link(app, rakor.minute_taker).get(doc.id))
    total = len(asked(rakor))
    assert f"1 dari {total} peserta yang diminta sudah menanggapi" in taker
    assert "Finalkan dokumen" not in taker  # the minute-taker waits
    assert "sekretariat dapat menutup lebih awal" in taker

    auth.login(user=rakor.staff)
    staff = text(auth.client.get(f"/documents/{doc.id}"))
    assert 'name="early_close"' in staff
    assert "Tutup masa komentar dan finalkan" in staff
    before = state(doc.id)
    refused = auth.post(f"/documents/{doc.id}/finalise", {"version": doc.version})
    assert refused.status_code == 409
    assert "belum menanggapi" in text(refused)
    assert state(doc.id) == before
    done = auth.post(
        f"/documents/{doc.id}/finalise", {"version": doc.version, "early_close": REASON}
    )
    assert done.status_code == 302
    history = text(auth.client.get(f"/documents/{doc.id}"))
    assert "Masa komentar ditutup lebih awal" in history
    assert "Tidak ada tanggapan" in history  # the participant's answer, in the history


def test_the_api_refuses_an_early_finalise_without_a_reason(
    app: Flask, api_token: Any, rakor: ClosedRakor
) -> None:
    client = phone(app)
    _user, headers = api_token("secretariat")
    doc = circulated(rakor)
    url = f"/api/v1/documents/{doc.id}"
    shown = client.get(url, headers=headers).get_json()
    assert (shown["can"]["finalise"], shown["can"]["close_early"]) == (True, True)
    refused = client.post(f"{url}/finalise", json={"version": doc.version}, headers=headers)
    assert refused.status_code == 409
    assert "early_close" in refused.get_json()["errors"]
    mine = f"/api/v1/i/{personal_token(rakor.participant)}/documents/{doc.id}"
    assert client.get(mine).get_json()["can"]["no_comment"] is True
    answered = client.post(f"{mine}/no-comment")
    assert answered.status_code == 200
    assert answered.get_json()["can"]["no_comment"] is False
    assert client.post(f"{mine}/no-comment").status_code == 409
    done = client.post(
        f"{url}/finalise", json={"version": doc.version, "early_close": REASON}, headers=headers
    )
    assert done.status_code == 200
    assert [s["step"] for s in done.get_json()["steps"]][-2:] == ["early_close", "finalised"]


# --- the parties of a berita acara --------------------------------------------------------


@pytest.fixture
def parties(rakor: ClosedRakor) -> ClosedRakor:
    """The chair and the Ambon coordinator speak for agencies of their own; the chair and
    the first participant came, the coordinator declined and never checked in."""
    for invitation, name in (
        (rakor.chair, "Sekretariat Daerah Sumba Barat Daya"),
        (rakor.coordinator, "Bappeda Provinsi Maluku"),
    ):
        invitation.person.organization_id = factories.organization(name=name).id
    rakor.coordinator.rsvp = Rsvp.DECLINED
    attend(rakor.participant, rakor.chair)
    db.session.commit()
    return rakor


def test_a_party_who_declined_and_never_came_cannot_be_made_a_party(
    parties: ClosedRakor, auth: Any
) -> None:
    rakor = parties
    with pytest.raises(ValidationError, match="tidak tercatat hadir") as caught:
        agreements.create_agreement(
            rakor.staff_actor, rakor.meeting, [rakor.participant.id, rakor.coordinator.id]
        )
    assert "parties" in caught.value.errors
    db.session.rollback()
    assert rakor.coordinator not in agreements.party_candidates(rakor.meeting)
    doc = agreements.create_agreement(
        rakor.staff_actor, rakor.meeting, [rakor.participant.id, rakor.chair.id]
    )
    with pytest.raises(ValidationError, match="tidak tercatat hadir"):
        agreements.edit_agreement(
            rakor.staff_actor,
            doc,
            {"version": 1, "parties": [rakor.coordinator.id, rakor.chair.id]},
        )
    db.session.rollback()
    # Through the page, the same refusal beside the parties.
    auth.login(user=rakor.staff)
    page = auth.post(
        f"/meetings/{rakor.meeting.id}/documents/agreement",
        {"parties": [str(rakor.coordinator.id), str(rakor.chair.id)], "points": "Sepakat."},
    )
    assert page.status_code == 422
    assert "tidak tercatat hadir di rapat ini" in text(page)


def test_a_party_no_longer_on_the_attendance_cannot_sign(parties: ClosedRakor) -> None:
    rakor = parties
    doc = agreements.create_agreement(
        rakor.staff_actor, rakor.meeting, [rakor.participant.id, rakor.chair.id]
    )
    agreements.finalise_agreement(rakor.staff_actor, doc, 1)
    rendered(doc)
    db.session.execute(
        delete(Attendance).where(
            Attendance.meeting_id == rakor.meeting.id,
            Attendance.person_id == rakor.participant.person_id,
        )
    )
    db.session.commit()
    before = state(doc.id)
    for attempt in (
        lambda: signatures.request_code(Actor(invitation=rakor.participant), doc.id),
        lambda: signatures.sign(Actor(invitation=rakor.participant), doc.id, code="123456"),
    ):
        with pytest.raises(PermissionDenied, match="tidak tercatat hadir"):
            attempt()
        db.session.rollback()
    assert state(doc.id) == before


def test_a_stand_in_who_came_signs_in_their_own_name(parties: ClosedRakor) -> None:
    rakor = parties
    attendance = db.session.query(Attendance).filter_by(person_id=rakor.chair.person_id).one()
    attendance.stand_in_name = "Drs. Umbu Ndaha"
    attendance.stand_in_position = "Kepala Bagian Perekonomian"
    db.session.commit()
    doc = agreements.create_agreement(
        rakor.staff_actor, rakor.meeting, [rakor.participant.id, rakor.chair.id]
    )
    assert doc.content["parties"][1]["representative"] == "Drs. Umbu Ndaha"
    assert doc.content["parties"][1]["position"] == "Kepala Bagian Perekonomian"
    agreements.finalise_agreement(rakor.staff_actor, doc, 1)
    assert doc.signatories[1].name == "Drs. Umbu Ndaha"
    rendered(doc)
    sign_with_code(rakor.participant, doc.id)
    signed = sign_with_code(rakor.chair, doc.id)
    assert signed.status is DocumentStatus.DISTRIBUTED
