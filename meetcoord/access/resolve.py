"""From a request (or a socket handshake) to the one :class:`~.actors.Actor` acting.

Five credentials, one resolver, for pages, the API and socket handlers alike:

- a staff **session** (Flask-Login's cookie; ``accounts.loaders``) or an API **bearer
  token** — both become the request's ``current_user``;
- a **personal token** (``/i/<token>``, or ``"token"`` in a socket's auth);
- the **link cookie** the personal page leaves in the phone's browser, which lets the
  kiosk QR and the live view know the person without the token in the URL;
- a standing **agency link** (``/a/<token>``) for an agency's head of office: its actions.

The lookups themselves belong to the features that own the tables (accounts, meetings,
checkin), which sit above this package; ``create_app`` hands them over once
(:func:`configure`), so this module never imports a feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Request, current_app, g, has_request_context, request

from meetcoord.access.actors import ANONYMOUS, Actor
from meetcoord.access.scope import NOT_FOUND
from meetcoord.core.errors import NotFound, ServiceError
from meetcoord.core.forms import current_actor


@dataclass(frozen=True)
class Loaders:
    """How each credential is looked up, given by the features that own them."""

    link: Callable[[str], Any]  # personal token → invitation (raises NotFound)
    bearer: Callable[[str], Any]  # API token → account or None
    bearer_id: Callable[[str], int | None]  # API token → its id (to check it again later)
    cookie: Callable[[Request, Any], Any]  # (request, meeting) → invitation or None
    agency: Callable[[str], Any] | None = None  # standing agency token → link (raises NotFound)


def configure(app: Any, loaders: Loaders) -> None:
    app.extensions["meetcoord.access"] = loaders


def _loaders() -> Loaders:
    return current_app.extensions["meetcoord.access"]  # type: ignore[no-any-return]


def account() -> Any:
    """The signed-in staff account of this request (session or bearer token), or None;
    the object itself, not the proxy: services keep it in audit rows."""
    if not has_request_context():
        return None
    user = current_actor()  # core.forms: the proxy's object, as every view takes it
    return user if user.is_authenticated else None


def current() -> Actor:
    """The actor of this request: a staff account (session or bearer token), or a
    personal link when the URL carries one (``/i/<token>/...``), else anonymous."""
    if not has_request_context():
        return ANONYMOUS
    cached = g.get("access_actor")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = (request.view_args or {}).get("token")
    if isinstance(token, str) and token:
        actor = link(token)
    else:
        user = account()
        actor = Actor(user=user) if user is not None else ANONYMOUS
    g.access_actor = actor
    return actor


def link(token: str) -> Actor:
    """The holder of personal link ``token``, bound to its meeting (not found otherwise:
    an unknown, withdrawn or cancelled link answers exactly like a missing page)."""
    invitation = _loaders().link(token)
    return Actor(invitation=invitation, meeting=invitation.meeting)


def agency_view(token: str) -> Actor:
    """The holder of personal link ``token`` acting for their agency (the organization of
    the invitation's person) on its actions across meetings, not bound to one meeting."""
    invitation = _loaders().link(token)
    return Actor(invitation=invitation, agency_id=invitation.person.organization_id)


def agency_link(token: str) -> Actor:
    """The holder of a standing agency link (``/a/<token>``): no account, no invitation,
    the agency's actions only. Unknown or revoked: not found, like a missing page."""
    loader = _loaders().agency
    if loader is None:
        raise NotFound(NOT_FOUND)
    found = loader(token)
    return Actor(agency_id=found.organization_id, agency_link=found)


def cookie(meeting: Any) -> Actor | None:
    """The personal link this browser remembered for ``meeting`` (the link cookie), if any:
    the phone at the kiosk or the self check-in page, without the token in the URL."""
    invitation = _loaders().cookie(request, meeting)
    return Actor(invitation=invitation, meeting=invitation.meeting) if invitation else None


def staff(user: Any, meeting: Any = None, token_id: int | None = None) -> Actor:
    return Actor(user=user, meeting=meeting, token_id=token_id)


def from_socket(auth: Mapping[str, Any], meeting: Any) -> Actor | None:
    """Who is connecting to ``meeting`` over a socket, or None (refused).

    The same credentials in the same order as a page: a personal token in the auth
    (a phone that has its link), an API bearer token (a system), the browser's staff
    session, and last the link cookie (a phone whose page was opened before).
    """
    loaders = _loaders()
    token = auth.get("token")
    if isinstance(token, str) and token:
        try:
            invitation = loaders.link(token)
        except ServiceError:
            return None
        if invitation.meeting_id != meeting.id:
            return None
        return Actor(invitation=invitation, meeting=meeting)
    bearer = auth.get("bearer")
    if isinstance(bearer, str) and bearer:
        user = loaders.bearer(bearer)
        return staff(user, meeting, loaders.bearer_id(bearer)) if user is not None else None
    user = account()
    if user is not None:
        return staff(user, meeting)
    invitation = loaders.cookie(request, meeting)
    return Actor(invitation=invitation, meeting=meeting) if invitation is not None else None
