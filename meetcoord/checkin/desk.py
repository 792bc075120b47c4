"""The registration desk's scans: a coordinator (or staff) redeems a personal credential.

The common case at a busy desk — a valid credential of an invited person not yet here,
inside the check-in window — takes one read, two inserts and one commit
(``_fast_admit``); everything else takes the exact path of every door (``services``):
replays, "already", refusals with their reasons, offline scans whose earliest wins.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from meetcoord.access import permissions, scope
from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.checkin import credentials, keys
from meetcoord.checkin.admission import (
    NONCE_MAX,
    CheckinResult,
    admit,
    admit_earliest,
    answer_before,
    check_nonce,
    finish,
    invitation_refusal,
    refused,
)
from meetcoord.checkin.models import Attendance, CheckinMethod, CheckinNonce
from meetcoord.core.db import utcnow
from meetcoord.core.names import before_period
from meetcoord.directory.models import Organization, Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings import opening, windows
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite
from meetcoord.meetings.services import ACTIVE


def redeem_credential(
    desk: Actor,
    site: MeetingSite,
    text: str,
    nonce: str,
    *,
    scanned_at: datetime | None = None,
    offline: bool = False,
    fast_path: bool = True,
) -> CheckinResult:
    """``fast_path=False``: the caller already tried ``_fast_admit`` (``redeem_at_code``)."""
    nonce = check_nonce(nonce)
    desk.require(Permission.CHECKIN_OPERATE, site)  # outside its reach: not found
    if (
        fast_path
        and not offline
        and (admitted := _fast_admit(desk, site.code, text, nonce, scanned_at))
    ):
        return admitted
    if (replay := answer_before(site.meeting_id, nonce)) is not None:
        return replay
    meeting = site.meeting
    result = _redeem_credential(desk, site, meeting, text, scanned_at, offline)
    return finish(meeting.id, nonce, result)


def redeem_at_code(
    desk: Actor, site_code: str, text: str, nonce: str, *, scanned_at: datetime | None = None
) -> CheckinResult | None:
    """The API's common case, decided before any site object is loaded; None otherwise.

    A staff account (who may operate every site) scanning a valid credential with a
    well-formed nonce: ``_fast_admit``. Anything else — an unknown site, a coordinator's
    desk, a bad nonce, a refusal, a retry — returns None and the caller takes the full
    path (``redeem_credential``), which gives the errors and answers in their usual order.
    """
    if desk.user is None or not permissions.allowed(desk.user, Permission.CHECKIN_OPERATE):
        return None
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > NONCE_MAX:
        return None
    return _fast_admit(desk, site_code, text, nonce, scanned_at)


_sites, _meetings, _venues = MeetingSite.__table__, Meeting.__table__, Venue.__table__
_invitations, _people, _orgs = Invitation.__table__, Person.__table__, Organization.__table__
# Everything a desk scan needs, in one statement built once: the site (by its public code)
# with its meeting and venue, and the invitation the credential names with its person.
# Core, not ORM: no objects are built, and nothing is left in the session to flush.
_SCAN_CONTEXT = (
    select(
        _sites.c.id.label("site_id"),
        _sites.c.meeting_id,
        _meetings.c.status,
        scope.works_clause(
            bindparam("user_id"), _meetings.c.institution_id, _meetings.c.cohost_institution_id
        ).label("works"),
        _meetings.c.signing_salt,
        _meetings.c.start_at,
        _meetings.c.end_at,
        _venues.c.name.label("venue"),
        _invitations.c.meeting_id.label("invitation_meeting_id"),
        _invitations.c.person_id,
        _invitations.c.role,
        _invitations.c.withdrawn_at,
        _people.c.name,
        _people.c.position,
        _orgs.c.name.label("organization"),
    )
    .select_from(_sites)
    .join(_meetings, _meetings.c.id == _sites.c.meeting_id)
    .join(_venues, _venues.c.id == _sites.c.venue_id)
    .join(_invitations, _invitations.c.id == bindparam("invitation_id"))
    .join(_people, _people.c.id == _invitations.c.person_id)
    .outerjoin(_orgs, _orgs.c.id == _people.c.organization_id)
    .where(_sites.c.code == bindparam("code"))
)
_INSERT_ATTENDANCE = insert(Attendance.__table__)
_INSERT_NONCE = insert(CheckinNonce.__table__)


def _fast_admit(
    desk: Actor, site_code: str, text: str, nonce: str, scanned_at: datetime | None
) -> CheckinResult | None:
    """The common case at a busy desk: one read, two inserts, one commit; None otherwise.

    A valid credential of an invited person not yet here, inside the check-in window:
    read the site and invitation in one statement, insert the attendance and the nonce's
    answer, commit. Whatever else could be true — a refusal, a retried nonce, a person
    already admitted by another desk, a scan time at the window's edge — returns None (a
    unique-constraint conflict rolls back first), and the exact path (replay, "already",
    refusals) answers instead. The caller has checked the nonce's form
    and that the desk may operate the site.
    """
    try:
        claimed, payload, signature = credentials.parse(text)
    except credentials.CredentialError:
        return None
    conn = db.session.connection()
    row = conn.execute(
        _SCAN_CONTEXT,
        {
            "code": site_code.strip().lower(),
            "invitation_id": claimed.invitation_id,
            "user_id": desk.user.id if desk.user else None,
        },
    ).first()
    if (
        row is None
        or claimed.meeting_id != row.meeting_id
        or row.invitation_meeting_id != row.meeting_id
        or row.withdrawn_at is not None
        or row.status not in ACTIVE
        # A coordinator's site was checked by the caller; staff work for the meeting's
        # owner or co-host (access.scope), read in the same statement.
        or (desk.user is not None and not (row.works or desk.user.is_admin()))
    ):
        return None
    now = utcnow()
    at = scanned_at or now
    if at > now or not windows.is_open(row, at, opening.rule()):
        return None
    server_key = current_app.config["SECRET_KEY"]
    if not credentials.signature_holds(
        payload, signature, credentials.meeting_public_key(server_key, row.signing_salt)
    ):
        return None
    try:
        attendance_id = conn.execute(
            _INSERT_ATTENDANCE,
            {
                "meeting_id": row.meeting_id,
                "person_id": row.person_id,
                "invitation_id": claimed.invitation_id,
                "site_id": row.site_id,
                "method": CheckinMethod.DESK,
                "checked_in_at": at,
                "recorded_by_id": desk.user.id if desk.user else None,
            },
        ).inserted_primary_key[0]
        result = CheckinResult(
            "checked_in",
            None,
            _("Selamat datang, %(name)s.", name=before_period(row.name)),
            {
                "name": row.name,
                "organization": row.organization,
                "position": row.position,
                "role": row.role.value,
                "invitation_id": claimed.invitation_id,
            },
            row.venue,
            at.isoformat(),
            attendance_id,
        )
        conn.execute(
            _INSERT_NONCE,
            {"meeting_id": row.meeting_id, "nonce": nonce, "response": result.as_dict()},
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    from meetcoord.checkin import live

    live.counts_changed(row.meeting_id)
    return result


def _redeem_credential(
    desk: Actor,
    site: MeetingSite,
    meeting: Meeting,
    text: str,
    scanned_at: datetime | None,
    offline: bool,
) -> CheckinResult:
    try:
        claimed, _payload, _signature = credentials.parse(text)
    except credentials.CredentialError:
        return refused("malformed", _("Kode QR ini bukan kartu undangan meetcoord."))
    if claimed.meeting_id != meeting.id:
        other = db.session.get(Meeting, claimed.meeting_id)
        title = other.title if other else _("rapat tidak dikenal")
        return refused("wrong_meeting", _("Undangan untuk rapat lain: %(title)s.", title=title))
    try:
        credentials.verify(text, keys.signing_key(meeting).public_key())
    except credentials.CredentialError:
        return refused("bad_signature", _("Tanda tangan kartu undangan tidak sah."))
    invitation = db.session.get(
        Invitation, claimed.invitation_id, options=[joinedload(Invitation.person)]
    )
    refusal = invitation_refusal(invitation, site, meeting, scanned_at=scanned_at)
    if refusal is not None:
        return refusal
    assert invitation is not None  # invitation_refusal covers None
    method = CheckinMethod.DESK_OFFLINE if offline else CheckinMethod.DESK
    if offline and scanned_at is not None:
        return admit_earliest(invitation, site, method, scanned_at, desk.user)
    return admit(invitation, site, method, at=scanned_at, actor=desk.user)
