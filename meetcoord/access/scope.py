"""Whose work a staff account may see and work on: one answer for every feature.

An institution owns its meetings, series, forums and documents (``institution_id``); a
meeting may also have a co-host (``cohost_institution_id``) whose staff work on it too.
A staff account sees the work of every institution it is a member of, in any role, and
works on (edits, sends, exports, runs) the work of those where it is admin or secretariat.
An administrator of the installation sees and works on everything.

Anything outside an account's reach is *not found* for it, never "forbidden": a 403 would
tell an NTB secretariat that meeting 41 exists and belongs to somebody else. Inside its
reach but without a working role (a viewer) it is forbidden, since the page is already
visible. Lists filter with :func:`owned_by_reach`; single objects go through the
permission table (``access.permissions``: ``visible``, ``require``), which asks
:func:`reach_of` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from meetcoord.access.models import WORKING_ROLES, Membership
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User


NOT_FOUND = _l("Data tidak ditemukan.")
VIEW_ONLY = _l("Anda hanya dapat melihat pekerjaan lembaga ini, tidak mengubahnya.")


@dataclass(frozen=True)
class Reach:
    """The institutions an account sees (``seen``) and works for (``worked``)."""

    everything: bool
    seen: frozenset[int]
    worked: frozenset[int]

    def sees(self, *institution_ids: int | None) -> bool:
        return self.everything or any(i in self.seen for i in institution_ids if i is not None)

    def works(self, *institution_ids: int | None) -> bool:
        return self.everything or any(i in self.worked for i in institution_ids if i is not None)


NOBODY = Reach(False, frozenset(), frozenset())


def reach_of(user: User | None) -> Reach:
    """``user``'s reach, read once per request and account (outside a request, each time:
    a script or test may change memberships between two questions)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return NOBODY
    if user.is_admin():
        return Reach(True, frozenset(), frozenset())
    cache: dict[int, Reach] | None = None
    if has_request_context():
        cache = g.setdefault("access_reach", {})
        if user.id in cache:
            return cache[user.id]
    rows = db.session.execute(
        select(Membership.institution_id, Membership.role).where(Membership.user_id == user.id)
    ).all()
    found = Reach(
        False,
        frozenset(row.institution_id for row in rows),
        frozenset(row.institution_id for row in rows if row.role in WORKING_ROLES),
    )
    if cache is not None:
        cache[user.id] = found
    return found


def forget_reach() -> None:
    """A membership changed in this request: read every reach again."""
    if has_request_context():
        g.pop("access_reach", None)


def owners(obj: Any) -> tuple[int | None, ...]:
    """The institutions that own ``obj``: its own, a meeting's co-host, and for anything
    of a meeting (a site, an agenda item, an invitation, a document) that meeting's."""
    found = [getattr(obj, "institution_id", None), getattr(obj, "cohost_institution_id", None)]
    for parent in (getattr(obj, "meeting", None), getattr(obj, "forum", None)):
        if parent is not None and parent is not obj and hasattr(parent, "institution_id"):
            found += [parent.institution_id, getattr(parent, "cohost_institution_id", None)]
    return tuple(found)


def owned_by_reach(user: User | None, model: Any) -> ColumnElement[bool] | None:
    """A WHERE clause for ``select(model)`` keeping what ``user`` sees; None: everything."""
    reach = reach_of(user)
    if reach.everything:
        return None
    if not reach.seen:
        return false()
    ids = sorted(reach.seen)
    clauses = [model.institution_id.in_(ids)]
    cohost = getattr(model, "cohost_institution_id", None)
    if cohost is not None:
        clauses.append(cohost.in_(ids))
    return or_(*clauses)


def works_clause(user_id: Any, owner: Any, cohost: Any) -> ColumnElement[bool]:
    """SQL: the account ``user_id`` works for ``owner`` or ``cohost`` (columns or values).

    For a hot path that reads its object in one statement anyway (the desk's scan): the
    membership is checked in the same statement instead of a query of its own. An
    installation administrator needs no membership; the caller checks that first.
    """
    return exists().where(
        Membership.user_id == user_id,
        or_(Membership.institution_id == owner, Membership.institution_id == cohost),
        Membership.role.in_(WORKING_ROLES),
    )


def may_see(user: User | None, obj: Any) -> bool:
    return reach_of(user).sees(*owners(obj))


def may_work(user: User | None, obj: Any) -> bool:
    return reach_of(user).works(*owners(obj))
