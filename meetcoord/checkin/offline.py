"""Scans a desk made while offline, uploaded when its connection came back.

The desk verified each credential itself and queued it with the time of the scan. The
server answers every queued scan as if it had been sent live (same nonce rules), with one
difference: the earliest scan of a person wins, even across sites, and the other is kept
as a conflict for the secretariat to review.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from meetcoord.accounts.models import User
from meetcoord.checkin.desk import redeem_credential
from meetcoord.checkin.models import Attendance, CheckinConflict, CheckinMethod
from meetcoord.checkin.services import (
    CheckinResult,
    DeskActor,
    _admit,
    _already,
    _where,
    person_card,
)
from meetcoord.core.errors import ValidationError
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, MeetingSite


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
        return _admit(invitation, site, method, at=scanned_at, actor=actor)
    if existing.site_id == site.id and existing.checked_in_at <= scanned_at:
        return _already(existing, invitation)
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
        return _already(existing, invitation)
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
        _("Selamat datang, %(name)s.", name=invitation.person.name),
        person_card(invitation),
        _where(existing),
        scanned_at.isoformat(),
        existing.id,
    )


def upload_offline(
    desk: DeskActor, site: MeetingSite, scans: list[Mapping[str, Any]]
) -> list[CheckinResult]:
    """A desk back online sends what it queued; each scan is answered as if sent live."""
    results = []
    for scan in scans:
        at = scan.get("scanned_at")
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                at = None
        if not isinstance(at, datetime) or at.tzinfo is None:
            raise ValidationError(
                _("Waktu pindai tidak valid."),
                errors={"scanned_at": [_("Harus waktu lengkap dengan zona.")]},
            )
        results.append(
            redeem_credential(
                desk,
                site,
                str(scan.get("credential") or ""),
                str(scan.get("nonce") or ""),
                scanned_at=at,
                offline=True,
            )
        )
    return results
