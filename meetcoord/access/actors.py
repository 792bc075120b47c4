"""Who is acting: one ``Actor`` for pages, the API, the desk and the live room.

An actor is a staff account (signed in, or through an API token), or the holder of a
personal link (the invitation it opens: a participant, the chair, the minute-taker, a
site coordinator at their desk), or nobody. It may be bound to the meeting it acts in
(a live-room connection, a desk), so that a question without an object is asked about
that meeting. What an actor may do is :mod:`.permissions`' table, never decided here.

This module knows the account and invitation models only by their attributes: access
sits below the features that define them (DESIGN §3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from meetcoord.access import permissions
from meetcoord.access.permissions import Permission


@dataclass(frozen=True)
class Actor:
    user: Any = None  # accounts.models.User: a staff account
    invitation: Any = None  # meetings.models.Invitation: the personal link's holder
    meeting: Any = None  # the meeting this actor acts in, when it is bound to one
    token_id: int | None = None  # the API token it came with, checked again later
    # The agency view: the organization whose actions this link may update (a personal
    # link's person's, or a standing agency link's), and that standing link, if it is one.
    agency_id: int | None = None
    agency_link: Any = None  # actions.models.AgencyLink

    @property
    def is_anonymous(self) -> bool:
        return self.account is None and self.invitation is None and self.agency_link is None

    @property
    def account(self) -> Any:
        """The signed-in staff account, or None."""
        user = self.user
        return user if user is not None and getattr(user, "is_authenticated", False) else None

    @property
    def label(self) -> str:
        if self.user is not None:
            return str(self.user.name)
        if self.invitation is not None:
            return str(self.invitation.stand_in_name or self.invitation.person.name)
        if self.agency_link is not None:
            return str(self.agency_link.label)
        return "?"

    @property
    def ids(self) -> tuple[int | None, int | None]:
        """(user id, invitation id): who this is, as the event log records it."""
        return (
            self.user.id if self.user is not None else None,
            self.invitation.id if self.invitation is not None else None,
        )

    @property
    def site_id(self) -> int | None:
        return self.invitation.site_id if self.invitation is not None else None

    # Questions for the permission table, asked about this actor's meeting.
    def may(self, action: Permission, site: Any = None) -> bool:
        return permissions.allowed(self, action, site=site)

    def require(self, action: Permission, site: Any = None) -> None:
        permissions.require(self, action, self.meeting if site is None else None, site)

    def require_somewhere(self, action: Permission) -> None:
        """Refuse at once whoever holds ``action`` at no site at all: checked before the
        room's state or a command's data is looked at, so a refusal tells nothing."""
        permissions.require_somewhere(self, action)

    @property
    def is_staff(self) -> bool:
        """A staff account that works on this actor's meeting (runs it, not only looks)."""
        return self.account is not None and self.may(Permission.LIVE_RUN)

    @property
    def role(self) -> str:
        """For clients: staff, viewer, or the invitation's role."""
        if self.user is not None:
            return "staff" if self.is_staff else "viewer"
        if self.invitation is not None:
            return str(getattr(self.invitation.role, "value", self.invitation.role))
        return "none"

    @property
    def sees_staff_room(self) -> bool:
        return self.is_staff or self.role in ("chair", "minute_taker", "site_coordinator")

    def coordinates(self, site: Any) -> bool:
        return site is not None and bool(site.is_coordinated_by(self.invitation))

    def bound_to(self, meeting: Any) -> Actor:
        return replace(self, meeting=meeting)


ANONYMOUS = Actor()


def as_actor(who: Any) -> Actor:
    """An :class:`Actor` from what a service was given: an actor, a staff account, None."""
    if isinstance(who, Actor):
        return who
    if who is None:
        return ANONYMOUS
    return Actor(user=who)
