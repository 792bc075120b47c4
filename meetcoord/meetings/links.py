"""Personal links and feed URLs: derived from the server key, never stored.

See ``core.tokens.derived_token``: the database keeps a salt and the token's hash; only the
server can turn the salt back into the link, which is what lets every update mail carry
the participant's original link.
"""

from __future__ import annotations

from flask import current_app

from meetcoord.core.tokens import derived_token
from meetcoord.meetings.models import CalendarFeed, Invitation

INVITATION = "invitation"
FEED = "feed"


def token_for(purpose: str, salt: str) -> str:
    return derived_token(current_app.config["SECRET_KEY"], purpose, salt)


def personal_token(invitation: Invitation) -> str:
    return token_for(INVITATION, invitation.token_salt)


def feed_token(feed: CalendarFeed) -> str:
    return token_for(FEED, feed.token_salt)


def absolute(path: str) -> str:
    """A link for a mail or a calendar: the configured public address plus ``path``."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def personal_url(invitation: Invitation) -> str:
    return absolute(f"/i/{personal_token(invitation)}")


def feed_url(feed: CalendarFeed) -> str:
    return absolute(f"/feeds/{feed_token(feed)}.ics")
