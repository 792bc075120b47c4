"""The registration desk at a site: scan personal credentials, online or offline.

Staff sign in as usual; a site coordinator opens ``/i/<token>/desk/<site-code>`` from the
personal page (``portal.views.desk_entry``), which puts their invitation in the (signed)
session under ``SESSION_KEY`` and sends them to the desk. Every request re-checks
``DeskActor.may_operate``, so withdrawing the coordinator's invitation closes their desk
at once. The page keeps a bundle (the meeting's public key, the invitees and the revocation
list) so it can verify credentials while the connection is down, queue the scans in
IndexedDB and upload them when it returns.
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
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from meetcoord.checkin import keys
from meetcoord.checkin.admission import DeskActor
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.offline import upload_offline
from meetcoord.checkin.qr import qr_data_uri
from meetcoord.checkin.selfservice import site_by_code
from meetcoord.checkin.staff import checkout_credential
from meetcoord.core.db import utcnow
from meetcoord.core.errors import ServiceError
from meetcoord.extensions import db
from meetcoord.meetings import opening
from meetcoord.meetings.labels import INVITEE_ROLE_LABELS
from meetcoord.meetings.models import Invitation, MeetingSite

bp = Blueprint("desk", __name__)

SESSION_KEY = "desk_invitation_id"  # the coordinator's invitation, set by their link
MAX_UPLOAD = 500  # scans in one offline upload


def _site(code: str) -> MeetingSite:
    site = site_by_code(code)
    if site is None:
        abort(404)
    return site


def _actor(site: MeetingSite) -> DeskActor | None:
    """Who may run this desk: a staff account, else the coordinator of the session."""
    if current_user.is_authenticated:
        desk = DeskActor(user=current_user._get_current_object())
        if desk.may_operate(site):
            return desk
    invitation_id = session.get(SESSION_KEY)
    if isinstance(invitation_id, int):
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is not None:
            desk = DeskActor(coordinator=invitation)
            if desk.may_operate(site):
                return desk
    return None


def _json_actor(site: MeetingSite) -> DeskActor:
    desk = _actor(site)
    if desk is None:
        abort(_refusal_response(403, _("Anda tidak berhak mencatat kehadiran di lokasi ini.")))
    return desk


def _refusal_response(status: int, message: str) -> Response:
    response = jsonify({"status": "error", "message": message})
    response.status_code = status
    return response


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(_refusal_response(400, _("Data yang dikirim tidak valid.")))
    return data


def _service_error(exc: ServiceError) -> Response:
    db.session.rollback()
    response = jsonify(
        {"status": "error", "code": exc.code, "message": str(exc.message), "errors": exc.errors}
    )
    response.status_code = exc.status
    return response


def coordinator_sites(invitation: Invitation) -> list[MeetingSite]:
    """The sites whose desk this invitation's holder may run (for the personal page)."""
    desk = DeskActor(coordinator=invitation)
    return [site for site in invitation.meeting.sites if desk.may_operate(site)]


# --- pages ------------------------------------------------------------------------------


@bp.get("/desk/<code>")
def desk_page(code: str) -> Any:
    site = _site(code)
    if _actor(site) is None:
        if not current_user.is_authenticated and SESSION_KEY not in session:
            return redirect(url_for("accounts.login", next=request.path))
        abort(403)
    return render_template(
        "checkin/desk.html",
        site=site,
        meeting=site.meeting,
        csrf=generate_csrf(),
        roles={role.value: str(label) for role, label in INVITEE_ROLE_LABELS.items()},
    )


# --- JSON -------------------------------------------------------------------------------


@bp.get("/desk/<code>/bundle.json")
def bundle(code: str) -> Response:
    """What an offline desk needs: key, invitees (no contact data) and revocations."""
    site = _site(code)
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


@bp.post("/desk/<code>/scan")
def scan(code: str) -> Response:
    site = _site(code)
    desk = _json_actor(site)
    data = _body()
    try:
        result = redeem_credential(
            desk, site, str(data.get("credential") or ""), str(data.get("nonce") or "")
        )
    except ServiceError as exc:
        return _service_error(exc)
    return jsonify(result.as_dict())


@bp.post("/desk/<code>/offline")
def offline(code: str) -> Response:
    """Scans queued while offline; each answer carries its nonce so the desk can drop it."""
    site = _site(code)
    desk = _json_actor(site)
    scans = _body().get("scans")
    if not isinstance(scans, list) or len(scans) > MAX_UPLOAD:
        return _refusal_response(400, _("Data yang dikirim tidak valid."))
    scans = [scan for scan in scans if isinstance(scan, dict)]
    try:
        results = upload_offline(desk, site, scans)
    except ServiceError as exc:
        return _service_error(exc)
    return jsonify(
        {
            "results": [
                {**result.as_dict(), "nonce": str(scan.get("nonce") or "")}
                for scan, result in zip(scans, results, strict=True)
            ]
        }
    )


@bp.post("/desk/<code>/checkout")
def checkout(code: str) -> Response:
    """Leaving: the person's attendance gets its out time (a second scan changes nothing)."""
    site = _site(code)
    desk = _json_actor(site)
    body = _body()
    result = checkout_credential(
        desk, site, str(body.get("credential") or ""), str(body.get("nonce") or "")
    )
    return jsonify(result.as_dict())


# --- the personal QR on the participant's page ------------------------------------------


def credential_qr(invitation: Invitation) -> str:
    """The personal credential as a QR image for the participant's page."""
    return qr_data_uri(keys.credential_for(invitation), box_size=8)
