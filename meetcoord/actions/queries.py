"""Reading actions: the tracker's list across meetings, one action, one evidence file.

An action belongs to its meeting, so what a staff account may see is what
``access.scope.owned_by_reach`` keeps of the meetings; an action outside that reach is
not found, exactly like a missing id. Withdrawn actions (struck out in the meeting) are
not followed up and stay out of the tracker's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, selectinload

from meetcoord.access import scope
from meetcoord.access.actors import as_actor
from meetcoord.access.permissions import Permission, require
from meetcoord.actions.models import Action, ActionEvidence, ActionStatus, ActionUpdate
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.core.pagination import LIKE_ESCAPE, Page, like_pattern, paginate
from meetcoord.core.timezones import to_zone
from meetcoord.directory.models import Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, Series

SORTS = ("due_on", "status", "organization", "meeting")
# Still owed: an action past its due date in one of these states is overdue.
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class TrackerQuery:
    """The tracker's filters, sort and page (the pages and the API share it)."""

    q: str = ""
    institution_id: int | None = None
    forum_id: int | None = None
    series_id: int | None = None
    meeting_id: int | None = None
    organization_id: int | None = None
    person_id: int | None = None
    locus: str = ""
    status: ActionStatus | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    sort: str = "due_on"
    descending: bool = False
    page: int = 1
    per_page: int = 25


def today() -> date:
    """Today in the installation's home zone: the day a due date is compared with."""
    return to_zone(utcnow(), current_app.config["HOME_TIMEZONE"]).date()


def is_overdue(action: Action, on: date | None = None) -> bool:
    return (
        action.due_on is not None and action.status in PENDING and action.due_on < (on or today())
    )


def _filtered(stmt: Select[Any], query: TrackerQuery) -> Select[Any]:
    if query.q.strip():
        stmt = stmt.where(Action.title.ilike(like_pattern(query.q), escape=LIKE_ESCAPE))
    if query.institution_id is not None:
        stmt = stmt.where(
            or_(
                Meeting.institution_id == query.institution_id,
                Meeting.cohost_institution_id == query.institution_id,
            )
        )
    # A forum's or a series' actions are those of its meetings: asked as "meeting_id IN
    # (its meetings)", SQLite walks them by (meeting_id, status, due_on) rather than every
    # action of a status, which grows with the whole table.
    # A forum's meetings include those of its series (as the dashboards and the forum
    # summary mail count them), so the summary's link lists the same actions.
    of = aliased(Meeting)
    if query.forum_id is not None:
        of_forum = or_(
            of.forum_id == query.forum_id,
            of.series_id.in_(select(Series.id).where(Series.forum_id == query.forum_id)),
        )
        stmt = stmt.where(Action.meeting_id.in_(select(of.id).where(of_forum)))
    if query.series_id is not None:
        stmt = stmt.where(
            Action.meeting_id.in_(select(of.id).where(of.series_id == query.series_id))
        )
    for column, value in (
        (Action.meeting_id, query.meeting_id),
        (Action.organization_id, query.organization_id),
        (Action.person_id, query.person_id),
        (Action.status, query.status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if query.locus.strip():
        stmt = stmt.where(Action.locus.ilike(like_pattern(query.locus), escape=LIKE_ESCAPE))
    if query.due_from is not None:
        stmt = stmt.where(Action.due_on >= query.due_from)
    if query.due_to is not None:
        stmt = stmt.where(Action.due_on <= query.due_to)
    if query.overdue:
        stmt = stmt.where(Action.due_on < today(), Action.status.in_(PENDING))
    return stmt


def _ordered(stmt: Select[Any], query: TrackerQuery) -> Select[Any]:
    def way(column: Any) -> Any:
        return column.desc() if query.descending else column.asc()

    if query.sort == "status":
        keys = [way(Action.status), Action.due_on.asc().nulls_last()]
    elif query.sort == "organization":
        stmt = stmt.join(Organization, Organization.id == Action.organization_id)
        keys = [way(Organization.name), Action.due_on.asc().nulls_last()]
    elif query.sort == "meeting":
        keys = [way(Meeting.start_at), Action.id.asc()]
    else:  # due date; actions without one last either way
        keys = [way(Action.due_on).nulls_last()]
    return stmt.order_by(*keys, Action.id.asc())


def tracker_select(user: Any, query: TrackerQuery, what: Any = Action) -> Select[Any]:
    """``select(what)`` over the actions ``user`` may see, with the tracker's filters and
    sort and no page: the list and the exports (``what=Action.id``) read the same rows in
    the same order."""
    stmt: Select[Any] = (
        select(what)
        .select_from(Action)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.withdrawn_at.is_(None))
    )
    if (mine := scope.owned_by_reach(user, Meeting)) is not None:
        stmt = stmt.where(mine)
    return _ordered(_filtered(stmt, query), query)


def list_actions(user: Any, query: TrackerQuery) -> Page[Action]:
    """The actions of every meeting ``user`` may see, filtered, sorted and paged."""
    stmt = tracker_select(user, query).options(
        selectinload(Action.organization),
        selectinload(Action.person),
        selectinload(Action.meeting),
    )
    return paginate(stmt, query.page, query.per_page)


def get_action(who: Any, action_id: int) -> Action:
    """One action its reader may see (the meeting's staff); else not found."""
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound(scope.NOT_FOUND)
    require(as_actor(who), Permission.MEETING_VIEW, action)
    return action


def get_evidence(who: Any, action_id: int, evidence_id: int) -> ActionEvidence:
    """An evidence file of this action, for whoever may see the action."""
    action = get_action(who, action_id)
    found = db.session.get(ActionEvidence, evidence_id)
    if found is None or found.action_id != action.id:
        raise NotFound(scope.NOT_FOUND)
    return found


def history(action: Action) -> list[ActionUpdate]:
    """Every change of ``action``, newest first, with its evidence."""
    return list(
        db.session.scalars(
            select(ActionUpdate)
            .where(ActionUpdate.action_id == action.id)
            .options(selectinload(ActionUpdate.evidence))
            .order_by(ActionUpdate.id.desc())
        )
    )
