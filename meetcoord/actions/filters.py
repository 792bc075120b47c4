"""From a query string to a :class:`~.queries.TrackerQuery`, and the choices the
tracker's filter bar offers (only what the reader may see)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from meetcoord.access import scope
from meetcoord.access.models import Institution
from meetcoord.actions.models import Action
from meetcoord.actions.queries import SORTS, TrackerQuery
from meetcoord.actions.workflow import parse_status
from meetcoord.core.validation import parse_int
from meetcoord.directory.models import Forum, Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, Series

ID_FILTERS = (
    "institution_id",
    "forum_id",
    "series_id",
    "meeting_id",
    "organization_id",
    "person_id",
)


def _day(raw: Any) -> date | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def from_args(args: Mapping[str, str], per_page: int) -> TrackerQuery:
    """The tracker's query from a page's query string; a value that means nothing is
    ignored (a bookmarked link with a stale filter still shows a list)."""
    ids = {name: parse_int(args.get(name), minimum=1) for name in ID_FILTERS}
    sort = args.get("sort", "due_on")
    return TrackerQuery(
        q=args.get("q", "").strip()[:200],
        locus=args.get("locus", "").strip()[:200],
        status=parse_status(args.get("status")),
        due_from=_day(args.get("due_from")),
        due_to=_day(args.get("due_to")),
        overdue=args.get("overdue") in ("1", "on", "true"),
        sort=sort if sort in SORTS else "due_on",
        descending=args.get("order") == "desc",
        page=parse_int(args.get("page"), minimum=1) or 1,
        per_page=per_page,
        **ids,
    )


def choices(user: Any) -> dict[str, list[tuple[int, str]]]:
    """Institutions, forums, series and agencies for the filter bar, within reach."""
    reach = scope.reach_of(user)
    institutions = select(Institution.id, Institution.name).order_by(Institution.name)
    if not reach.everything:
        institutions = institutions.where(Institution.id.in_(sorted(reach.seen)))
    forums = select(Forum.id, Forum.name).order_by(Forum.name)
    series = select(Series.id, Series.title).order_by(Series.title)
    # The agencies with an action in reach: one probe per organization (by the actions'
    # organization index) rather than a DISTINCT over every action in reach.
    owes = (
        select(Action.id)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(Action.organization_id == Organization.id)
    )
    if (mine := scope.owned_by_reach(user, Forum)) is not None:
        forums = forums.where(mine)
    if (mine := scope.owned_by_reach(user, Series)) is not None:
        series = series.where(mine)
    if (mine := scope.owned_by_reach(user, Meeting)) is not None:
        owes = owes.where(mine)
    agencies = (
        select(Organization.id, Organization.name).where(owes.exists()).order_by(Organization.name)
    )
    return {
        "institution_id": [tuple(row) for row in db.session.execute(institutions)],
        "forum_id": [tuple(row) for row in db.session.execute(forums)],
        "series_id": [tuple(row) for row in db.session.execute(series)],
        "organization_id": [tuple(row) for row in db.session.execute(agencies)],
    }
