"""Checking people in and out: one path for every door, exact under retries and races.

Every request carries a nonce. The first answer is stored under it in the same transaction
as the attendance, so a retry (a desk that lost the response when the network dropped)
gets exactly the first answer back. One attendance per (meeting, person) is the database's
unique constraint: two desks scanning the same credential at once give one attendance and
one "already checked in", never two rows. Counts go to kiosks only after the commit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from meetcoord.accounts.models import User
from meetcoord.checkin import credentials, keys
from meetcoord.checkin.models import Attendance, CheckinMethod, CheckinNonce
from meetcoord.core.db import utcnow
from meetcoord.core.errors import PermissionDenied, ValidationError
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.directory.models import Organization, Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings import opening, windows
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite
from meetcoord.meetings.services import ACTIVE

NONCE_MAX = 64


@dataclass
class CheckinResult:
    """What a desk or a phone is told; stored as JSON under the request's nonce."""

    status: str  # checked_in | already | refused | checked_out
    reason: str | None = None  # a code for machines: wrong_meeting, other_site, …
    message: str = ""
    person: dict[str, Any] | None = None
    site: str | None = None
    at: str | None = None
    attendance_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("checked_in", "checked_out")

    def as_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies field by field, and every scan builds
        # this twice (the nonce's stored answer and the response).
        return {
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "person": dict(self.person) if self.person is not None else None,
            "site": self.site,
            "at": self.at,
            "attendance_id": self.attendance_id,
            "extra": copy.deepcopy(self.extra) if self.extra else {},
        }


@dataclass(frozen=True)
class DeskActor:
    """Who operates a desk: a staff account, or a site coordinator through their link."""

    user: User | None = None
    coordinator: Invitation | None = None

    def may_operate(self, site: MeetingSite) -> bool:
        if self.user is not None and self.user.can_edit_directory():
            return True
        inv = self.coordinator
        return (
            inv is not None
            and inv.withdrawn_at is None
            and inv.meeting_id == site.meeting_id
            and (inv.site_id == site.id or site.coordinator_id == inv.person_id)
            and (inv.role.value == "site_coordinator" or site.coordinator_id == inv.person_id)
        )


def person_card(invitation: Invitation | None, attendance: Attendance | None = None) -> dict:
    person = invitation.person if invitation else attendance.person if attendance else None
    if person is None:
        return {}
    return {
        "name": person.name,
        "organization": person.organization.name if person.organization else None,
        "position": person.position,
        "role": invitation.role.value if invitation else None,
        "invitation_id": invitation.id if invitation else None,
    }


def _where(attendance: Attendance) -> str:
    return attendance.site.venue.name if attendance.site else _("daring")


def _when(attendance: Attendance) -> str:
    zone = (
        attendance.site.venue.timezone
        if attendance.site
        else (
            attendance.meeting.host_venue.timezone
            if attendance.meeting.host_venue
            else "Asia/Jakarta"
        )
    )
    return format_time_in_zone(attendance.checked_in_at, zone)


def _already(attendance: Attendance, invitation: Invitation | None) -> CheckinResult:
    return CheckinResult(
        "already",
        "already_checked_in",
        _(
            "Sudah hadir di %(site)s pukul %(time)s.",
            site=_where(attendance),
            time=_when(attendance),
        ),
        person_card(invitation, attendance),
        _where(attendance),
        attendance.checked_in_at.isoformat(),
        attendance.id,
    )


def _refused(reason: str, message: str, invitation: Invitation | None = None) -> CheckinResult:
    return CheckinResult("refused", reason, message, person_card(invitation) or None)


def _check_nonce(nonce: str) -> str:
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > NONCE_MAX:
        raise ValidationError(
            _("Permintaan tanpa nonce yang sah."),
            errors={"nonce": [_("Wajib diisi, paling banyak %(n)d karakter.", n=NONCE_MAX)]},
        )
    return nonce


def _replay(meeting_id: int, nonce: str) -> CheckinResult | None:
    row = db.session.scalar(
        select(CheckinNonce).where(
            CheckinNonce.meeting_id == meeting_id, CheckinNonce.nonce == nonce
        )
    )
    return CheckinResult(**row.response) if row else None


def _finish(meeting_id: int, nonce: str, result: CheckinResult) -> CheckinResult:
    """Store the answer under its nonce and commit; a lost race returns the winner's."""
    db.session.add(CheckinNonce(meeting_id=meeting_id, nonce=nonce, response=result.as_dict()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        replay = _replay(meeting_id, nonce)
        if replay is None:
            raise
        return replay
    if result.status in ("checked_in", "checked_out"):
        from meetcoord.checkin import live

        live.counts_changed(meeting_id)
    return result


def _admit(
    invitation: Invitation,
    site: MeetingSite | None,
    method: CheckinMethod,
    *,
    at: datetime | None = None,
    actor: User | None = None,
    **details: Any,
) -> CheckinResult:
    """Insert the attendance inside a savepoint; the unique constraint decides races."""
    meeting = invitation.meeting
    existing = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.person_id == invitation.person_id
        )
    )
    if existing is not None:
        return _already(existing, invitation)
    # Foreign keys, not related objects: adding an Attendance with meeting=, invitation=,
    # site= and recorded_by= made the flush cascade through everything those objects had
    # loaded, which was half the cost of a desk scan. The rows are in the session already.
    attendance = Attendance(
        meeting_id=meeting.id,
        person_id=invitation.person_id,
        invitation_id=invitation.id,
        site_id=site.id if site else None,
        method=method,
        checked_in_at=at or utcnow(),
        recorded_by_id=actor.id if actor else None,
        **details,
    )
    savepoint = db.session.begin_nested()
    db.session.add(attendance)
    try:
        savepoint.commit()
    except IntegrityError:  # another desk admitted the same person a moment ago
        savepoint.rollback()
        existing = db.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.person_id == invitation.person_id
            )
        )
        if existing is None:
            raise
        return _already(existing, invitation)
    return CheckinResult(
        "checked_in",
        None,
        _("Selamat datang, %(name)s.", name=invitation.person.name),
        person_card(invitation),
        _where(attendance),
        attendance.checked_in_at.isoformat(),
        attendance.id,
    )


def _meeting_refusal(
    meeting: Meeting,
    site: MeetingSite | None,
    invitation: Invitation | None = None,
    scanned_at: datetime | None = None,
) -> CheckinResult | None:
    """Not scheduled or live, or outside the check-in window (now, or at ``scanned_at``)."""
    if meeting.status not in ACTIVE:
        return _refused(
            "meeting_not_open", _("Rapat ini belum dibuka atau sudah selesai."), invitation
        )
    closed = opening.checkin_refusal(
        meeting, site=site, invitation=invitation, scanned_at=scanned_at
    )
    return _refused(*closed, invitation) if closed is not None else None


def _invitation_refusal(
    invitation: Invitation | None,
    site: MeetingSite | None,
    meeting: Meeting,
    *,
    scanned_at: datetime | None = None,
) -> CheckinResult | None:
    if invitation is None:
        return _refused("not_invited", _("Tidak terdaftar sebagai undangan rapat ini."))
    if invitation.meeting_id != meeting.id:
        return _refused(
            "wrong_meeting",
            _("Undangan untuk rapat lain: %(title)s.", title=invitation.meeting.title),
            invitation,
        )
    if invitation.withdrawn_at is not None:
        return _refused("withdrawn", _("Undangan ini sudah ditarik."), invitation)
    return _meeting_refusal(meeting, site, invitation, scanned_at)


# --- desk: a coordinator scans the personal credential ------------------------------------


def redeem_credential(
    desk: DeskActor,
    site: MeetingSite,
    text: str,
    nonce: str,
    *,
    scanned_at: datetime | None = None,
    offline: bool = False,
    fast_path: bool = True,
) -> CheckinResult:
    """``fast_path=False``: the caller already tried ``_fast_admit`` (``redeem_at_code``)."""
    nonce = _check_nonce(nonce)
    if not desk.may_operate(site):
        raise PermissionDenied(_("Anda hanya dapat mencatat kehadiran di lokasi Anda sendiri."))
    if (
        fast_path
        and not offline
        and (admitted := _fast_admit(desk, site.code, text, nonce, scanned_at))
    ):
        return admitted
    if (replay := _replay(site.meeting_id, nonce)) is not None:
        return replay
    meeting = site.meeting
    result = _redeem_credential(desk, site, meeting, text, scanned_at, offline)
    return _finish(meeting.id, nonce, result)


def redeem_at_code(
    desk: DeskActor, site_code: str, text: str, nonce: str, *, scanned_at: datetime | None = None
) -> CheckinResult | None:
    """The API's common case, decided before any site object is loaded; None otherwise.

    A staff account (who may operate every site) scanning a valid credential with a
    well-formed nonce: ``_fast_admit``. Anything else — an unknown site, a coordinator's
    desk, a bad nonce, a refusal, a retry — returns None and the caller takes the full
    path (``redeem_credential``), which gives the errors and answers in their usual order.
    """
    if desk.user is None or not desk.user.can_edit_directory():
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
    desk: DeskActor, site_code: str, text: str, nonce: str, scanned_at: datetime | None
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
        {"code": site_code.strip().lower(), "invitation_id": claimed.invitation_id},
    ).first()
    if (
        row is None
        or claimed.meeting_id != row.meeting_id
        or row.invitation_meeting_id != row.meeting_id
        or row.withdrawn_at is not None
        or row.status not in ACTIVE
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
            _("Selamat datang, %(name)s.", name=row.name),
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
    desk: DeskActor,
    site: MeetingSite,
    meeting: Meeting,
    text: str,
    scanned_at: datetime | None,
    offline: bool,
) -> CheckinResult:
    try:
        claimed, _payload, _signature = credentials.parse(text)
    except credentials.CredentialError:
        return _refused("malformed", _("Kode QR ini bukan kartu undangan meetcoord."))
    if claimed.meeting_id != meeting.id:
        other = db.session.get(Meeting, claimed.meeting_id)
        title = other.title if other else _("rapat tidak dikenal")
        return _refused("wrong_meeting", _("Undangan untuk rapat lain: %(title)s.", title=title))
    try:
        credentials.verify(text, keys.signing_key(meeting).public_key())
    except credentials.CredentialError:
        return _refused("bad_signature", _("Tanda tangan kartu undangan tidak sah."))
    invitation = db.session.get(
        Invitation, claimed.invitation_id, options=[joinedload(Invitation.person)]
    )
    refusal = _invitation_refusal(invitation, site, meeting, scanned_at=scanned_at)
    if refusal is not None:
        return refusal
    assert invitation is not None  # _invitation_refusal covers None
    method = CheckinMethod.DESK_OFFLINE if offline else CheckinMethod.DESK
    if offline and scanned_at is not None:
        from meetcoord.checkin.offline import admit_earliest  # offline builds on this module

        return admit_earliest(invitation, site, method, scanned_at, desk.user)
    return _admit(invitation, site, method, at=scanned_at, actor=desk.user)
