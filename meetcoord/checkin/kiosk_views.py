"""The site kiosk ``/kiosk/<site-code>``: a projector or tablet showing the rotating QR.

Never public: whoever sees the screen can check in, so the page (and the code it refreshes
from) is for secretariat staff and for the site's coordinator, recognised by the personal
link their browser holds (``link_cookie``). Counts arrive over Socket.IO (``events``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request
from flask import url_for as flask_url_for
from flask_login import current_user

from meetcoord.access import resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.checkin import live, selfservice
from meetcoord.checkin.counts import presence
from meetcoord.checkin.qr import qr_data_uri
from meetcoord.core.db import utcnow
from meetcoord.core.timezones import zone_label
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation, MeetingSite

bp = Blueprint("kiosk", __name__)

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def may_show(site: MeetingSite) -> bool:
    """Staff who may run check-in, or this site's coordinator (through their link)."""
    if resolve.current().may(Permission.CHECKIN_OPERATE, site):
        return True
    holder = resolve.cookie(site.meeting)
    return holder is not None and holder.may(Permission.CHECKIN_OPERATE, site)


def _site(site_code: str) -> MeetingSite:
    site = selfservice.site_by_code(site_code)
    if site is None:
        abort(404)
    return site


def checkin_url(site: MeetingSite, url_code: str) -> str:
    """What the QR encodes: the public address a phone opens."""
    return links.absolute(f"/c/{site.code}/{url_code}")


CLOSED_RETRY_SECONDS = 30  # a closed kiosk asks again this often, and opens on time


def code_payload(site: MeetingSite) -> dict[str, Any]:
    """The code to show now — or, outside the check-in window, no code but why not
    (when it opens, in the site's zone), so a kiosk set up early shows no live code."""
    closed = selfservice.closed(site)
    if closed is not None:
        return {"open": False, "message": closed.message, "expires_in": CLOSED_RETRY_SECONDS}
    shown = selfservice.kiosk_codes(site)
    url = checkin_url(site, shown["url_code"])
    return {
        "open": True,
        "url": url,
        "qr": qr_data_uri(url),
        "typed_code": shown["typed_code"],
        "expires_in": shown["expires_in"],
    }


@bp.get("/kiosk/<site_code>")
@requires(Permission.CHECKIN_OPERATE)
def kiosk(site_code: str) -> Any:
    site = _site(site_code)
    if not may_show(site):
        if current_user.is_authenticated:
            abort(403)
        return redirect(flask_url_for("accounts.login", next=request.path))
    zone = site.venue.timezone
    html = render_template(
        "checkin/kiosk.html",
        site=site,
        meeting=site.meeting,
        zone=zone,
        zone_label=zone_label(zone, utcnow()),
        now=utcnow(),
        code=code_payload(site),
        counts=presence(site.meeting).as_dict(),
        namespace=live.NAMESPACE,
        manual_url=links.absolute(flask_url_for("selfcheckin.manual")),
    )
    return html, 200, NO_STORE


@bp.get("/kiosk/<site_code>/code.json")
@requires(Permission.CHECKIN_OPERATE)
def kiosk_code(site_code: str) -> Any:
    site = _site(site_code)
    if not may_show(site):
        abort(403)  # a script is not sent to a login page
    response = jsonify(code_payload(site))
    response.headers.update(NO_STORE)
    return response


def coordinator_sites(invitation: Invitation) -> list[MeetingSite]:
    """The sites whose kiosk this invitee may open (for their personal page)."""
    actor = Actor(invitation=invitation)
    return [
        site for site in invitation.meeting.sites if actor.may(Permission.CHECKIN_OPERATE, site)
    ]
