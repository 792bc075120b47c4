"""The registration desk at a site: scan personal credentials, online or offline.

Staff sign in as usual; a site coordinator opens ``/i/<token>/desk/<site-code>`` from the
personal page, which puts their invitation in the (signed) session and sends them to the
desk. Every request re-checks ``DeskActor.may_operate``, so withdrawing the coordinator's
invitation closes their desk at once. The page keeps a bundle (the meeting's public key,
the invitees and the revocation list) so it can verify credentials while the connection is
down, queue the scans in IndexedDB and upload them when it returns.
"""

from __future__ import annotations

import base64
import io
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
from sqlalchemy import select

from meetcoord.checkin import credentials, keys
from meetcoord.checkin.counts import check_out
from meetcoord.checkin.models import Attendance
from meetcoord.checkin.offline import upload_offline
from meetcoord.checkin.services import (
    CheckinResult,
    DeskActor,
    person_card,
    redeem_credential,
)
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, ServiceError
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.extensions import db
from meetcoord.meetings import invitations
from meetcoord.meetings.models import Invitation, MeetingSite
from meetcoord.meetings.participant_forms import ROLE_LABELS
from meetcoord.meetings.participant_views import PRIVATE_HEADERS, personal_limit

bp = Blueprint("desk", __name__)

SESSION_KEY = "desk_invitation_id"  # the coordinator's invitation, set by their link
MAX_UPLOAD = 500  # scans in one offline upload


def _site(code: str) -> MeetingSite:
    site = db.session.scalar(select(MeetingSite).where(MeetingSite.code == code.strip().lower()))
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


@bp.get("/i/<token>/desk/<code>")
@personal_limit
def coordinator_entry(token: str, code: str) -> Response:
    """A coordinator's personal link opens their site's desk (and only theirs)."""
    invitation = invitations.invitation_by_token(token)
    site = _site(code)
    if not DeskActor(coordinator=invitation).may_operate(site):
        abort(403)
    session[SESSION_KEY] = invitation.id
    response = redirect(url_for("desk.desk_page", code=site.code))
    response.headers.update(PRIVATE_HEADERS)  # the token is in this URL
    return response


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
        roles={role.value: str(label) for role, label in ROLE_LABELS.items()},
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
    _json_actor(site)
    return jsonify(_checkout(site, str(_body().get("credential") or "")).as_dict())


def _checkout(site: MeetingSite, text: str) -> CheckinResult:
    meeting = site.meeting
    try:
        claimed = credentials.verify(text, keys.signing_key(meeting).public_key())
    except credentials.CredentialError as exc:
        if exc.reason == "bad_signature":
            return CheckinResult(
                "refused", "bad_signature", _("Tanda tangan kartu undangan tidak sah.")
            )
        return CheckinResult(
            "refused", "malformed", _("Kode QR ini bukan kartu undangan meetcoord.")
        )
    invitation = db.session.get(Invitation, claimed.invitation_id)
    if claimed.meeting_id != meeting.id or invitation is None:
        return CheckinResult("refused", "wrong_meeting", _("Undangan untuk rapat lain."))
    attendance = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.person_id == invitation.person_id
        )
    )
    card = person_card(invitation)
    if attendance is None:
        return CheckinResult(
            "refused", "not_checked_in", _("Belum tercatat hadir; tidak dapat keluar."), card
        )
    try:
        check_out(attendance, site)
    except Conflict as exc:
        db.session.rollback()
        return CheckinResult("refused", "other_site", str(exc.message), card)
    assert attendance.checked_out_at is not None
    time = format_time_in_zone(attendance.checked_out_at, site.venue.timezone)
    return CheckinResult(
        "checked_out",
        None,
        _("%(name)s keluar pukul %(time)s.", name=invitation.person.name, time=time),
        card,
        site.venue.name,
        attendance.checked_out_at.isoformat(),
        attendance.id,
    )


# --- the personal QR on the participant's page ------------------------------------------


def credential_qr(invitation: Invitation) -> str:
    """The personal credential as a PNG data URI (the page's CSP allows ``data:`` images)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(keys.credential_for(invitation))
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
