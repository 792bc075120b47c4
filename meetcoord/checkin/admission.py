"""Checking people in and out: one path for every door, exact under retries and races.

Every request carries a nonce. The first answer is stored under it in the same transaction
as the attendance, so a retry (a desk that lost the response when the network dropped)
gets exactly the first answer back. One attendance per (meeting, person) is the database's
unique constraint: two desks scanning the same credential at once give one attendance and
one "already checked in", never two rows. Counts go to kiosks only after the commit.

This is the check-in core: the desk (``desk.py``), the secretariat's tick (``staff.py``),
self check-in and the kiosk (``selfservice.py``), the offline desk's upload and the API all
admit, refuse and answer a retried nonce through the public names here, so every door
gives the same answers in the same order.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from meetcoord import webhooks
from meetcoord.access import permissions
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import User
from meetcoord.checkin.models import Attendance, CheckinConflict, CheckinMethod, CheckinNonce
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, PermissionDenied, ValidationError
from meetcoord.core.names import before_period
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.extensions import db
from meetcoord.meetings import opening, zones
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


def not_your_site() -> PermissionDenied:
    """The 403 of a desk at a site it may not run, whichever door the scan came through."""
    return PermissionDenied(permissions.refusal(Permission.CHECKIN_OPERATE))


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


def where(attendance: Attendance) -> str:
    return attendance.site.venue.name if attendance.site else _("daring")


def when(attendance: Attendance) -> str:
    """The check-in time for whoever reads the answer: the site's zone, or online the
    person's own (``zones.reader_zone``)."""
    if attendance.site is not None:
        zone = attendance.site.venue.timezone
    elif attendance.invitation is not None:
        zone = zones.reader_zone(attendance.invitation)
    else:
        zone = zones.host_zone(attendance.meeting)
    return format_time_in_zone(attendance.checked_in_at, zone)


def already(attendance: Attendance, invitation: Invitation | None) -> CheckinResult:
    return CheckinResult(
        "already",
        "already_checked_in",
        _(
            "Sudah hadir di %(site)s pukul %(time)s.",
            site=where(attendance),
            time=when(attendance),
        ),
        person_card(invitation, attendance),
        where(attendance),
        attendance.checked_in_at.isoformat(),
        attendance.id,
    )


def refused(reason: str, message: str, invitation: Invitation | None = None) -> CheckinResult:
    return CheckinResult("refused", reason, message, person_card(invitation) or None)


def check_nonce(nonce: str) -> str:
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > NONCE_MAX:
        raise ValidationError(
            _("Permintaan tanpa nonce yang sah."),
            errors={"nonce": [_("Wajib diisi, paling banyak %(n)d karakter.", n=NONCE_MAX)]},
        )
    return nonce


def answer_before(meeting_id: int, nonce: str) -> CheckinResult | None:
    row = db.session.scalar(
        select(CheckinNonce).where(
            CheckinNonce.meeting_id == meeting_id, CheckinNonce.nonce == nonce
        )
    )
    return CheckinResult(**row.response) if row else None


def finish(meeting_id: int, nonce: str, result: CheckinResult) -> CheckinResult:
    """Store the answer under its nonce and commit; a lost race returns the winner's."""
    db.session.add(CheckinNonce(meeting_id=meeting_id, nonce=nonce, response=result.as_dict()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        replay = answer_before(meeting_id, nonce)
        if replay is None:
            raise
        return replay
    if result.status in ("checked_in", "checked_out"):
        from meetcoord.checkin import live

        live.counts_changed(meeting_id)
    return result


def check_out(attendance: Attendance, site: MeetingSite | None = None) -> Attendance:
    """Leaving: the out time is kept; a second check-out changes nothing."""
    if attendance.checked_out_at is not None:
        return attendance
    if site is not None and attendance.site_id not in (None, site.id):
        raise Conflict(_("Peserta ini tercatat hadir di lokasi lain."))
    attendance.checked_out_at = utcnow()
    db.session.commit()
    from meetcoord.checkin import live

    live.counts_changed(attendance.meeting_id)
    return attendance


def admit(
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
        return already(existing, invitation)
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
        return already(existing, invitation)
    webhooks.attendance_checked_in(attendance, meeting)
    return CheckinResult(
        "checked_in",
        None,
        _("Selamat datang, %(name)s.", name=before_period(invitation.person.name)),
        person_card(invitation),
        where(attendance),
        attendance.checked_in_at.isoformat(),
        attendance.id,
    )


def meeting_refusal(
    meeting: Meeting,
    site: MeetingSite | None,
    invitation: Invitation | None = None,
    scanned_at: datetime | None = None,
) -> CheckinResult | None:
    """Not scheduled or live, or outside the check-in window (now, or at ``scanned_at``)."""
    if meeting.status not in ACTIVE:
        return refused(
            "meeting_not_open", _("Rapat ini belum dibuka atau sudah selesai."), invitation
        )
    closed = opening.checkin_refusal(
        meeting, site=site, invitation=invitation, scanned_at=scanned_at
    )
    return refused(*closed, invitation) if closed is not None else None


def invitation_refusal(
    invitation: Invitation | None,
    site: MeetingSite | None,
    meeting: Meeting,
    *,
    scanned_at: datetime | None = None,
) -> CheckinResult | None:
    if invitation is None:
        return refused("not_invited", _("Tidak terdaftar sebagai undangan rapat ini."))
    if invitation.meeting_id != meeting.id:
        return refused(
            "wrong_meeting",
            _("Undangan untuk rapat lain: %(title)s.", title=invitation.meeting.title),
            invitation,
        )
    if invitation.withdrawn_at is not None:
        return refused("withdrawn", _("Undangan ini sudah ditarik."), invitation)
    return meeting_refusal(meeting, site, invitation, scanned_at)


def admit_earliest(
    invitation: Invitation,
    site: MeetingSite,
    method: CheckinMethod,
    scanned_at: datetime,
    actor: User | None,
) -> CheckinResult:
    """An offline scan arriving late: the earliest scan of a person wins, across sites.

    If the person was already recorded later (elsewhere or here), this earlier scan takes
    its place and the later one is kept as a conflict for the secretariat; if they were
    recorded earlier, this scan is the conflict.
    """
    existing = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == invitation.meeting_id,
            Attendance.person_id == invitation.person_id,
        )
    )
    if existing is None:
        return admit(invitation, site, method, at=scanned_at, actor=actor)
    if existing.site_id == site.id and existing.checked_in_at <= scanned_at:
        return already(existing, invitation)
    if existing.checked_in_at <= scanned_at:
        db.session.add(
            CheckinConflict(
                meeting_id=invitation.meeting_id,
                person_id=invitation.person_id,
                attendance=existing,
                other_site=site,
                other_scanned_at=scanned_at,
            )
        )
        return already(existing, invitation)
    if existing.site_id != site.id:
        db.session.add(
            CheckinConflict(
                meeting_id=invitation.meeting_id,
                person_id=invitation.person_id,
                attendance=existing,
                other_site=existing.site,
                other_scanned_at=existing.checked_in_at,
            )
        )
    existing.site, existing.checked_in_at, existing.method = site, scanned_at, method
    existing.recorded_by = actor
    return CheckinResult(
        "checked_in",
        None,
        _("Selamat datang, %(name)s.", name=before_period(invitation.person.name)),
        person_card(invitation),
        where(existing),
        scanned_at.isoformat(),
        existing.id,
    )
