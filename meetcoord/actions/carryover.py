"""Carry-over: the earlier meetings' open actions, reviewed in the next meeting (issue 13.4).

A meeting of a series or forum that follows an earlier one has the standing item "Tinjauan
tindak lanjut" (``meetings.standing``). Its review lists every action of the earlier
meetings of that series or forum, of the same institution, that is still open (not
verified, not dropped, not withdrawn) — plus any the meeting itself has already moved,
so that an action verified during the review stays on the list and in the minutes.

During the meeting the chair or the minute-taker (or the institution's staff), or the
person of the responsible agency from their phone, updates an action's status through the
live room (``live.review``); :func:`stage_review` applies the tracker's own workflow rules
(``services.stage_update``) inside the event log's transaction and records the meeting.
:func:`review_rows` gives the minutes the table: each action with its status before and
after this meeting and the notes made in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.actions import services, workflow
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action, ActionStatus, ActionUpdate
from meetcoord.core.errors import PermissionDenied, ValidationError
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.standing import lineage

# A review lists at most this many actions (a forum's year rarely leaves more open); the
# oldest come first, so what has waited longest is never the part left off.
REVIEW_MAX = 300
OPEN_STATES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
NOT_IN_REVIEW = _l("Tindak lanjut ini tidak termasuk dalam tinjauan rapat ini.")
OTHER_AGENCY = _l("Anda hanya dapat memperbarui tindak lanjut instansi Anda sendiri.")


def review_actions(meeting: Meeting, organization_id: int | None = None) -> list[Action]:
    """The actions ``meeting`` reviews, oldest meeting first (at most :data:`REVIEW_MAX`).

    Open actions of earlier meetings of its series or forum, of its institution, and any
    such action already updated in this meeting. ``organization_id``: one agency's only.
    """
    conditions = lineage(meeting)
    if not conditions:
        return []
    moved_here = select(ActionUpdate.action_id).where(ActionUpdate.meeting_id == meeting.id)
    stmt = (
        select(Action)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(
            *conditions,
            Action.withdrawn_at.is_(None),
            or_(Action.status.in_(OPEN_STATES), Action.id.in_(moved_here)),
        )
        .options(
            selectinload(Action.organization),
            selectinload(Action.person),
            selectinload(Action.meeting),
        )
        .order_by(Meeting.start_at, Action.id)
        .limit(REVIEW_MAX)
    )
    if organization_id is not None:
        stmt = stmt.where(Action.organization_id == organization_id)
    return list(db.session.scalars(stmt))


def in_review(meeting: Meeting, action_id: Any) -> Action:
    """One action of ``meeting``'s review; any other (or none) is refused."""
    action = db.session.get(Action, action_id) if isinstance(action_id, int) else None
    if action is None or action.is_withdrawn or action.meeting_id == meeting.id:
        raise ValidationError(NOT_IN_REVIEW, errors={"action_id": [NOT_IN_REVIEW]})
    conditions = lineage(meeting)
    found = conditions and db.session.scalar(
        select(Action.id)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.id == action.id, *conditions)
    )
    if not found:
        raise ValidationError(NOT_IN_REVIEW, errors={"action_id": [NOT_IN_REVIEW]})
    return action


def may_review_all(actor: Actor) -> bool:
    """The chair, the minute-taker, the institution's staff: any action of the review."""
    return actor.may(Permission.LIVE_RECORD)


def agency_of(actor: Actor) -> int | None:
    """The organization a personal link's person belongs to (their agency), or None."""
    invitation = actor.invitation
    if invitation is None or invitation.person is None:
        return None
    return invitation.person.organization_id


def stage_review(
    actor: Actor, meeting: Meeting, action_id: Any, data: Mapping[str, Any]
) -> ActionUpdate:
    """Update one reviewed action in the current transaction (the live command commits).

    The recorders may take every step; verifying and dropping stay with the chair and
    the secretariat. The responsible agency's person may move their own agency's action
    towards done; another agency's action is refused and nothing is written.
    """
    action = in_review(meeting, action_id)
    if may_review_all(actor):
        closer = actor.may(Permission.LIVE_RUN)
        row, _files = services.stage_update(
            actor, action, data, meeting_id=meeting.id, closer=closer
        )
        return row
    agency = agency_of(actor)
    if agency is None or agency != action.organization_id:
        raise PermissionDenied(OTHER_AGENCY)
    target = workflow.parse_status(data.get("status")) if data.get("status") else None
    if (
        target is not None
        and target != action.status
        and not workflow.agency_allowed(action.status, target)
    ):
        message = _l(
            "Dari telepon Anda status hanya dapat diubah menjadi %(steps)s; verifikasi dan "
            "penghentian dilakukan sekretariat (sekarang: %(status)s).",
            steps=", ".join(str(STATUS_LABELS[s]) for s in workflow.AGENCY_ORDER),
            status=STATUS_LABELS[action.status],
        )
        raise ValidationError(message, errors={"status": [message]})
    row, _files = services.stage_update(actor, action, data, meeting_id=meeting.id, closer=False)
    return row


def review_dict(action: Action, meeting_id: int) -> dict[str, Any]:
    """A reviewed action as the live room's clients show it."""
    row = review_row(action, meeting_id)
    return {
        "id": action.id,
        "title": action.title,
        "organization_id": action.organization_id,
        "organization": action.organization.name,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "status": action.status.value,
        "status_label": str(STATUS_LABELS[action.status]),
        "before": row.before.value,
        "note": row.note,
    }


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review table: the action, and what this meeting did to it."""

    action: Action
    before: ActionStatus  # when the meeting took it up
    after: ActionStatus  # now (the same when the meeting did not move it)
    note: str  # the notes made in this meeting, in order


def review_row(action: Action, meeting_id: int) -> ReviewRow:
    updates = [u for u in action.updates if u.meeting_id == meeting_id]
    first = updates[0].status_before if updates else None
    before = ActionStatus(first) if first else action.status
    notes = "; ".join(text for u in updates if (text := u.note or u.reason))
    return ReviewRow(action, before, action.status, notes)


def review_rows(meeting: Meeting) -> list[ReviewRow]:
    """The review table of ``meeting`` (the minutes print it), oldest actions first."""
    actions = review_actions(meeting)
    if not actions:
        return []
    db.session.execute(  # the history of all of them in one query, not one per action
        select(Action)
        .where(Action.id.in_([a.id for a in actions]))
        .options(selectinload(Action.updates))
    ).all()
    return [review_row(action, meeting.id) for action in actions]
