"""Recurring meetings and clones.

A series is made from a first meeting and an RFC 5545 rule; every occurrence is its own
meeting (its own UID in calendars), linked to the series with its original start so that
one occurrence can be moved on its own while the rest follow the series.

An occurrence whose title, time, place, online link or purpose is edited on its own
(``services.update_meeting``) becomes an exception, like an RFC 5545 instance overridden by
RECURRENCE-ID: later series edits leave it alone *whole* — a flag, not per-field overrides,
because an occurrence moved to another day for a holiday must not be pulled back by a
series-wide shift of the hour either, and because "this one is on its own now" is one fact
the secretariat can see on the series page, where per-field rules would need explaining.

Calendars get one VEVENT per occurrence, not one RRULE: each occurrence has its own
invitations (people, sites, RSVPs, stand-ins, check-in credentials differ), its own
personal links and its own SEQUENCE, and is scheduled, moved or cancelled on its own.
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
from meetcoord.core.validation import date_range_message, day_in_range
from meetcoord.extensions import db
from meetcoord.meetings import invitations, recurrence, standing
from meetcoord.meetings.cleaning import clean_meeting
from meetcoord.meetings.models import AgendaItem, Meeting, MeetingSite, MeetingStatus, Series
from meetcoord.meetings.services import apply_changes, commit, require_editor, zone_for
from meetcoord.meetings.zones import host_zone

# What each recurrence.RecurrenceError code tells the person who wrote the rule.
RULE_MESSAGES: dict[str, Any] = {
    "syntax": _l(
        "Tulis aturan sebagai NAMA=NILAI dipisah titik koma, "
        "misalnya FREQ=MONTHLY;BYDAY=2TU;COUNT=4."
    ),
    "unknown_part": _l("Bagian %(part)s tidak dikenal atau tidak didukung."),
    "time_part": _l("%(part)s tidak dipakai: jam setiap rapat mengikuti rapat pertama."),
    "duplicate_part": _l("Bagian %(part)s disebut lebih dari sekali."),
    "bad_value": _l("Nilai %(part)s tidak valid."),
    "frequency": _l("FREQ harus DAILY, WEEKLY, MONTHLY atau YEARLY."),
    "unbounded": _l("Aturan harus memuat COUNT atau UNTIL."),
    "count_and_until": _l("Pakai COUNT atau UNTIL, tidak keduanya."),
    "too_many": _l("Paling banyak %(n)d rapat dalam satu seri."),
    "too_far": _l("Seri paling lama %(years)d tahun sejak rapat pertama."),
    "none": _l(
        "Aturan ini tidak menghasilkan rapat lain dalam %(years)d tahun setelah rapat pertama."
    ),
    "unusable": _l("Aturan pengulangan ini tidak dapat dipakai."),
}


def rule_message(error: recurrence.RecurrenceError) -> Any:
    message = RULE_MESSAGES.get(error.code, RULE_MESSAGES["unusable"])
    return message % error.params if error.params else message


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
        institution_id=source.institution_id,
        cohost_institution_id=source.cohost_institution_id,
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
    require_editor(actor, source)
    if start_at.tzinfo is None:
        raise ValidationError(_l("Waktu tidak valid."), errors={"start_at": [_l("Wajib diisi.")]})
    copy = _copy(actor, source, start_at)
    db.session.add(copy)
    db.session.flush()
    standing.ensure_standing_items(copy)
    invitations.copy_invitations(source, copy)
    audit.record(actor, "clone", copy, f"meeting {copy.title} cloned from #{source.id}")
    commit()
    return copy


def create_series(actor: User | None, first: Meeting, rule: str) -> Series:
    """Turn a meeting into the first of a series; the later occurrences are drafts."""
    require_editor(actor, first)
    if first.series_id is not None:
        raise Conflict(_l("Rapat ini sudah bagian dari seri."))
    zone = host_zone(first)
    try:
        starts = recurrence.occurrences(rule, first.start_at, zone)
    except recurrence.RecurrenceError as exc:
        raise ValidationError(
            _l("Aturan pengulangan tidak valid."), errors={"rrule": [rule_message(exc)]}
        ) from None
    if not day_in_range(starts[-1]):  # the same bound as every other date
        raise ValidationError(
            _l("Aturan pengulangan tidak valid."), errors={"rrule": [date_range_message()]}
        )
    series = Series(
        title=first.title,
        rrule=rule.strip(),
        timezone=zone,
        forum_id=first.forum_id,
        institution_id=first.institution_id,
    )
    db.session.add(series)
    first.series = series
    first.recurrence_at = starts[0]
    for start in starts[1:]:
        occurrence = _copy(actor, first, start)
        occurrence.series = series
        occurrence.recurrence_at = start
        db.session.add(occurrence)
        db.session.flush()
        standing.ensure_standing_items(occurrence)
        invitations.copy_invitations(first, occurrence)
    db.session.flush()
    audit.record(actor, "create_series", series, f"series {series.title}: {len(starts)} meetings")
    commit()
    return series


def update_series(actor: User | None, series: Series, data: Mapping[str, Any]) -> list[Meeting]:
    """Apply a change to every occurrence not yet held and not edited on its own.

    Exceptions (``is_series_exception``) are skipped entirely: nothing of theirs changes
    and their invitees get no update mail for a change that did not happen to them.

    A new start time is applied as a shift: moving the series from 09.00 to 10.00 moves
    each remaining occurrence by an hour, keeping its own date. All or nothing: one
    transaction for the whole series.
    """
    require_editor(actor, series)
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
    if "title" in values:
        series.title = values["title"]
    if values.get("institution_id") is not None:  # moved with its meetings (API)
        series.institution_id = targets[-1].institution_id
    audit.record(actor, "update_series", series, f"series {series.title}: {len(targets)} meetings")
    commit()
    return targets
