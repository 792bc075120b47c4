"""The mute page a reminder's List-Unsubscribe link opens (RFC 8058).

- ``POST /reminders/mute/<token>``: mutes at once. It is what a mail program's one-click
  "unsubscribe" sends (body ``List-Unsubscribe=One-Click``), so it takes no login and no
  CSRF token: the signed token in the URL is the credential (``mute``), and a page on
  another site cannot post it without having it. Declared ``PUBLIC`` for that reason; a
  forged token is a 404 and changes nothing.
- ``GET`` only shows a page with the button: link checkers and mail scanners fetch every
  link in a mail, and a GET that muted would mute people who never clicked.
- ``POST /reminders/unmute/<token>``: reminders again, offered after muting.

Answers carry ``no-store`` and ``no-referrer`` (the token is in the URL) and share a
per-address rate limit with nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.extensions import csrf, limiter
from meetcoord.reminders import mute

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def _limit() -> str:
    return current_app.config["PERSONAL_LINK_RATE_LIMIT"]


limiter.shared_limit(_limit, scope="reminders-mute")(bp)


@bp.after_request
def _private(response: Response) -> Response:
    for name, value in PRIVATE.items():
        response.headers[name] = value
    return response


def _page(token: str, state: str, person: Any) -> Any:
    return make_response(
        render_template("reminders/mute.html", token=token, state=state, person=person)
    )


@bp.get("/mute/<token>")
@requires(Permission.PUBLIC)  # the token is checked here; this page changes nothing
def mute_page(token: str) -> Any:
    person = mute.person_for_token(token)
    return _page(token, "muted" if mute.is_muted(person) else "ask", person)


@bp.post("/mute/<token>")
@requires(Permission.PUBLIC)  # RFC 8058 one-click: the signed token is the credential
@csrf.exempt
def mute_now(token: str) -> Any:
    person = mute.mute(token)
    return _page(token, "muted", person)


@bp.post("/unmute/<token>")
@requires(Permission.PUBLIC)  # the signed token is the credential, as for muting
@csrf.exempt
def unmute_now(token: str) -> Any:
    person = mute.unmute(token)
    return _page(token, "unmuted", person)
