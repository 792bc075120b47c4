"""The registration desk at a site: scan personal credentials, online or offline.

Staff sign in as usual; a site coordinator opens ``/i/<token>/desk/<site-code>`` from the
personal page (``portal.views.desk_entry``), which puts their invitation in the (signed)
session and sends them to the desk. Every request re-checks the actor's
``Permission.CHECKIN_OPERATE``, so withdrawing the coordinator's invitation closes their
desk at once. The page keeps a bundle (the meeting's public key, the invitees and the
revocation list) so it can verify credentials while the connection is down, queue the scans
in IndexedDB and upload them when it returns.

The JSON endpoints are the API's check-in (``checkin.api``) behind a session: the same
schemas load the body, the same services answer, and every error is the same
``application/problem+json`` body the API gives for the same request (``problem_json``).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from meetcoord.access import permissions, resolve
from meetcoord.access.actors import Actor
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.schemas import load_json
from meetcoord.checkin import keys
from meetcoord.checkin import schemas as s
from meetcoord.checkin.admission import not_your_site
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.offline import offline_answers, upload_offline
from meetcoord.checkin.qr import qr_data_uri
from meetcoord.checkin.selfservice import require_site, site_by_code
from meetcoord.checkin.staff import checkout_credential
from meetcoord.core.db import utcnow
from meetcoord.core.problems import problem_json, unauthorized
from meetcoord.extensions import db
from meetcoord.meetings import opening
from meetcoord.meetings.labels import INVITEE_ROLE_LABELS
from meetcoord.meetings.models import Invitation, MeetingSite

bp = Blueprint("desk", __name__)

SESSION_KEY = "desk_invitation_id"  # the coordinator's invitation, set by their link


def _site(code: str) -> MeetingSite:
    site = site_by_code(code)
    if site is None:
        abort(404)
    return site


def _actor(site: MeetingSite) -> Actor | None:
    """Who may run this desk: a staff account, else the coordinator of the session."""
    if current_user.is_authenticated:
        desk = resolve.current()
        if desk.may(Permission.CHECKIN_OPERATE, site):
            return desk
    invitation_id = session.get(SESSION_KEY)
    if isinstance(invitation_id, int):
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is not None:
            desk = Actor(invitation=invitation)
            if desk.may(Permission.CHECKIN_OPERATE, site):
                return desk
    return None


def _signed_in() -> None:
    """No account and no coordinator's link in the session: the API's 401, first as there."""
    if not current_user.is_authenticated and not isinstance(session.get(SESSION_KEY), int):
        abort(unauthorized())


def _json_actor(site: MeetingSite) -> Actor:
    """The desk at ``site``, or the 403 the API gives a user who may not operate it."""
    desk = _actor(site)
    if desk is None:
        _refuse(site)
    return desk  # type: ignore[return-value]


def _refuse(site: MeetingSite) -> None:
    """A staff account outside the meeting's institutions finds no such desk (404), as for
    any of their work; inside, or a coordinator elsewhere, is told it is not theirs."""
    if current_user.is_authenticated:
        staff = resolve.current()
        permissions.require(staff, Permission.CHECKIN_OPERATE, site=site)
    raise not_your_site()


def coordinator_sites(invitation: Invitation) -> list[MeetingSite]:
    """The sites whose desk this invitation's holder may run (for the personal page)."""
    desk = Actor(invitation=invitation)
    return [site for site in invitation.meeting.sites if desk.may(Permission.CHECKIN_OPERATE, site)]


# --- pages ------------------------------------------------------------------------------


@bp.get("/desk/<code>")
@requires(Permission.CHECKIN_OPERATE)
def desk_page(code: str) -> Any:
    site = _site(code)
    if _actor(site) is None:
        if not current_user.is_authenticated and SESSION_KEY not in session:
            return redirect(url_for("accounts.login", next=request.path))
        _refuse(site)
    return render_template(
        "checkin/desk.html",
        site=site,
        meeting=site.meeting,
        csrf=generate_csrf(),
        roles={role.value: str(label) for role, label in INVITEE_ROLE_LABELS.items()},
    )


# --- JSON -------------------------------------------------------------------------------


@bp.get("/desk/<code>/bundle.json")
@requires(Permission.CHECKIN_OPERATE)
@problem_json
def bundle(code: str) -> Response:
    """What an offline desk needs: key, invitees (no contact data) and revocations."""
    _signed_in()
    site = require_site(code)
    _json_actor(site)
    meeting = site.meeting
    invitees, revoked = [], []
    for invitation in meeting.invitations:
        if invitation.withdrawn_at is not None:
            revoked.append(invitation.id)
            continue
        person = invitation.person
        invitees.append(
            {
                "invitation_id": invitation.id,
                "name": person.name,
                "organization": person.organization.name if person.organization else None,
                "position": person.position,
                "role": invitation.role.value,
                "site": invitation.site.venue.name if invitation.site else None,
            }
        )
    return jsonify(
        {
            "meeting_id": meeting.id,
            "meeting_title": meeting.title,
            "site_code": site.code,
            "site_name": site.venue.name,
            "public_key": keys.public_key(meeting),
            "invitees": invitees,
            "revoked": sorted(revoked),
            "checkin": opening.desk_window(meeting, site),
            "server_time": utcnow().isoformat(),
            "csrf_token": generate_csrf(),
        }
    )


# In the API's order: who (401), the body (400/422), the site (404), the desk (403).


@bp.post("/desk/<code>/scan")
@requires(Permission.CHECKIN_OPERATE)
@problem_json
def scan(code: str) -> Response:
    _signed_in()
    data = load_json(_REDEEM)
    site = require_site(code)
    desk = _json_actor(site)
    result = redeem_credential(
        desk, site, data["credential"], data["nonce"], scanned_at=data["scanned_at"]
    )
    return jsonify(result.as_dict())


@bp.post("/desk/<code>/offline")
@requires(Permission.CHECKIN_OPERATE)
@problem_json
def offline(code: str) -> Response:
    """Scans queued while offline; each answer carries its nonce so the desk can drop it."""
    _signed_in()
    scans = load_json(_OFFLINE)["scans"]
    site = require_site(code)
    desk = _json_actor(site)
    return jsonify(offline_answers(scans, upload_offline(desk, site, scans)))


@bp.post("/desk/<code>/checkout")
@requires(Permission.CHECKIN_OPERATE)
@problem_json
def checkout(code: str) -> Response:
    """Leaving: the person's attendance gets its out time (a second scan changes nothing)."""
    _signed_in()
    data = load_json(_CHECKOUT)
    site = require_site(code)
    desk = _json_actor(site)
    return jsonify(checkout_credential(desk, site, data["credential"], data["nonce"]).as_dict())


# One instance each, as the API's: a schema is built once, not per scan.
_REDEEM, _OFFLINE, _CHECKOUT = s.RedeemSchema(), s.OfflineUploadSchema(), s.CheckoutSchema()


# --- the personal QR on the participant's page ------------------------------------------


def credential_qr(invitation: Invitation) -> str:
    """The personal credential as a QR image for the participant's page."""
    return qr_data_uri(keys.credential_for(invitation), box_size=8)
