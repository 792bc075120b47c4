"""Adding, changing and removing a meeting's online channels (staff only, audited).

Each service takes the acting account, checks it arranges this meeting (its institution
or co-host: ``meetings.services.require_editor``), validates everything before it writes,
audits and commits. The meeting's first video-meeting channel is the link invitations and
calendar files carry: when it changes, ``Meeting.online_url`` follows through
``meetings.services.apply_changes`` — the calendar SEQUENCE moves and invitees of a
scheduled meeting get the update mail, exactly as when the meeting form changes the link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from meetcoord.accounts.models import User
from meetcoord.channels.models import (
    LABEL_MAX,
    PASSCODE_MAX,
    URL_MAX,
    ChannelAudience,
    ChannelKind,
    MeetingChannel,
    channels_of,
    follow_online_url,
    primary_video,
)
from meetcoord.core import audit
from meetcoord.core.cleaning import Collector
from meetcoord.core.errors import Conflict, NotFound
from meetcoord.extensions import db
from meetcoord.meetings import services as meetings
from meetcoord.meetings.models import Meeting, MeetingStatus

# A blank, a control, or a zero-width or direction mark anywhere in the link refuses it.
_BLANK_OR_CONTROL = re.compile(
    r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
BAD_URL = _l("Tautan harus diawali https:// dan paling banyak %(n)d karakter.", n=URL_MAX)


def _url(c: Collector, required: bool) -> None:
    """https only (never http:, javascript: or data:), a host, no blanks, bounded."""
    if "url" not in c.data and (c.partial or not required):
        return
    text = c.raw("url")
    if not text:
        c.fail("url", _l("Wajib diisi."))
        return
    text = str(text)
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() != "https"
        or not parts.netloc
        or parts.username is not None
        or _BLANK_OR_CONTROL.search(text)
        or len(text) > URL_MAX
    ):
        c.fail("url", BAD_URL)
    else:
        c.out["url"] = text


def clean_channel(
    meeting: Meeting, data: Mapping[str, Any], channel: MeetingChannel | None = None
) -> dict[str, Any]:
    """The cleaned fields of a new channel, or of ``channel``'s changes (partial)."""
    partial = channel is not None
    c = Collector(data, partial=partial)
    c.choice("kind", ChannelKind, required=True)
    c.text("label", LABEL_MAX, required=True)
    _url(c, required=True)
    c.choice("audience", ChannelAudience)
    c.integer("audience_site_id", minimum=1)
    c.text("passcode", PASSCODE_MAX)
    audience = c.out.get("audience", channel.audience if channel else None)
    site_id = c.out.get("audience_site_id", channel.audience_site_id if channel else None)
    if audience is ChannelAudience.SITE:
        if site_id is None:
            c.fail("audience_site_id", _l("Pilih lokasi yang menonton saluran ini."))
        elif all(site.id != site_id for site in meeting.sites):
            c.fail("audience_site_id", _l("Lokasi ini bukan lokasi rapat ini."))
    elif "audience" in c.out or "audience_site_id" in c.out:
        c.out["audience_site_id"] = None  # only "one site" names a site
    return c.done(_l("Data saluran daring tidak valid."))


def _open_for_changes(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise Conflict(_l("Rapat yang dibatalkan tidak punya saluran daring."))


def _materialise(meeting: Meeting) -> None:
    """A meeting with a link but no video channel (a series occurrence cloned from its
    template) gets that channel first, so that a change here never drops its link."""
    if meeting.online_url and primary_video(meeting.id) is None:
        follow_online_url(meeting, meeting.online_url)
        db.session.flush()


def _mirror(actor: User | None, meeting: Meeting) -> None:
    """``Meeting.online_url`` follows the first video-meeting channel (the caller commits)."""
    db.session.flush()
    first = primary_video(meeting.id)
    url = first.url if first is not None else None
    if meeting.online_url == url:
        return
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        meeting.online_url = url  # over: nobody's calendar needs the new link
    else:
        meetings.apply_changes(actor, meeting, {"online_url": url})


def _summary(channel: MeetingChannel) -> dict[str, str | None]:
    return {
        "kind": channel.kind.value,
        "label": channel.label,
        "url": channel.url,
        "audience": channel.audience.value if channel.audience else None,
        "audience_site_id": str(channel.audience_site_id or "") or None,
    }


def list_channels(actor: User | None, meeting_id: int) -> list[MeetingChannel]:
    """The channels of a meeting ``actor`` may see (another institution's: not found)."""
    return channels_of(meetings.get_meeting(meeting_id, actor).id)


def get_channel(actor: User | None, meeting_id: int, channel_id: int) -> MeetingChannel:
    """One channel, looked up through its meeting: another meeting's id is not found."""
    meeting = meetings.get_meeting(meeting_id, actor)
    channel = db.session.get(MeetingChannel, channel_id)
    if channel is None or channel.meeting_id != meeting.id:
        raise NotFound(_l("Saluran daring tidak ditemukan."))
    return channel


def add_channel(actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> MeetingChannel:
    meetings.require_editor(actor, meeting)
    _open_for_changes(meeting)
    values = clean_channel(meeting, data)
    _materialise(meeting)
    channel = MeetingChannel(meeting_id=meeting.id, **values)
    db.session.add(channel)
    db.session.flush()
    audit.record(actor, "add_channel", meeting, f"channel {channel.label}", _summary(channel))
    _mirror(actor, meeting)
    meetings.commit()
    return channel


def update_channel(
    actor: User | None, channel: MeetingChannel, data: Mapping[str, Any]
) -> MeetingChannel:
    meeting = channel.meeting
    meetings.require_editor(actor, meeting)
    _open_for_changes(meeting)
    values = clean_channel(meeting, data, channel)
    _materialise(meeting)
    for key, value in values.items():
        setattr(channel, key, value)
    audit.record(actor, "update_channel", meeting, f"channel {channel.label}", _summary(channel))
    _mirror(actor, meeting)
    meetings.commit()
    return channel


def remove_channel(actor: User | None, channel: MeetingChannel) -> None:
    meeting = channel.meeting
    meetings.require_editor(actor, meeting)
    _open_for_changes(meeting)
    _materialise(meeting)
    audit.record(
        actor, "remove_channel", meeting, f"channel {channel.label} removed", _summary(channel)
    )
    db.session.delete(channel)
    _mirror(actor, meeting)
    meetings.commit()
