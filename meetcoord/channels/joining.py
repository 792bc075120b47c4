"""Online attendance that means something: joining inside the check-in window, with the time.

An online participant (invited to no site) counts as attending when they open the live view
or follow a channel's link through meetcoord inside the check-in window (the video
meeting's link counts for a site's invitee too: following it is choosing to join online).
Both go through ``checkin.selfservice.record_online``, the door the personal page's "join"
link always used: the same window, the same "already" (the first join time stays), the
same nonce, and the live counts updated after the commit. A site's participant opening the
live view is not an online attendee: they check in at their site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from meetcoord.channels.models import ChannelKind, MeetingChannel
from meetcoord.checkin import selfservice
from meetcoord.checkin.models import Attendance, CheckinMethod
from meetcoord.extensions import db
from meetcoord.meetings.models import Invitation, Meeting

ONLINE_METHODS = (CheckinMethod.ONLINE, CheckinMethod.LIVE_VIEW)


@dataclass(frozen=True)
class Joined:
    """What the page says: when the join was recorded, or why nothing was (``refusal``)."""

    at: datetime | None
    refusal: str | None = None


def _record(invitation: Invitation, method: CheckinMethod) -> Joined:
    result = selfservice.record_online(invitation, method)
    if result.status == "refused":
        return Joined(None, result.message)
    return Joined(datetime.fromisoformat(result.at) if result.at else None)


def join_live_view(invitation: Invitation) -> Joined | None:
    """Opening the live view: an online participant's attendance (None for a site's,
    who follow the room on their phone and check in at their site)."""
    if invitation.site_id is not None:
        return None
    return _record(invitation, CheckinMethod.LIVE_VIEW)


def follow_channel(invitation: Invitation, channel: MeetingChannel) -> Joined | None:
    """Following a channel's link through meetcoord.

    The video meeting: anyone following it joins online (as the personal page's "join"
    link always counted, a site's invitee included). A livestream: an online participant
    (a site may show it on its screen). A recording: nobody (watching later is not
    attending).
    """
    if channel.kind is ChannelKind.RECORDING:
        return None
    if channel.kind is ChannelKind.LIVESTREAM and invitation.site_id is not None:
        return None
    return _record(invitation, CheckinMethod.ONLINE)


def online_attendances(meeting: Meeting) -> list[Attendance]:
    """Who attended ``meeting`` online, first joined first (for reports and dashboards).

    Every attendance without a site: joined by link or live view, or ticked "online" by
    the secretariat.
    """
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.site_id.is_(None))
            .order_by(Attendance.checked_in_at, Attendance.id)
        )
    )
