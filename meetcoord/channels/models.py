"""The ``meeting_channels`` table: where a meeting can be followed online.

A meeting has any number of channels: the video meeting people join (Zoom, Meet, Teams),
livestreams anyone may watch (YouTube or another), and recordings added afterwards. Each
participant's page picks the one for their mode and the moment (``channels.showing``).

``Meeting.online_url`` stays: invitations, letters and calendar files read it. It is kept
equal to the meeting's first video-meeting channel (:func:`follow_online_url` from the
meeting form, ``channels.services`` from the channel section), so there is one link,
written in two places that never disagree.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.meetings.models import Meeting, MeetingSite


class ChannelKind(enum.StrEnum):
    VIDEO_MEETING = "video_meeting"  # Zoom, Meet, Teams: online participants join it
    LIVESTREAM = "livestream"  # YouTube or another: anyone may watch it
    RECORDING = "recording"  # added afterwards


class ChannelAudience(enum.StrEnum):
    ONLINE = "online"  # the online participants
    EVERYONE = "everyone"  # online participants and every site
    SITE = "site"  # one site's participants (``audience_site_id``)


URL_MAX = 500
LABEL_MAX = 120
PASSCODE_MAX = 120


class MeetingChannel(TimestampMixin, db.Model):
    __tablename__ = "meeting_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind, 20))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    url: Mapped[str] = mapped_column(String(URL_MAX))
    # None: everyone invited (as the one online link always was); or online only, one site.
    audience: Mapped[ChannelAudience | None] = mapped_column(str_enum(ChannelAudience, 20))
    audience_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_sites.id", ondelete="CASCADE"), index=True
    )
    passcode: Mapped[str | None] = mapped_column(String(PASSCODE_MAX))

    meeting: Mapped[Meeting] = relationship()
    audience_site: Mapped[MeetingSite | None] = relationship()

    @property
    def reaches(self) -> ChannelAudience:
        """Who the channel is for: everyone invited unless narrowed."""
        return self.audience or ChannelAudience.EVERYONE


def channels_of(meeting_id: int) -> list[MeetingChannel]:
    """A meeting's channels in the order they were added."""
    return list(
        db.session.scalars(
            select(MeetingChannel)
            .where(MeetingChannel.meeting_id == meeting_id)
            .order_by(MeetingChannel.id)
        )
    )


def primary_video(meeting_id: int) -> MeetingChannel | None:
    """The first video-meeting channel: the one ``Meeting.online_url`` mirrors."""
    return next((c for c in channels_of(meeting_id) if c.kind is ChannelKind.VIDEO_MEETING), None)


def follow_online_url(meeting: Meeting, url: str | None) -> None:
    """The meeting form changed ``online_url``: the first video channel follows it.

    No link removes that channel; a first link adds one. The caller audits and commits
    (``meetings.services.apply_changes``).
    """
    if meeting.id is None:
        db.session.flush()
    channel = primary_video(meeting.id)
    if url is None:
        if channel is not None:
            db.session.delete(channel)
        return
    if channel is None:
        db.session.add(
            MeetingChannel(
                meeting_id=meeting.id,
                kind=ChannelKind.VIDEO_MEETING,
                label="Rapat daring",
                url=url,
            )
        )
    else:
        channel.url = url
