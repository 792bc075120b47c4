"""What each kind of actor may do: the one table every check reads.

A permission is an :class:`Permission`. Its :class:`Rule` says who holds it along the four
axes that decide access in meetcoord:

- **role** of the account in the installation (``accounts``: admin, secretariat, viewer);
- **institution**: the account's membership in the institution that owns (or co-hosts)
  the object — ``members`` is ``SEE`` (any membership) or ``WORK`` (admin or
  secretariat of it); an installation administrator holds every membership;
- **meeting role** of a personal link's invitation in the object's meeting
  (``invitees``: chair, minute_taker, site_coordinator, …, or ``ANY_INVITEE``);
- **site**: a site coordinator acting for the site they coordinate (``coordinator``);
- **agency**: a personal link's person, or a standing agency link, acting on the actions
  owed by their own organization (``agency``), in any meeting of any institution.

Routes, API operations and socket commands *declare* their action (:mod:`.declare`, the
live room's command table); services call :func:`require` with the object at hand. So the
answer to "who may close meeting 41?" is one row below plus the object's owners.

Refusals follow :mod:`.scope`: an object outside the actor's reach is *not found*
(exactly like a missing id), inside it the actor is told why they may not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l

from meetcoord.access import scope
from meetcoord.core.errors import NotFound, PermissionDenied

T = TypeVar("T")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Permission(StrEnum):
    PUBLIC = "public"  # anyone: sign-in, verify, kiosk display, health
    ACCOUNT = "account"  # any signed-in account: its own password, sign-out, tokens
    ADMIN = "installation.admin"  # accounts, institutions, the audit trail
    DIRECTORY_VIEW = "directory.view"  # the shared directory, any staff account
    DIRECTORY_EDIT = "directory.edit"  # organizations, people, venues; an owned forum
    MEETING_VIEW = "meeting.view"  # meetings, series, documents, attendance, outbox
    MEETING_ARRANGE = "meeting.arrange"  # create, change, invite, send, cancel, export
    CHECKIN_OPERATE = "checkin.operate"  # a site's desk
    CHECKIN_SELF = "checkin.self"  # a person's own check-in (their code is the proof)
    LINK = "link"  # the holder of a personal link, on their own invitation's pages
    LIVE_WATCH = "live.watch"  # follow the live room
    LIVE_RUN = "live.run"  # open, pause, close, agenda, give the floor
    LIVE_RECORD = "live.record"  # decisions, notes, actions
    LIVE_TALLY = "live.tally"  # votes counted at a site
    LIVE_SPEAK = "live.speak"  # ask for the floor
    ACTION_UPDATE = "action.update"  # a follow-up action's progress, status up to done, evidence
    AGENCY_ACTIONS = "agency.actions"  # an agency's own actions, through a personal or agency link
    MATERIAL_SPEAKER = "material.speaker"  # a speaker's upload link: one agenda item's materials
    WEBHOOKS_MANAGE = "webhooks.manage"  # an institution's webhook endpoints and deliveries


class Level(StrEnum):
    SEE = "see"  # any membership of the owning institution
    WORK = "work"  # admin or secretariat of it


ALL_ACCOUNTS = frozenset({"admin", "secretariat", "viewer"})
STAFF_ACCOUNTS = frozenset({"admin", "secretariat"})
ANY_INVITEE = "*"
CHAIR = "chair"
MINUTE_TAKER = "minute_taker"


@dataclass(frozen=True)
class Rule:
    refusal: Any
    anyone: bool = False
    accounts: frozenset[str] = frozenset()
    members: Level | None = None  # checked when there is an owned object
    invitees: frozenset[str] = frozenset()
    coordinator: bool = False
    agency: bool = False  # the object's organization is the actor's agency

    @property
    def for_links(self) -> bool:
        """A personal link (or a coordinator's) can hold this action."""
        return bool(self.invitees) or self.coordinator

    @property
    def for_accounts(self) -> bool:
        return bool(self.accounts)


DENIED = _l("Anda tidak berhak melakukan ini.")
RUNNERS = frozenset({CHAIR})
RECORDERS = frozenset({CHAIR, MINUTE_TAKER})

TABLE: dict[Permission, Rule] = {
    Permission.PUBLIC: Rule(DENIED, anyone=True),
    Permission.ACCOUNT: Rule(DENIED, accounts=ALL_ACCOUNTS),
    Permission.ADMIN: Rule(
        _l("Hanya administrator yang boleh melakukan ini."), accounts=frozenset({"admin"})
    ),
    Permission.DIRECTORY_VIEW: Rule(DENIED, accounts=ALL_ACCOUNTS),
    Permission.DIRECTORY_EDIT: Rule(
        _l("Anda tidak berhak mengubah direktori."), accounts=STAFF_ACCOUNTS, members=Level.WORK
    ),
    Permission.MEETING_VIEW: Rule(scope.NOT_FOUND, accounts=ALL_ACCOUNTS, members=Level.SEE),
    Permission.MEETING_ARRANGE: Rule(
        _l("Anda tidak berhak mengatur rapat."), accounts=STAFF_ACCOUNTS, members=Level.WORK
    ),
    Permission.CHECKIN_OPERATE: Rule(
        _l("Anda hanya dapat mencatat kehadiran di lokasi Anda sendiri."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        coordinator=True,
    ),
    Permission.CHECKIN_SELF: Rule(DENIED, anyone=True),
    Permission.LINK: Rule(scope.NOT_FOUND, invitees=frozenset({ANY_INVITEE})),
    Permission.LIVE_WATCH: Rule(
        _l("Anda tidak diundang ke rapat ini."),
        accounts=ALL_ACCOUNTS,
        members=Level.SEE,
        invitees=frozenset({ANY_INVITEE}),
    ),
    Permission.LIVE_RUN: Rule(
        _l("Hanya pimpinan rapat atau sekretariat yang dapat menjalankan rapat."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        invitees=RUNNERS,
    ),
    Permission.LIVE_RECORD: Rule(
        _l("Hanya pimpinan rapat atau notulis yang dapat mencatat."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        invitees=RECORDERS,
    ),
    Permission.LIVE_TALLY: Rule(
        _l("Koordinator lokasi hanya dapat mencatat suara di lokasinya sendiri."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        invitees=RECORDERS,
        coordinator=True,
    ),
    Permission.LIVE_SPEAK: Rule(
        _l("Anda tidak diundang ke rapat ini."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        invitees=frozenset({ANY_INVITEE}),
    ),
    # Verifying, dropping and moving the due date are the secretariat's: MEETING_ARRANGE.
    Permission.ACTION_UPDATE: Rule(
        _l("Anda tidak berhak memperbarui tindak lanjut ini."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
        agency=True,
    ),
    # The agency's view (portal): no account; the link's agency owns the action, or 404.
    Permission.AGENCY_ACTIONS: Rule(scope.NOT_FOUND, agency=True),
    # A speaker's link (``/s/<speaker_token>``): no account, no invitation; the route
    # resolves the token to its one agenda item (materials.services), or 404.
    Permission.MATERIAL_SPEAKER: Rule(scope.NOT_FOUND, anyone=True),
    # An institution's integrations: its working staff reach them here, and the webhooks
    # service lets only the institution's admins (or the installation's) manage them.
    Permission.WEBHOOKS_MANAGE: Rule(
        _l("Hanya admin lembaga yang dapat mengatur webhook."),
        accounts=STAFF_ACCOUNTS,
        members=Level.WORK,
    ),
}


def _meeting_id(obj: Any) -> int | None:
    """The meeting ``obj`` is or belongs to (a site, an item, a document)."""
    if obj is None:
        return None
    if hasattr(obj, "meeting_id"):
        return obj.meeting_id
    return getattr(obj, "id", None) if hasattr(obj, "sites") else None


def _parts(who: Any) -> tuple[Any, Any, Any]:
    """(account, invitation, bound meeting) of an ``access.actors.Actor`` or a ``User``.

    Read by attribute: the actor module asks this table, so the table cannot import it.
    """
    if who is None:
        return None, None, None
    if hasattr(who, "invitation") and hasattr(who, "token_id"):
        return who.user, who.invitation, who.meeting
    return who, None, None


def _agency_of(who: Any) -> int | None:
    """The organization an actor acts for through a link (``Actor.agency_id``), or None."""
    return getattr(who, "agency_id", None)


def _agency_holds(who: Any, rule: Rule, obj: Any) -> bool:
    agency = _agency_of(who)
    if not rule.agency or agency is None:
        return False
    return obj is None or getattr(obj, "organization_id", None) == agency


def _account_holds(user: Any, rule: Rule, obj: Any, somewhere: bool = False) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user.role, "value", user.role) not in rule.accounts:
        return False
    if obj is None and somewhere and rule.members is not None:
        # "In some institution": an administrator, or a member at the rule's level.
        reach = scope.reach_of(user)
        return reach.everything or bool(reach.worked if rule.members is Level.WORK else reach.seen)
    if obj is None or rule.members is None:
        return True
    reach = scope.reach_of(user)
    owners = scope.owners(obj)
    return reach.works(*owners) if rule.members is Level.WORK else reach.sees(*owners)


def _link_holds(invitation: Any, rule: Rule, obj: Any, site: Any, somewhere: bool) -> bool:
    if invitation is None or not rule.for_links:
        return False
    meeting_id = _meeting_id(obj)
    if meeting_id is not None and invitation.meeting_id != meeting_id:
        return False
    role = getattr(invitation.role, "value", invitation.role)
    if ANY_INVITEE in rule.invitees or role in rule.invitees:
        return True
    if not rule.coordinator:
        return False
    if site is not None:
        return bool(site.is_coordinated_by(invitation))
    # "Somewhere": a coordinator of any of the meeting's sites (the sites are loaded for
    # that question alone, not for every participant's command).
    return somewhere and any(s.is_coordinated_by(invitation) for s in invitation.meeting.sites)


def allowed(
    actor: Any,
    permission: Permission,
    obj: Any = None,
    site: Any = None,
    *,
    somewhere: bool = False,
) -> bool:
    """Whether ``actor`` (an ``Actor`` or a staff ``User``) holds ``permission`` on
    ``obj`` (at ``site``). Without ``obj`` an actor bound to a meeting (the live room, a
    desk) is judged on that meeting; ``somewhere``: at any site of it (a staff account:
    in any institution)."""
    rule = TABLE[permission]
    if rule.anyone:
        return True
    user, invitation, meeting = _parts(actor)
    target = obj if obj is not None else (site if site is not None else meeting)
    return (
        _account_holds(user, rule, target, somewhere)
        or _link_holds(invitation, rule, target, site, somewhere)
        or _agency_holds(actor, rule, target)
    )


def require(actor: Any, permission: Permission, obj: Any = None, site: Any = None) -> None:
    """Refuse ``permission`` unless :func:`allowed`: not found outside the actor's reach
    (another institution's object, another meeting's link), forbidden inside it — and a
    viewer member of the owning institution is told they may only look."""
    if allowed(actor, permission, obj, site):
        return
    target = obj if obj is not None else site
    if target is not None and not _within_reach(actor, target):
        raise NotFound(scope.NOT_FOUND)
    rule = TABLE[permission]
    user, _, _ = _parts(actor)
    if (
        target is not None
        and rule.members is Level.WORK
        and _account_holds(user, replace(rule, members=Level.SEE), target)
    ):
        raise PermissionDenied(scope.VIEW_ONLY)
    raise PermissionDenied(rule.refusal)


def visible(actor: Any, obj: T | None, message: Any = scope.NOT_FOUND) -> T:
    """``obj`` when ``actor`` may see this institution's work; otherwise not found,
    exactly like a missing id."""
    if obj is None or not allowed(actor, Permission.MEETING_VIEW, obj):
        raise NotFound(message)
    return obj


def for_request(actor: Any, obj: T | None, message: Any = scope.NOT_FOUND) -> T:
    """``obj`` for this request: seen to read it, arranged to change anything.

    For handlers whose services take a broader actor (the documents' workflow acts for
    staff and personal links alike): a request that can change state is refused to a
    viewer before the service runs.
    """
    found = visible(actor, obj, message)
    if has_request_context() and request.method not in SAFE_METHODS:
        require(actor, Permission.MEETING_ARRANGE, found)
    return found


def require_somewhere(actor: Any, permission: Permission) -> None:
    """Refuse at once whoever holds ``permission`` at no site of their meeting at all."""
    if not allowed(actor, permission, somewhere=True):
        raise PermissionDenied(TABLE[permission].refusal)


def _within_reach(actor: Any, obj: Any) -> bool:
    user, invitation, _ = _parts(actor)
    if user is not None and getattr(user, "is_authenticated", False):
        return scope.may_see(user, obj)
    agency = _agency_of(actor)
    if agency is not None and hasattr(obj, "organization_id"):
        # An agency's reach is its own actions: another agency's is not found.
        return bool(obj.organization_id == agency)
    if invitation is not None:
        meeting_id = _meeting_id(obj)
        return meeting_id is None or meeting_id == invitation.meeting_id
    return True


def refusal(permission: Permission) -> Any:
    return TABLE[permission].refusal
