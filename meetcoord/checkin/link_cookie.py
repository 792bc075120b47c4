"""The browser remembers its personal links: cookie ``mc_links`` (signed, HttpOnly, Lax).

Visiting ``/i/<token>`` adds the token; at the venue, scanning the kiosk QR then checks
the participant in with one tap, and a site coordinator's kiosk page recognises them.
The cookie is signed with the app secret (itsdangerous) so a browser cannot forge a list;
the tokens inside are the participant's own links, which the browser already had.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from meetcoord.core.tokens import hash_token
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting

COOKIE = "mc_links"
MAX_LINKS = 10  # a busy official's recent meetings; the oldest drops off
MAX_AGE = 60 * 60 * 24 * 60  # sixty days: from the invitation to the meeting and back


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="meetcoord:mc_links")


def tokens(request: Request) -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [t for t in value if isinstance(t, str) and 0 < len(t) <= 100][:MAX_LINKS]


def remember(request: Request, response: Response, token: str) -> None:
    """Put ``token`` first in the browser's list (called by the personal page)."""
    kept = [token, *(t for t in tokens(request) if t != token)][:MAX_LINKS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(kept),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def invitations(request: Request) -> Iterator[Invitation]:
    """The live invitations this browser holds links for."""
    hashes = [hash_token(t) for t in tokens(request)]
    if not hashes:
        return iter(())
    rows = db.session.scalars(
        select(Invitation).where(
            Invitation.token_hash.in_(hashes), Invitation.withdrawn_at.is_(None)
        )
    )
    return iter(rows.all())


def invitation_for(request: Request, meeting: Meeting | int) -> Invitation | None:
    """This browser's invitation to ``meeting``, if it holds the personal link."""
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    return next((inv for inv in invitations(request) if inv.meeting_id == meeting_id), None)
