"""The status workflow: open → in_progress → done → verified (secretariat), or dropped
with a reason; refused steps change nothing; due-date changes need a reason and keep the
date the meeting agreed; every change is one history row."""

from __future__ import annotations

from datetime import date

import pytest

from meetcoord.accounts.models import Role
from meetcoord.actions import services, workflow
from meetcoord.actions.models import Action, ActionStatus, UpdateKind
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.extensions import db
from tests import factories
from tests.actions import support


def test_the_workflow_table_is_what_the_issue_says() -> None:
    S = ActionStatus
    assert workflow.allowed(S.OPEN, S.IN_PROGRESS)
    assert workflow.allowed(S.IN_PROGRESS, S.DONE)
    assert workflow.allowed(S.DONE, S.VERIFIED)
    for status in (S.OPEN, S.IN_PROGRESS, S.DONE):
        assert workflow.allowed(status, S.DROPPED)
    assert not workflow.allowed(S.OPEN, S.VERIFIED)
    assert not workflow.allowed(S.IN_PROGRESS, S.OPEN)
    for final in (S.VERIFIED, S.DROPPED):
        assert workflow.NEXT[final] == frozenset()
    assert workflow.parse_status("selesai") is None
    assert workflow.parse_status(" done ") is S.DONE


def test_open_to_verified_records_every_step() -> None:
    action = support.action()
    staff = factories.user(Role.SECRETARIAT)
    services.add_update(staff, action, {"status": "in_progress", "percentage": "40"})
    services.add_update(staff, action, {"note": "Data 12 desa terkumpul", "milestone": "Tahap 1"})
    services.add_update(staff, action, {"status": "done"})
    services.change_status(staff, action, {"status": "verified", "note": "Sesuai"})

    db.session.expire_all()
    found = db.session.get(Action, action.id)
    assert found.status is ActionStatus.VERIFIED
    assert found.closed_at is not None
    rows = found.updates
    assert [(r.status_before, r.status_after) for r in rows] == [
        ("open", "in_progress"),
        ("in_progress", "in_progress"),
        ("in_progress", "done"),
        ("done", "verified"),
    ]
    assert rows[0].percentage == 40
    assert rows[0].kind is UpdateKind.PROGRESS
    assert rows[0].changes == {"status": ["open", "in_progress"]}
    assert rows[1].changes == {}
    assert rows[1].milestone == "Tahap 1"
    assert rows[3].kind is UpdateKind.STATUS
    assert rows[3].note == "Sesuai"
    assert rows[3].changes == {"status": ["done", "verified"]}
    assert all(r.user_id == staff.id and r.by_label == staff.name for r in rows)
    assert all(r.at.tzinfo is not None and r.at <= utcnow() for r in rows)


@pytest.mark.parametrize(
    ("start", "target"),
    [("open", "verified"), ("in_progress", "open"), ("verified", "done"), ("dropped", "open")],
)
def test_an_invalid_step_is_refused_and_changes_nothing(start: str, target: str) -> None:
    action = support.action(status=ActionStatus(start))
    staff = factories.user(Role.SECRETARIAT)
    with pytest.raises(ValidationError) as refused:
        services.add_update(staff, action, {"status": target, "note": "coba", "reason": "x"})
    assert refused.value.status == 422
    assert "status" in refused.value.errors
    assert support.history(action) == []
    assert db.session.get(Action, action.id).status is ActionStatus(start)


def test_an_unknown_status_or_an_empty_update_is_refused() -> None:
    action = support.action()
    staff = factories.user(Role.SECRETARIAT)
    for data in ({"status": "finished"}, {}, {"note": "   "}, {"percentage": "101"}):
        with pytest.raises(ValidationError):
            services.add_update(staff, action, data)
    assert support.history(action) == []


def test_dropping_needs_a_reason_and_is_final() -> None:
    action = support.action(status=ActionStatus.IN_PROGRESS)
    staff = factories.user(Role.SECRETARIAT)
    with pytest.raises(ValidationError) as refused:
        services.change_status(staff, action, {"status": "dropped", "reason": "  "})
    assert "reason" in refused.value.errors
    assert support.history(action) == []
    services.change_status(staff, action, {"status": "dropped", "reason": "Anggaran dialihkan"})
    assert action.status is ActionStatus.DROPPED
    with pytest.raises(ValidationError):
        services.add_update(staff, action, {"note": "masih dikerjakan"})
    assert len(support.history(action)) == 1


def test_a_viewer_member_may_not_update_and_nothing_changes() -> None:
    action = support.action()
    viewer = factories.user(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.add_update(viewer, action, {"status": "in_progress"})
    assert support.history(action) == []


def test_a_withdrawn_action_takes_no_update() -> None:
    action = support.action(withdrawn_at=utcnow(), withdrawn_reason="Salah catat")
    with pytest.raises(Conflict):
        services.add_update(factories.user(), action, {"note": "x"})


def test_a_due_date_change_needs_a_reason_and_keeps_the_original() -> None:
    action = support.action(due_on=date(2030, 3, 31))
    staff = factories.user(Role.SECRETARIAT)
    for data in ({"due_on": "2030-04-30"}, {"due_on": "2030-04-30", "reason": " "}):
        with pytest.raises(ValidationError) as refused:
            services.change_due(staff, action, data)
        assert "reason" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        services.change_due(staff, action, {"due_on": "30/04/2030", "reason": "Banjir"})
    assert "due_on" in refused.value.errors
    db.session.expire_all()
    unchanged = db.session.get(Action, action.id)
    assert (unchanged.due_on, unchanged.original_due_on) == (date(2030, 3, 31), None)
    assert support.history(action) == []

    services.change_due(staff, unchanged, {"due_on": "2030-04-30", "reason": "Banjir"})
    services.change_due(staff, unchanged, {"due_on": "2030-05-31", "reason": "Data BPS"})
    db.session.expire_all()
    moved = db.session.get(Action, action.id)
    assert moved.due_on == date(2030, 5, 31)
    assert moved.original_due_on == date(2030, 3, 31)
    assert [(r.kind, r.changes, r.reason) for r in moved.updates] == [
        (UpdateKind.DUE, {"due_on": ["2030-03-31", "2030-04-30"]}, "Banjir"),
        (UpdateKind.DUE, {"due_on": ["2030-04-30", "2030-05-31"]}, "Data BPS"),
    ]


def test_a_viewer_may_not_verify_or_move_the_due_date() -> None:
    action = support.action(status=ActionStatus.DONE)
    viewer = factories.user(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.change_status(viewer, action, {"status": "verified"})
    with pytest.raises(PermissionDenied):
        services.change_due(viewer, action, {"due_on": "2031-01-01", "reason": "x"})
    assert support.history(action) == []
