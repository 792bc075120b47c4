"""The staff home page (``/home``): where a signed-in account lands.

Its first screen is "Rapat mendatang" (``home.upcoming``: each meeting with what is
missing) under the first-run checklist (``home.checklist``) while the installation is
new; the dashboard's figures follow.

Rendered whole on the server (it works without JavaScript); ``static/js/home.js`` then
keeps its counts current from the API twin (``home.api``) without a reload.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed
from meetcoord.core.forms import current_actor
from meetcoord.core.validation import parse_int
from meetcoord.home import queries
from meetcoord.home.checklist import checklist
from meetcoord.home.upcoming import upcoming

bp = Blueprint("home", __name__)

POLL_MS = 15_000


def poll_ms() -> int:
    """How often the page asks for fresh figures: ``?poll=<seconds>`` (1–300, for a
    projector that should move faster, or a test), else ``HOME_POLL_MS``, else 15 s."""
    seconds = parse_int(request.args.get("poll"), minimum=1, maximum=300)
    if seconds is not None:
        return seconds * 1000
    return int(current_app.config.get("HOME_POLL_MS", POLL_MS))


@bp.get("/home")
@requires(Permission.MEETING_VIEW)
def index() -> Any:
    user = current_actor()
    board = queries.dashboard(user)
    page = parse_int(request.args.get("page"), minimum=1) or 1
    return render_template(
        "home/index.html",
        board=board,
        upcoming=upcoming(user, page, can_see_mail=board.mail_failed is not None),
        checklist=checklist(user),
        forums=queries.forums(user),
        can_arrange=allowed(user, Permission.MEETING_ARRANGE, somewhere=True),
        zone=current_app.config["HOME_TIMEZONE"],
        poll_ms=poll_ms(),
    )
