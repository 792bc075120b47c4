"""Who holds a personal link, and what every route the link opens shares.

The token in ``/i/<token>`` is the credential (DESIGN §6). So every portal route — the
invitation page, the live view and console, a coordinator's desk entry, the personal
documents, the participant API — decides who is asking through one resolver
(:func:`holder`), counts against one per-address budget and answers with headers that keep
the token out of referrers, caches and search engines (:func:`guard`, applied to each
portal blueprint once, so a new route cannot forget them).

The browser's list of links (cookie ``mc_links``) is written here, by the personal pages
(:func:`remember`): the portal decides when a browser keeps a link and for how long. Its
format and its reading stay in ``checkin.link_cookie``, because the kiosk, the projector
and the live socket (all below the portal) recognise a coordinator or a participant by it.
"""

from __future__ import annotations

from flask import Blueprint, Request, Response, current_app

from meetcoord.access import resolve
from meetcoord.checkin import link_cookie
from meetcoord.extensions import limiter
from meetcoord.meetings.models import Invitation


def personal_link_limit() -> str:
    """The rate limit shared by every route a personal link opens (pages and API)."""
    return current_app.config["PERSONAL_LINK_RATE_LIMIT"]


# Per client address, shared by every personal-link route and the participant API
# (MEETCOORD_PERSONAL_LINK_RATE_LIMIT): guessing tokens is hopeless (256 bits), but each
# guess costs a query, and a phone reloading a page never needs more.
personal_limit = limiter.shared_limit(personal_link_limit, scope="personal-link")

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never send it elsewhere
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def private_headers(response: Response) -> Response:
    """Every portal answer, a 404 or a 429 included, carries :data:`PRIVATE_HEADERS`."""
    for name, value in PRIVATE_HEADERS.items():
        if name == "Cache-Control" and "no-store" in response.headers.get(name, ""):
            continue  # already as strict (an evidence file's "private, no-store")
        response.headers[name] = value
    return response


def guard(blueprint: Blueprint) -> Blueprint:
    """Put every route of ``blueprint`` behind the portal's policy: the one shared rate
    limit (checked before the view runs) and the private headers on every answer.

    A route that declares its own limit replaces the shared one (Flask-Limiter's route
    limits override the blueprint's): only the calendar feed does, since calendar servers
    poll many people's feeds from one address.
    """
    personal_limit(blueprint)
    blueprint.after_request(private_headers)
    return blueprint


def holder(token: str) -> Invitation:
    """The invitation a personal link opens: the one resolver of every portal route.

    A forged, revoked or withdrawn token raises ``NotFound`` (the same plain 404 for all),
    saying no more than that the link is not valid.
    """
    return resolve.link(token).invitation  # type: ignore[no-any-return]


MAX_AGE = 60 * 60 * 24 * 60  # sixty days: from the invitation to the meeting and back


def remember(request: Request, response: Response, token: str) -> None:
    """Put ``token`` first in the browser's list of links (signed, HttpOnly, Lax).

    At the venue, scanning the kiosk QR then checks the participant in with one tap, and a
    site coordinator's kiosk and projector recognise them. The tokens are the holder's own
    links, which the browser already had; the oldest drops off after ``MAX_LINKS``.
    """
    kept = [token, *(t for t in link_cookie.tokens(request) if t != token)]
    response.set_cookie(
        link_cookie.COOKIE,
        link_cookie.signed(kept),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
