"""The agency's view of its follow-up actions, without an account (issue 13, point 2).

Two doors open it: the responsible person's personal link (``/i/<token>/actions``: the
agency of the invitation's person) and a standing agency link (``/a/<token>``) that staff
issue for an agency's head of office. Either shows every action owed by the agency, in
every meeting of every institution, and lets the agency report progress and take the
steps up to done — through ``services.add_update`` and its evidence checks, so every rule
and message is the tracker's. Verifying and dropping stay with the secretariat. The
agency downloads the evidence of its own actions (:func:`evidence_of`: the action and the
file are checked as a pair). An update made through a standing link names the link
(``ActionUpdate.agency_link_id``), so the history and the staff's list of links can say so.

A standing link is a bearer credential: only its hash is stored (``core.tokens``), the
token is returned once by :func:`issue`, and :func:`revoke` stops it at once. Both are
audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.access.actors import Actor, as_actor
from meetcoord.access.permissions import Permission, require, require_somewhere
from meetcoord.access.scope import NOT_FOUND
from meetcoord.actions import services, workflow
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action, ActionEvidence, ActionUpdate, AgencyLink
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.timezones import to_zone
from meetcoord.core.tokens import hash_token, new_token
from meetcoord.directory.models import Organization
from meetcoord.extensions import db

TOKEN_PREFIX = "mca_"  # noqa: S105  (a prefix that names the kind of token, not a secret)
LABEL_MAX = 200
# Recording last use at most this often keeps a page view from writing every time.
LAST_USED_EVERY = 300


def actions_of(actor: Actor) -> list[Action]:
    """Every action owed by ``actor``'s agency, across meetings and institutions."""
    if actor.agency_id is None:  # a person of no organization owes nothing here
        raise NotFound(NOT_FOUND)
    require(actor, Permission.AGENCY_ACTIONS)
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.organization_id == actor.agency_id, Action.withdrawn_at.is_(None))
            .options(
                selectinload(Action.meeting),
                selectinload(Action.person),
                selectinload(Action.evidence),
            )
            .order_by(Action.due_on.asc().nulls_last(), Action.id.asc())
        )
    )


def has_actions(organization_id: int | None) -> bool:
    """Whether the agency owes any action (the personal page links to them then)."""
    if organization_id is None:
        return False
    found = db.session.scalar(
        select(Action.id)
        .where(Action.organization_id == organization_id, Action.withdrawn_at.is_(None))
        .limit(1)
    )
    return found is not None


def action_of(actor: Actor, action_id: int) -> Action:
    """One action of ``actor``'s agency; another agency's (or none) is not found."""
    action = db.session.get(Action, action_id)
    if action is None or action.is_withdrawn:
        raise NotFound(NOT_FOUND)
    require(actor, Permission.AGENCY_ACTIONS, action)
    return action


def evidence_of(actor: Actor, action_id: int, evidence_id: int) -> ActionEvidence:
    """One evidence file of one of ``actor``'s agency's actions, to download.

    Another agency's action, or a file that belongs to another action than the one in
    the address, is not found: the pair is checked, not the file's id alone.
    """
    action = action_of(actor, action_id)
    found = db.session.get(ActionEvidence, evidence_id)
    if found is None or found.action_id != action.id:
        raise NotFound(NOT_FOUND)
    return found


def reader_zone(actor: Actor) -> str:
    """The zone the agency reads dates in: the person's, else the organization's region's,
    else the installation's home zone."""
    person = actor.invitation.person if actor.invitation is not None else None
    zone = person.zone if person is not None else None
    if zone is None and actor.agency_id is not None:
        organization = db.session.get(Organization, actor.agency_id)
        zone = organization.zone if organization is not None else None
    return zone or str(current_app.config["HOME_TIMEZONE"])


def today_in(zone: str) -> date:
    return to_zone(utcnow(), zone).date()


def update(
    actor: Actor, action: Action, data: Mapping[str, Any], files: Sequence[services.Upload] = ()
) -> ActionUpdate:
    """The agency's progress report or step towards done; nothing else moves here.

    A step the agency may not take (verify, drop, reopen) is refused with a message
    that says whose it is, before anything is read or written.
    """
    require(actor, Permission.AGENCY_ACTIONS, action)
    target = workflow.parse_status(data.get("status")) if data.get("status") else None
    stepping = target is not None and target != action.status
    if stepping and not workflow.agency_allowed(action.status, target):  # type: ignore[arg-type]
        message = _l(
            "Dari tautan ini status hanya dapat diubah menjadi %(steps)s; verifikasi dan "
            "penghentian dilakukan sekretariat (sekarang: %(status)s).",
            steps=", ".join(str(STATUS_LABELS[s]) for s in workflow.AGENCY_ORDER),
            status=STATUS_LABELS[action.status],
        )
        raise ValidationError(message, errors={"status": [message]})
    return services.add_update(actor, action, data, files)


# --- standing links ----------------------------------------------------------------------


def issue(who: Any, organization: Organization, label: str | None) -> tuple[AgencyLink, str]:
    """A new standing link for ``organization``: the row, and the token (shown once)."""
    actor = as_actor(who)
    require_somewhere(actor, Permission.MEETING_ARRANGE)
    text = (label or "").strip() or str(_l("Kepala %(name)s", name=organization.name))
    if len(text) > LABEL_MAX:
        message = _l("Paling banyak %(n)s karakter.", n=LABEL_MAX)
        raise ValidationError(message, errors={"label": [message]})
    token = new_token(TOKEN_PREFIX)
    link = AgencyLink(
        organization_id=organization.id,
        token_hash=hash_token(token),
        label=text,
        created_by_id=actor.user.id if actor.user is not None else None,
        created_at=utcnow(),
    )
    db.session.add(link)
    db.session.flush()
    audit.record(actor.user, "agency_link.issue", link, f"{organization.name}: {text}")
    db.session.commit()
    return link, token


def revoke(who: Any, link: AgencyLink) -> AgencyLink:
    """Stop a standing link at once (revoking twice changes nothing)."""
    actor = as_actor(who)
    require_somewhere(actor, Permission.MEETING_ARRANGE)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(actor.user, "agency_link.revoke", link, link.label)
        db.session.commit()
    return link


def links_of(who: Any, organization_id: int) -> list[AgencyLink]:
    """The standing links of an organization (never their tokens: only hashes exist)."""
    require_somewhere(as_actor(who), Permission.MEETING_ARRANGE)
    return list(
        db.session.scalars(
            select(AgencyLink)
            .where(AgencyLink.organization_id == organization_id)
            .order_by(AgencyLink.id.desc())
        )
    )


def get_link(organization_id: int, link_id: int) -> AgencyLink:
    link = db.session.get(AgencyLink, link_id)
    if link is None or link.organization_id != organization_id:
        raise NotFound(NOT_FOUND)
    return link


def link_by_token(token: str) -> AgencyLink:
    """The live standing link ``token`` opens (the resolver's loader); unknown or revoked:
    not found. Its last use is noted (at most every few minutes)."""
    link = db.session.scalar(select(AgencyLink).where(AgencyLink.token_hash == hash_token(token)))
    if link is None or link.is_revoked:
        raise NotFound(NOT_FOUND)
    now = utcnow()
    last = link.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or (now - last).total_seconds() > LAST_USED_EVERY:
        link.last_used_at = now
        db.session.commit()
    return link
