"""Which channel a participant's page shows, and when.

- The video meeting: from the check-in window's opening (``meetings.windows``) until the
  meeting ends, to those it reaches (by default the online participants).
- A livestream: during the meeting, to those it reaches (by default everyone; a site's
  participants only when its audience includes their site).
- A recording: after the end (the planned end, or the chair's close).
- Before any of that, the page says when the link becomes available (in the reader's zone,
  written by the template).

A meeting with an ``online_url`` but no channel row (a series occurrence cloned from its
template) still shows that link, as an unsaved video-meeting channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from meetcoord.channels.models import ChannelAudience, ChannelKind, MeetingChannel, channels_of
from meetcoord.core.db import utcnow
from meetcoord.meetings import opening, windows
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus

LEGACY_LABEL = "Rapat daring"


@dataclass
class Shown:
    """What one participant's page shows now."""

    channels: list[MeetingChannel] = field(default_factory=list)
    available_at: datetime | None = None  # nothing yet: the link appears at this moment

    def __bool__(self) -> bool:
        return bool(self.channels) or self.available_at is not None


def meeting_channels(meeting: Meeting) -> list[MeetingChannel]:
    """The meeting's channels, its bare ``online_url`` standing in when it has none."""
    rows = channels_of(meeting.id)
    if not any(c.kind is ChannelKind.VIDEO_MEETING for c in rows) and meeting.online_url:
        rows.insert(
            0,
            MeetingChannel(
                meeting_id=meeting.id,
                kind=ChannelKind.VIDEO_MEETING,
                label=LEGACY_LABEL,
                url=meeting.online_url,
            ),
        )
    return rows


def reaches(channel: MeetingChannel, invitation: Invitation) -> bool:
    """Whether the channel is meant for this invitee's mode (online, or their site)."""
    audience = channel.reaches
    if audience is ChannelAudience.EVERYONE:
        return True
    if audience is ChannelAudience.ONLINE:
        return invitation.site_id is None
    return invitation.site_id is not None and invitation.site_id == channel.audience_site_id


def showing_from(channel: MeetingChannel, meeting: Meeting) -> datetime:
    """When a channel starts being shown (a recording: from the planned end)."""
    if channel.kind is ChannelKind.VIDEO_MEETING:
        return windows.checkin_window(meeting, opening.rule())[0]
    if channel.kind is ChannelKind.LIVESTREAM:
        return meeting.start_at
    return meeting.end_at


def is_shown(channel: MeetingChannel, meeting: Meeting, now: datetime) -> bool:
    """Whether ``channel`` is shown at ``now`` (to those it reaches)."""
    if meeting.status is MeetingStatus.CANCELLED:
        return False
    ended = now > meeting.end_at or meeting.status is MeetingStatus.CLOSED
    if channel.kind is ChannelKind.RECORDING:
        return ended
    return not ended and now >= showing_from(channel, meeting)


def for_invitation(invitation: Invitation, now: datetime | None = None) -> Shown:
    """The channels ``invitation``'s page shows now, or when the first one will appear."""
    meeting = invitation.meeting
    if meeting.status is MeetingStatus.CANCELLED or invitation.withdrawn_at is not None:
        return Shown()
    now = now or utcnow()
    mine = [c for c in meeting_channels(meeting) if reaches(c, invitation)]
    shown = [c for c in mine if is_shown(c, meeting, now)]
    if shown:
        return Shown(channels=shown)
    upcoming = [
        showing_from(c, meeting)
        for c in mine
        if c.kind is not ChannelKind.RECORDING and meeting.status is not MeetingStatus.CLOSED
    ]
    later = [moment for moment in upcoming if moment > now]
    return Shown(available_at=min(later) if later else None)


def for_live_view(invitation: Invitation, now: datetime | None = None) -> list[MeetingChannel]:
    """The links the live phone view carries: an online participant's shown channels; at a
    site, only those meant for that site by name (the room is there; and the phone page
    keeps to its byte budget)."""
    shown = for_invitation(invitation, now).channels
    if invitation.site_id is None:
        return shown
    return [c for c in shown if c.audience is ChannelAudience.SITE]
