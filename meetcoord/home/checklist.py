"""The first-run checklist: what an empty installation needs before its first meeting.

Four steps, each ticked from real data, never from a "done" flag a person could forget
to set: the actor's institutions have a letterhead (an address and the city letters are
issued in; the logo is optional, a letter prints without one), the shared
directory has a venue and people, and the actor's institutions have a meeting. Each links
to the page that does it — or, when the actor may not (a secretariat cannot edit an
institution), says who can. The page shows the list until every step is done, and not at
all to a read-only viewer, who can do none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import or_, select

from meetcoord.access import scope
from meetcoord.access.institutions import working_institutions
from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission, allowed
from meetcoord.directory.models import Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting

STEP_KEYS = ("letterhead", "venues", "people", "meeting")


@dataclass
class Step:
    """``url`` is None when the actor cannot do this step themselves."""

    key: str
    done: bool
    url: str | None


@dataclass
class Checklist:
    steps: list[Step] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _first(stmt: Any) -> Any:
    return db.session.scalar(stmt.limit(1))


def _letterhead(user: Any) -> Step:
    """Done when none of the actor's working institutions lacks its letterhead."""
    ids = [inst.id for inst in working_institutions(user)]
    lacking = (
        _first(
            select(Institution.id)
            .where(
                Institution.id.in_(ids),
                or_(
                    Institution.address.is_(None),
                    Institution.address == "",
                    Institution.city.is_(None),
                    Institution.city == "",
                ),
            )
            .order_by(Institution.name)
        )
        if ids
        else None
    )
    url = None
    if user.is_admin():
        url = (
            url_for("institution_admin.edit", institution_id=lacking)
            if lacking is not None
            else url_for("institution_admin.index")
        )
    return Step("letterhead", bool(ids) and lacking is None, url)


def checklist(user: Any) -> Checklist | None:
    """The steps for ``user``, or None for an account that can do none of them."""
    if not allowed(user, Permission.MEETING_ARRANGE, somewhere=True):
        return None
    edits = allowed(user, Permission.DIRECTORY_EDIT, somewhere=True)
    mine = scope.owned_by_reach(user, Meeting)
    meetings = select(Meeting.id) if mine is None else select(Meeting.id).where(mine)
    return Checklist(
        [
            _letterhead(user),
            Step(
                "venues",
                _first(select(Venue.id)) is not None,
                url_for("directory.venue_new") if edits else None,
            ),
            Step(
                "people",
                _first(select(Person.id)) is not None,
                url_for("directory.people_import") if edits else None,
            ),
            Step("meeting", _first(meetings) is not None, url_for("meetings.new")),
        ]
    )
