"""Recurring meetings and clones.

A series is made from a first meeting and an RFC 5545 rule; every occurrence is its own
meeting (its own UID in calendars), linked to the series with its original start so that
one occurrence can be moved on its own while the rest follow the series.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.extensions import db
from meetcoord.meetings import invitations, recurrence
from meetcoord.meetings.cleaning import clean_meeting
from meetcoord.meetings.models import AgendaItem, Meeting, MeetingSite, MeetingStatus, Series
from meetcoord.meetings.services import apply_changes, commit, require_editor, zone_for


def _copy(actor: User | None, source: Meeting, start_at: datetime) -> Meeting:
    duration = source.end_at - source.start_at
    copy = Meeting(
        uid=f"{uuid.uuid4()}@meetcoord",
        title=source.title,
        purpose=source.purpose,
        kind=source.kind,
        start_at=start_at,
        end_at=start_at + duration,
        host_venue_id=source.host_venue_id,
        online_url=source.online_url,
        forum_id=source.forum_id,
        quorum_kind=source.quorum_kind,
        quorum_value=source.quorum_value,
        created_by=actor,
    )
    for site in source.sites:
        copy.sites.append(
            MeetingSite(
                venue_id=site.venue_id,
                coordinator_id=site.coordinator_id,
                capacity=site.capacity,
                quorum_kind=site.quorum_kind,
                quorum_value=site.quorum_value,
            )
        )
    for item in source.agenda:
        copy.agenda.append(
            AgendaItem(
                position=item.position,
                title=item.title,
                presenter=item.presenter,
                planned_minutes=item.planned_minutes,
                kind=item.kind,
            )
        )
    return copy


def clone_meeting(actor: User | None, source: Meeting, start_at: datetime) -> Meeting:
    """A new draft with the same sites, agenda and invitees, at another time."""
    require_editor(actor)
    if start_at.tzinfo is None:
        raise ValidationError(_l("Waktu tidak valid."), errors={"start_at": [_l("Wajib diisi.")]})
    copy = _copy(actor, source, start_at)
    db.session.add(copy)
    db.session.flush()
    invitations.copy_invitations(source, copy)
    audit.record(actor, "clone", copy, f"meeting {copy.title} cloned from #{source.id}")
    commit()
    return copy


def create_series(actor: User | None, first: Meeting, rule: str) -> Series:
    """Turn a meeting into the first of a series; the later occurrences are drafts."""
    require_editor(actor)
    if first.series_id is not None:
        raise Conflict(_l("Rapat ini sudah bagian dari seri."))
    zone = first.host_venue.timezone if first.host_venue else "Asia/Jakarta"
    try:
        starts = recurrence.occurrences(rule, first.start_at, zone)
    except recurrence.RecurrenceError as exc:
        raise ValidationError(
            _l("Aturan pengulangan tidak valid."), errors={"rrule": [str(exc)]}
        ) from None
    series = Series(title=first.title, rrule=rule.strip(), timezone=zone, forum_id=first.forum_id)
    db.session.add(series)
    first.series = series
    first.recurrence_at = starts[0]
    for start in starts[1:]:
        occurrence = _copy(actor, first, start)
        occurrence.series = series
        occurrence.recurrence_at = start
        db.session.add(occurrence)
        db.session.flush()
        invitations.copy_invitations(first, occurrence)
    db.session.flush()
    audit.record(actor, "create_series", series, f"series {series.title}: {len(starts)} meetings")
    commit()
    return series


def update_series(actor: User | None, series: Series, data: Mapping[str, Any]) -> list[Meeting]:
    """Apply a change to every occurrence not yet held and not edited on its own.

    A new start time is applied as a shift: moving the series from 09.00 to 10.00 moves
    each remaining occurrence by an hour, keeping its own date. All or nothing: one
    transaction for the whole series.
    """
    require_editor(actor)
    now = utcnow()
    targets = [
        m
        for m in series.meetings
        if not m.is_series_exception
        and m.start_at > now
        and m.status in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED)
    ]
    # Check the input even when nothing is left to change: a bad request is still bad.
    template = targets[0] if targets else series.meetings[-1]
    values = clean_meeting(data, zone_for(data, template), partial=True)
    if not targets:
        return []
    new_start = values.pop("start_at", None)
    new_end = values.pop("end_at", None)
    old_start, old_end = template.start_at, template.end_at
    for meeting in targets:
        changes = dict(values)
        if new_start is not None:
            changes["start_at"] = recurrence.shift(meeting.start_at, old_start, new_start)
        if new_end is not None:
            changes["end_at"] = recurrence.shift(meeting.end_at, old_end, new_end)
        apply_changes(actor, meeting, changes)
        meeting.is_series_exception = False  # moved with its series, not on its own
    if "title" in values:
        series.title = values["title"]
    audit.record(actor, "update_series", series, f"series {series.title}: {len(targets)} meetings")
    commit()
    return targets
