"""What every page and API behind a personal link shares: one rate limit, private headers.

The token in ``/i/<token>`` is the credential (DESIGN §6). So every route it opens — the
invitation page, a coordinator's desk, the live view, the personal documents and their API
— counts against one per-address budget and answers with headers that keep the token out
of referrers, caches and search engines. These live apart from any one of those views so
that the check-in desk, the live room and the documents need not import the invitation
page's views (and it theirs) to get them.
"""

from __future__ import annotations

from flask import Response

from meetcoord.extensions import limiter
from meetcoord.meetings.links import personal_link_limit

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
    """An ``after_request`` hook for a blueprint of personal-link routes."""
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response
