"""Self check-in from a phone at the venue: ``/c/<site-code>/<code>`` and ``/c``.

The kiosk code in the URL proves the phone is in the room. It rotates every 20 seconds and
is accepted for at most 40 (``codes``), so the first page load turns it into a *scan
pass*: the time the code was read, signed by the server, good for ``codes.PASS_SECONDS``
(4 minutes) and kept in a cookie of that phone's browser only (never in a URL, so a
forwarded link carries no pass and dies with its code). The pass covers the next steps
(finding one's name, typing the phone digits, a walk-in form); the services still check
the code themselves, at the time the pass vouches for. Every POST carries a nonce made
per page load, so a double tap or a retried request gets the first answer back.

Public routes: rate limited per address (``MEETCOORD_CHECKIN_RATE_LIMIT``); phones at one
venue often share one address, so the default is generous.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.checkin import codes, selfservice
from meetcoord.checkin.admission import CheckinResult
from meetcoord.core.errors import ValidationError
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.extensions import db, limiter
from meetcoord.meetings.models import Invitation, MeetingSite

bp = Blueprint("selfcheckin", __name__)

PASS_COOKIE = "mc_scan"  # noqa: S105 (a cookie name, not a secret)
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
WALK_IN_FIELDS = ("name", "organization", "position", "category", "gender", "phone")


def checkin_limit() -> str:
    return current_app.config["CHECKIN_RATE_LIMIT"]


public_limit = limiter.shared_limit(checkin_limit, scope="self-checkin")

# Four digits are 10,000 guesses: besides the per-address limit, each invitee allows only a
# few failed confirmations, from any address and at any site of the meeting (their desk can
# still check them in).
SECOND_FACTOR_LIMIT = "10 per 10 minutes"


def second_factor_key() -> str:
    """The count's key: the invitee the digits are for, as parsed — not as spelled.

    Keyed on the raw URL and form values, ``03``, ``0003``, an upper-case site code or an
    Arabic-Indic digit each started a fresh count for the same person.
    """
    site = selfservice.site_by_code((request.view_args or {}).get("site_code", ""))
    invitation = selfservice.confirm_target(site, request.form.get("invitation_id"))
    if invitation is None:
        return "second-factor:none"  # answered 400 before any digits are compared
    # The meeting's UID, not its row id: row ids can come back (SQLite after a rollback),
    # and a count must never carry over to another meeting's invitee.
    return f"second-factor:{invitation.meeting.uid}:{invitation.person_id}"


second_factor_limit = limiter.limit(
    SECOND_FACTOR_LIMIT,
    key_func=second_factor_key,
    exempt_when=lambda: request.form.get("action") != "confirm",
    deduct_when=lambda response: response.status_code != 200,
)


# --- the scan pass ----------------------------------------------------------------------


def _passes() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="meetcoord:scan-pass")


def give_pass(response: Response, site: MeetingSite, code: str, scanned_at: float) -> None:
    """The phone that read ``code`` keeps the pass, for the pass's lifetime only."""
    response.set_cookie(
        PASS_COOKIE,
        _passes().dumps({"s": site.id, "c": code, "t": scanned_at}),
        max_age=codes.PASS_SECONDS,
        path="/c/",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def pass_time(site: MeetingSite, code: str) -> float | None:
    """When this phone read ``code`` at ``site``, if its fresh pass says so."""
    raw = request.cookies.get(PASS_COOKIE)
    if not raw:
        return None
    try:
        data = _passes().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != site.id or data.get("c") != code:
        return None
    scanned_at = data.get("t")
    if not isinstance(scanned_at, int | float) or not (
        0 <= time.time() - scanned_at <= codes.PASS_SECONDS
    ):
        return None
    return float(scanned_at)


def _is_typed(code: str) -> bool:
    return len(code) == codes.TYPED_CODE_LENGTH


# --- pages ------------------------------------------------------------------------------


def _site(site_code: str) -> MeetingSite:
    site = selfservice.site_by_code(site_code)
    if site is None:
        abort(404)
    return site


def _result(site: MeetingSite | None, result: CheckinResult, retry: str | None = None) -> Any:
    html = render_template("checkin/self_result.html", site=site, result=result, retry=retry)
    return html, (200 if result.status in ("checked_in", "already") else 409), NO_STORE


def _invitees(site: MeetingSite, query: str) -> list[Invitation]:
    """This meeting's invitees by name; only name and agency are ever shown."""
    needle = query.strip().casefold()
    people = [
        inv
        for inv in site.meeting.invitations
        if inv.withdrawn_at is None
        and (
            not needle
            or needle in inv.person.name.casefold()
            or (inv.person.organization and needle in inv.person.organization.name.casefold())
        )
    ]
    return sorted(people, key=lambda inv: inv.person.name.casefold())


def _choose(
    site: MeetingSite,
    code: str,
    *,
    errors: dict[str, list[str]] | None = None,
    message: str | None = None,
    values: dict[str, str] | None = None,
    mode: str | None = None,
    status: int = 200,
) -> Any:
    args = request.args
    chosen = None
    if mode is None:
        chosen = selfservice.confirm_target(site, args.get("who"))
        if chosen is not None and chosen.withdrawn_at:
            chosen = None
        linked = _linked(site)
        if chosen is not None:
            mode = "confirm"
        elif args.get("walkin"):
            mode = "walkin"
        elif linked is not None and not args.get("other"):
            mode = "link"
        else:
            mode = "list"
    else:
        linked = None
        if mode == "confirm":
            chosen = selfservice.confirm_target(site, request.form.get("invitation_id"))
            if chosen is None:
                abort(400)
    html = render_template(
        "checkin/self_checkin.html",
        site=site,
        meeting=site.meeting,
        code=code,
        nonce=secrets.token_urlsafe(16),
        mode=mode,
        linked=linked,
        chosen=chosen,
        query=args.get("q", ""),
        invitees=_invitees(site, args.get("q", "")) if mode == "list" else [],
        categories=CATEGORY_LABELS,
        genders=GENDER_LABELS,
        errors=errors or {},
        message=message,
        values=values or {},
    )
    return html, status, NO_STORE


def _linked(site: Any) -> Any:
    """The invitation this phone's link cookie holds for the site's meeting (or None)."""
    found = resolve.cookie(site.meeting)
    return found.invitation if found is not None else None


@bp.get("/c/<site_code>/<code>")
@requires(Permission.CHECKIN_SELF)
@public_limit
def scan(site_code: str, code: str) -> Any:
    site = _site(site_code)
    if pass_time(site, code) is not None:
        return _choose(site, code)
    refusal = selfservice.check_kiosk_code(site, code, typed=_is_typed(code)) or (
        selfservice.closed(site)
    )
    if refusal is not None:
        return _result(site, refusal)
    html, status, headers = _choose(site, code)
    response = make_response(html, status, headers)
    give_pass(response, site, code, time.time())
    return response


@bp.post("/c/<site_code>/<code>")
@requires(Permission.CHECKIN_SELF)
@public_limit
@second_factor_limit
def check_in(site_code: str, code: str) -> Any:
    site = _site(site_code)
    form = request.form
    scanned_at = pass_time(site, code)
    typed = _is_typed(code)
    nonce = form.get("nonce", "")
    action = form.get("action")
    try:
        if action == "link":
            invitation = _linked(site)
            result = selfservice.checkin_with_link(
                site, code, invitation, nonce, typed=typed, scanned_at=scanned_at
            )
        elif action == "confirm":
            invitation = selfservice.confirm_target(site, form.get("invitation_id"))
            if invitation is None:
                abort(400)
            stand_in = None
            if form.get("stand_in"):
                stand_in = {
                    "name": form.get("stand_in_name"),
                    "position": form.get("stand_in_position"),
                }
                if not (stand_in["name"] or "").strip():
                    return _choose(
                        site,
                        code,
                        mode="confirm",
                        errors={"stand_in_name": [_("Wajib diisi.")]},
                        message=_("Tuliskan nama Anda sebagai wakil."),
                        values=dict(form),
                        status=422,
                    )
            result = selfservice.checkin_confirmed(
                site,
                code,
                invitation.id,
                form.get("last_four", ""),
                nonce,
                stand_in,
                typed=typed,
                scanned_at=scanned_at,
            )
            if result.reason == "second_factor":
                retry = url_for(".scan", site_code=site.code, code=code, who=invitation.id)
                return _result(site, result, retry)
        elif action == "walkin":
            data = {name: form.get(name, "") for name in WALK_IN_FIELDS if form.get(name)}
            result = selfservice.register_walk_in(
                site, code, data, nonce, typed=typed, scanned_at=scanned_at
            )
        else:
            abort(400)
    except ValidationError as exc:
        db.session.rollback()  # nothing of a refused form stays in the session
        if action != "walkin" or "nonce" in (exc.errors or {}):
            abort(400)
        return _choose(
            site,
            code,
            mode="walkin",
            errors=exc.errors,
            message=str(exc.message),
            values=dict(form),
            status=422,
        )
    return _result(site, result)


@bp.route("/c", methods=["GET", "POST"])
@requires(Permission.CHECKIN_SELF)
@public_limit
def manual() -> Any:
    """When scanning fails: the site code and the short code read off the screen."""
    message = None
    site_code = request.values.get("site", "").strip().lower()
    typed = codes.normalise_typed(request.values.get("code", ""))
    if request.method == "POST":
        site = selfservice.site_by_code(site_code) if site_code else None
        if site is None:
            message = _("Kode lokasi tidak dikenal. Periksa tulisan di bawah kode QR.")
        elif len(typed) != codes.TYPED_CODE_LENGTH:
            message = _(
                "Kode pendek terdiri dari %(n)d huruf dan angka.", n=codes.TYPED_CODE_LENGTH
            )
        else:
            return redirect(url_for(".scan", site_code=site.code, code=typed))
    html = render_template(
        "checkin/self_manual.html", message=message, site_code=site_code, code=typed
    )
    return html, (422 if message else 200), NO_STORE
