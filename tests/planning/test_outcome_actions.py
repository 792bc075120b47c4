"""Matrix rows become follow-up actions (issue 14, point 3): accommodated rows for their
agency, carried rows for the agency chosen; once per row, linked both ways, in the
tracker and the minutes; allowed after the lock; another institution's meeting is not
found."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from meetcoord.access.actors import Actor
from meetcoord.accounts.services import create_token
from meetcoord.actions.models import Action
from meetcoord.core.audit import AuditEntry
from meetcoord.core.errors import NotFound, PermissionDenied, ValidationError
from meetcoord.documents.models import DocumentStatus
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.planning import outcome
from meetcoord.planning.locks import matrix_locked
from meetcoord.planning.models import MarkOutcome, SyncMark
from tests import factories
from tests.documents_support import ClosedRakor, ensure_ca, final_minutes
from tests.planning.outcome_support import Matrix, pdf_text, twenty_marks

DUE = "2027-03-31"


@pytest.fixture
def staff(app: Flask) -> Any:
    return factories.user("secretariat")


@pytest.fixture
def matrix(staff: Any) -> Matrix:
    return twenty_marks(factories.meeting(by=staff))


def actions_of(meeting: Meeting) -> list[Action]:
    db.session.expire_all()
    stmt = select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
    return list(db.session.scalars(stmt))


def links(matrix: Matrix) -> dict[int, int | None]:
    db.session.expire_all()
    return {m.id: db.session.get(SyncMark, m.id).action_id for m in matrix.marks}


def test_all_rows_become_actions_once_linked_both_ways(staff: Any, matrix: Matrix) -> None:
    actor = Actor(user=staff)
    meeting = matrix.meeting
    # Three carried rows name no agency: without one chosen, nothing is made.
    with pytest.raises(ValidationError) as refused:
        outcome.create_actions(actor, meeting, {"due_on": DUE})
    assert "organization_id" in refused.value.errors
    db.session.rollback()
    assert actions_of(meeting) == []
    assert set(links(matrix).values()) == {None}

    chosen = matrix.agencies[1]
    made = outcome.create_actions(actor, meeting, {"due_on": DUE, "organization_id": chosen.id})
    assert len(made) == 13
    linked = links(matrix)
    by_id = {a.id: a for a in actions_of(meeting)}
    assert len(by_id) == 13
    for mark in matrix.marks:
        action = by_id.get(linked[mark.id])
        if mark.outcome not in (MarkOutcome.ACCOMMODATED, MarkOutcome.CARRIED):
            assert linked[mark.id] is None
            continue
        proposal, village = mark.proposal, mark.proposal.village
        assert action is not None
        assert proposal.title in action.title
        assert village.name in action.title
        assert action.locus == village.name
        assert action.due_on == date(2027, 3, 31)
        if mark.outcome is MarkOutcome.ACCOMMODATED:
            assert action.title.startswith("Laksanakan usulan")
            assert action.organization_id == mark.organization_id
        else:
            assert action.title.startswith("Kawal usulan")
            assert action.title.endswith("ke Musrenbangkab")
            # The chosen agency fills only the carried rows whose mark names none.
            assert action.organization_id == (mark.organization_id or chosen.id)
    audits = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sync_mark.action")
    )
    assert audits == 13

    # Again, all at once or row by row: nothing new.
    repeat = {"due_on": DUE, "organization_id": chosen.id}
    assert outcome.create_actions(actor, meeting, repeat) == []
    row = matrix.of(MarkOutcome.ACCOMMODATED)[0]
    assert outcome.create_actions(actor, meeting, {"due_on": DUE, "mark_id": row.id}) == []
    assert len(actions_of(meeting)) == 13
    assert links(matrix) == linked


def test_one_row_at_a_time_and_each_refusal_changes_nothing(staff: Any, matrix: Matrix) -> None:
    actor = Actor(user=staff)
    meeting = matrix.meeting
    other = twenty_marks(factories.meeting(by=staff), tag=" (lain)")
    merged = matrix.of(MarkOutcome.MERGED)[0]
    carried = matrix.of(MarkOutcome.CARRIED)[0]
    refusals = [
        ({"mark_id": merged.id}, "mark_id", "diakomodasi atau dibawa"),
        ({"mark_id": other.marks[0].id}, "mark_id", "tidak ada di rapat ini"),
        ({"mark_id": "x"}, "mark_id", "tidak ada di rapat ini"),
        ({"mark_id": carried.id}, "organization_id", "Pilih instansi"),
        ({"mark_id": carried.id, "organization_id": 999_999}, "organization_id", "tidak dikenal"),
        ({"mark_id": carried.id, "due_on": "besok"}, "due_on", "Pilih tenggat"),
        ({"mark_id": carried.id, "due_on": "2020-01-01"}, "due_on", "sebelum tanggal rapat"),
    ]
    for data, field, text in refusals:
        data = {"due_on": DUE, **data}
        with pytest.raises(ValidationError, match=text) as refused:
            outcome.create_actions(actor, meeting, data)
        assert field in refused.value.errors, data
        db.session.rollback()
    assert actions_of(meeting) == []

    made = outcome.create_actions(
        actor,
        meeting,
        {"due_on": DUE, "mark_id": str(carried.id), "organization_id": str(matrix.agencies[2].id)},
    )
    assert [a.organization_id for a in made] == [matrix.agencies[2].id]
    assert links(matrix)[carried.id] == made[0].id
    assert len(actions_of(meeting)) == 1


def test_only_staff_who_arrange_the_meeting(matrix: Matrix) -> None:
    viewer = factories.user("viewer")
    with pytest.raises(PermissionDenied):
        outcome.create_actions(Actor(user=viewer), matrix.meeting, {"due_on": DUE})
    stranger = factories.user("secretariat", institution=factories.institution())
    with pytest.raises(NotFound):
        outcome.create_actions(Actor(user=stranger), matrix.meeting, {"due_on": DUE})
    db.session.rollback()
    assert actions_of(matrix.meeting) == []


def test_actions_are_made_after_the_lock_and_leave_the_matrix_as_it_was(
    staff: Any, matrix: Matrix
) -> None:
    factories.document(matrix.meeting, status=DocumentStatus.SIGNED)
    db.session.commit()
    assert matrix_locked(matrix.meeting.id)
    before = outcome.matrix_rows(matrix.meeting)
    made = outcome.create_actions(
        Actor(user=staff),
        matrix.meeting,
        {"due_on": DUE, "organization_id": matrix.agencies[0].id},
    )
    assert len(made) == 13
    db.session.expire_all()
    assert outcome.matrix_rows(matrix.meeting) == before


def bearer(user: Any) -> dict[str, str]:
    _token, secret = create_token(None, user, "test")
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_makes_them_once_and_the_tracker_lists_them(
    client: Any, staff: Any, matrix: Matrix
) -> None:
    url = f"/api/v1/meetings/{matrix.meeting.id}/matrix/actions"
    headers = bearer(staff)
    bad = client.post(url, json={"organization_id": matrix.agencies[0].id}, headers=headers)
    assert bad.status_code == 422
    assert bad.content_type.startswith("application/problem+json")
    refused = client.post(url, json={"due_on": DUE}, headers=headers)
    assert refused.status_code == 422
    assert "organization_id" in refused.get_json()["errors"]
    assert actions_of(matrix.meeting) == []

    body = {"due_on": DUE, "organization_id": matrix.agencies[0].id}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["count"] == 13
    titles = {a["title"] for a in first.get_json()["created"]}
    second = client.post(url, json=body, headers=headers)
    assert second.get_json() == {"created": [], "count": 0}

    tracker = client.get(
        f"/api/v1/actions?meeting_id={matrix.meeting.id}&per_page=50", headers=headers
    )
    assert tracker.status_code == 200
    listed = tracker.get_json()
    assert listed["total"] == 13
    assert {a["title"] for a in listed["items"]} == titles
    assert {a["locus"] for a in listed["items"]} == {v.name for v in matrix.villages}

    # Another institution's staff: not found, nothing made.
    stranger = factories.user("secretariat", institution=factories.institution())
    hidden = client.post(url, json=body, headers=bearer(stranger))
    assert hidden.status_code == 404
    assert len(actions_of(matrix.meeting)) == 13


def test_the_page_lists_the_rows_and_makes_one_action_per_button(
    auth: Any, staff: Any, matrix: Matrix
) -> None:
    auth.login(user=staff)
    url = f"/meetings/{matrix.meeting.id}/matrix/outcome"
    page = auth.client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.count('name="mark_id"') == 13
    assert "Buat semua tindak lanjut" in body
    row = matrix.of(MarkOutcome.ACCOMMODATED)[0]
    made = auth.post(f"{url}/actions", {"mark_id": str(row.id), "due_on": DUE})
    assert made.status_code == 302
    assert links(matrix)[row.id] is not None
    again = auth.client.get(url).get_data(as_text=True)
    assert again.count('name="mark_id"') == 12
    assert "Lihat tindak lanjut" in again
    # A refusal: the page again with the reason, nothing made.
    carried = matrix.of(MarkOutcome.CARRIED)[0]
    refused = auth.post(f"{url}/actions", {"mark_id": str(carried.id), "due_on": ""})
    assert refused.status_code == 422
    assert "Pilih tenggat" in refused.get_data(as_text=True)
    assert len(actions_of(matrix.meeting)) == 1


def test_another_institutions_page_is_not_found(auth: Any, matrix: Matrix) -> None:
    auth.login(user=factories.user("secretariat", institution=factories.institution()))
    url = f"/meetings/{matrix.meeting.id}/matrix/outcome"
    assert auth.client.get(url).status_code == 404
    assert auth.post(f"{url}/actions", {"due_on": DUE}).status_code == 404
    assert actions_of(matrix.meeting) == []


def test_the_carried_actions_appear_in_the_minutes_pdf(app: Flask) -> None:
    ensure_ca(app)
    rakor = ClosedRakor(app)
    matrix = twenty_marks(rakor.meeting)
    agency = matrix.agencies[2]
    outcome.create_actions(
        rakor.staff_actor, rakor.meeting, {"due_on": DUE, "organization_id": agency.id}
    )
    text = pdf_text(final_minutes(rakor).current_file.pdf)
    assert "Rencana tindak lanjut" in text
    for mark in matrix.of(MarkOutcome.CARRIED):
        assert f'Kawal usulan "{mark.proposal.title}" ({mark.proposal.village.name})' in text
    assert "Laksanakan usulan" in text
    assert "31 Maret 2027" in text
