"""Who is here: counts per site, quorum, check-out."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from flask_babel import gettext as _
from sqlalchemy import func, select

from meetcoord.checkin.models import Attendance
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict
from meetcoord.directory.models import ForumMember
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite


@dataclass(frozen=True)
class SitePresence:
    site_id: int | None  # None: online
    name: str
    present: int
    invited: int
    minimum: int | None

    @property
    def meets_minimum(self) -> bool:
        return self.minimum is None or self.present >= self.minimum


@dataclass(frozen=True)
class Presence:
    sites: list[SitePresence] = field(default_factory=list)
    total: int = 0
    quorum_required: int | None = None  # people needed across all sites
    quorum_base: int = 0  # forum members, or invitees when there is no forum

    @property
    def has_rule(self) -> bool:
        """A share of members or a site minimum is set; without one "met" says nothing."""
        return self.quorum_required is not None or any(s.minimum is not None for s in self.sites)

    @property
    def quorum_met(self) -> bool:
        overall = self.quorum_required is None or self.total >= self.quorum_required
        return overall and all(site.meets_minimum for site in self.sites)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "quorum": {
                "rule": self.has_rule,
                "required": self.quorum_required,
                "base": self.quorum_base,
                "met": self.quorum_met,
            },
            "sites": [
                {
                    "site_id": s.site_id,
                    "name": s.name,
                    "present": s.present,
                    "invited": s.invited,
                    "minimum": s.minimum,
                    "meets_minimum": s.meets_minimum,
                }
                for s in self.sites
            ],
        }


def presence(meeting: Meeting) -> Presence:
    """Present (checked in, not yet out) per site and online, and whether quorum holds."""
    rows = dict(
        db.session.execute(
            select(Attendance.site_id, func.count())
            .where(Attendance.meeting_id == meeting.id, Attendance.checked_out_at.is_(None))
            .group_by(Attendance.site_id)
        ).all()
    )
    # Counted by the database: kiosks get these every half second while people arrive,
    # and loading 500 invitations for it stalled every desk scan behind it (checkin bench).
    invited: dict[int | None, int] = dict(
        db.session.execute(
            select(Invitation.site_id, func.count())
            .where(Invitation.meeting_id == meeting.id, Invitation.withdrawn_at.is_(None))
            .group_by(Invitation.site_id)
        ).all()
    )
    sites = [
        SitePresence(
            site.id,
            site.venue.name,
            rows.get(site.id, 0),
            invited.get(site.id, 0),
            site.quorum_minimum,
        )
        for site in meeting.sites
    ]
    sites.append(SitePresence(None, _("Daring"), rows.get(None, 0), invited.get(None, 0), None))
    base = (
        db.session.scalar(
            select(func.count())
            .select_from(ForumMember)
            .where(ForumMember.forum_id == meeting.forum_id)
        )
        or 0
        if meeting.forum_id is not None
        else sum(invited.values())
    )
    required = ceil(base * meeting.quorum_percent / 100) if meeting.quorum_percent else None
    return Presence(sites, sum(rows.values()), required, base)


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
