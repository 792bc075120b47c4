"""The personal links a browser holds: cookie ``mc_links``, its format and its reading.

The participant portal writes it (``portal.links.remember``: visiting ``/i/<token>`` adds
the token); here, below the portal, the kiosk, the projector and the live socket read it
to recognise a participant or a site coordinator without a login. The cookie is signed
with the app secret (itsdangerous) so a browser cannot forge a list; the tokens inside are
the participant's own links, which the browser already had.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from meetcoord.core.tokens import hash_token
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting

COOKIE = "mc_links"
MAX_LINKS = 10  # a busy official's recent meetings; the oldest drops off


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


def signed(kept: list[str]) -> str:
    """The cookie's value for the list ``kept`` (the portal decides what it holds)."""
    return _serializer().dumps(kept[:MAX_LINKS])


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
