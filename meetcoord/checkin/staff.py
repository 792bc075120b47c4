"""What the secretariat does by hand: tick a name, check someone out, settle a conflict.

Manual check-in goes through the same exact path as every door (``admission.admit`` and
the nonce store), so a double-clicked button records one attendance and gives one answer.
Check-out by credential (a desk scanning people as they leave) is answered like a scan and
replayed under its nonce too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.accounts.models import User
from meetcoord.checkin import credentials, keys, selfservice
from meetcoord.checkin.admission import (
    CheckinResult,
    admit,
    answer_before,
    check_nonce,
    check_out,
    finish,
    invitation_refusal,
    person_card,
    refused,
    where,
)
from meetcoord.checkin.counts import Presence, presence
from meetcoord.checkin.lists import Lists, absent_invitees, compose, load_attendances
from meetcoord.checkin.models import Attendance, CheckinConflict, CheckinMethod
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.timezones import format_time_in_zone
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite
from meetcoord.meetings.services import require_editor


def _site_of(meeting: Meeting, site_id: int | None) -> MeetingSite | None:
    """The site a request names (None: online); another meeting's is bad input (422)."""
    if site_id is None:
        return None
    site = db.session.get(MeetingSite, site_id)
    if site is None or site.meeting_id != meeting.id:
        raise ValidationError(
            _("Lokasi tidak ditemukan."),
            errors={"site_id": [_("Pilih salah satu lokasi rapat ini.")]},
        )
    return site


def manual_checkin(
    actor: User | None, meeting: Meeting, invitation_id: int, site_id: int | None, nonce: str
) -> CheckinResult:
    """A staff member ticks an invitee's name: present at ``site_id`` (None: online)."""
    require_editor(actor, meeting)
    nonce = check_nonce(nonce)
    if (replay := answer_before(meeting.id, nonce)) is not None:
        return replay
    site = _site_of(meeting, site_id)
    invitation = db.session.get(Invitation, invitation_id)
    result = invitation_refusal(invitation, site, meeting)
    if result is None:
        assert invitation is not None
        result = admit(invitation, site, CheckinMethod.MANUAL, actor=actor)
    return finish(meeting.id, nonce, result)


def staff_walk_in(
    actor: User | None, meeting: Meeting, site_id: int, data: Mapping[str, Any], nonce: str
) -> CheckinResult:
    """The secretariat registers someone not invited at a site (the kiosk form's twin).

    The same fields and rules as the kiosk's walk-in form (``selfservice.admit_walk_in``),
    inside the same check-in window; staff are the proof of place, not a kiosk code.
    """
    require_editor(actor, meeting)
    nonce = check_nonce(nonce)
    if (replay := answer_before(meeting.id, nonce)) is not None:
        return replay
    site = _site_of(meeting, site_id)
    assert site is not None
    refusal = selfservice.closed(site)
    result = refusal if refusal is not None else selfservice.admit_walk_in(site, data)
    return finish(meeting.id, nonce, result)


def staff_check_out(actor: User | None, meeting: Meeting, attendance_id: int) -> Attendance:
    require_editor(actor, meeting)
    attendance = db.session.get(Attendance, attendance_id)
    if attendance is None or attendance.meeting_id != meeting.id:
        raise NotFound(_("Kehadiran tidak ditemukan."))
    return check_out(attendance)


def checkout_credential(desk: Actor, site: MeetingSite, text: str, nonce: str) -> CheckinResult:
    """A desk scans the personal QR of someone leaving."""
    nonce = check_nonce(nonce)
    desk.require(Permission.CHECKIN_OPERATE, site)  # outside its reach: not found
    if (replay := answer_before(site.meeting_id, nonce)) is not None:
        return replay
    meeting = site.meeting
    try:
        claimed, _payload, _signature = credentials.parse(text)
    except credentials.CredentialError:
        refusal = refused("malformed", _("Kode QR ini bukan kartu undangan meetcoord."))
        return finish(meeting.id, nonce, refusal)
    if claimed.meeting_id != meeting.id:
        refusal = refused("wrong_meeting", _("Kartu undangan ini untuk rapat lain."))
        return finish(meeting.id, nonce, refusal)
    try:
        credentials.verify(text, keys.signing_key(meeting).public_key())
    except credentials.CredentialError:
        refusal = refused("bad_signature", _("Tanda tangan kartu undangan tidak sah."))
        return finish(meeting.id, nonce, refusal)
    return finish(meeting.id, nonce, _leave(site, claimed.invitation_id))


def _leave(site: MeetingSite, invitation_id: int) -> CheckinResult:
    meeting = site.meeting
    invitation = db.session.get(Invitation, invitation_id)
    attendance = (
        db.session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id,
                Attendance.person_id == invitation.person_id,
            )
        )
        if invitation is not None and invitation.meeting_id == meeting.id
        else None
    )
    result: CheckinResult
    if attendance is None:
        result = refused("not_checked_in", _("Peserta ini belum tercatat hadir."), invitation)
    elif attendance.site_id not in (None, site.id):
        result = refused("other_site", _("Peserta ini tercatat hadir di lokasi lain."), invitation)
    else:
        already = attendance.checked_out_at is not None
        check_out(attendance, site)
        zone = site.venue.timezone
        time = format_time_in_zone(attendance.checked_out_at, zone)
        result = CheckinResult(
            "already" if already else "checked_out",
            "already_checked_out" if already else None,
            _("Sudah keluar pukul %(time)s.", time=time)
            if already
            else _(
                "Sampai jumpa, %(name)s (keluar %(time)s).", name=attendance.person.name, time=time
            ),
            person_card(invitation, attendance),
            where(attendance),
            attendance.checked_out_at.isoformat(),
            attendance.id,
        )
    return result


def open_conflicts(meeting: Meeting, *, include_resolved: bool = False) -> list[CheckinConflict]:
    stmt = select(CheckinConflict).where(CheckinConflict.meeting_id == meeting.id)
    if not include_resolved:
        stmt = stmt.where(CheckinConflict.resolved_at.is_(None))
    return list(db.session.scalars(stmt.order_by(CheckinConflict.created_at, CheckinConflict.id)))


def resolve_conflict(actor: User | None, meeting: Meeting, conflict_id: int) -> CheckinConflict:
    """The secretariat has looked at it ("tandai selesai"); a second call changes nothing."""
    require_editor(actor, meeting)
    conflict = db.session.get(CheckinConflict, conflict_id)
    if conflict is None or conflict.meeting_id != meeting.id:
        raise NotFound(_("Konflik tidak ditemukan."))
    if conflict.resolved_at is None:
        conflict.resolved_at = utcnow()
        db.session.commit()
    return conflict


@dataclass(frozen=True)
class AttendancePage:
    """Everything the staff attendance page shows, read in one go."""

    lists: Lists
    presence: Presence
    conflicts: list[CheckinConflict]
    absent: list[Invitation]


def attendance_page(meeting: Meeting) -> AttendancePage:
    attendances = load_attendances(meeting)
    return AttendancePage(
        compose(meeting, attendances),
        presence(meeting),
        open_conflicts(meeting),
        absent_invitees(meeting, attendances),
    )
