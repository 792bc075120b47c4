"""Sending what is due: one service for the CLI (cron) and the in-process worker.

:func:`send_due_reminders` looks at scheduled meetings starting within
:data:`.timing.LOOKAHEAD`, asks :func:`.timing.due_meeting_reminder` for each invitee in
their own zone, and for each reminder due and not yet sent writes the :class:`Reminder` row
and its outbox message in one transaction. Running it twice sends nothing twice:

- what was sent is skipped up front (one query per meeting for the keys already there);
- a run racing another one (cron and the worker at the same minute, two workers) inserts
  the same key; the loser's savepoint fails on the unique constraint and is rolled back
  with its outbox message, so exactly one mail goes out.

Who gets one: invitees who have not declined, whose invitation is not withdrawn, with an
e-mail address, who have not muted reminders; of meetings that are scheduled (not a draft,
not cancelled, not already live or closed).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord.calendar.data import EventData
from meetcoord.core import outbox
from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from meetcoord.meetings import mailing
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus, Rsvp
from meetcoord.meetings.zones import reader_zone
from meetcoord.reminders.mailing import compose_meeting_reminder
from meetcoord.reminders.models import Reminder
from meetcoord.reminders.mute import muted_ids
from meetcoord.reminders.timing import LOOKAHEAD, ReminderKind, due_meeting_reminder, occasion

log = logging.getLogger("meetcoord.reminders")

INVITATION = "invitation"
COMMIT_EVERY = 50


def _meetings(now: datetime) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.start_at > now,
                Meeting.start_at <= now + LOOKAHEAD,
            )
            .options(selectinload(Meeting.invitations).selectinload(Invitation.person))
            .order_by(Meeting.start_at, Meeting.id)
        )
    )


def _sent(meeting: Meeting, key: str) -> set[tuple[str, int]]:
    """(kind, invitation id) of the reminders already sent for this occurrence."""
    ids = [invitation.id for invitation in meeting.invitations]
    if not ids:
        return set()
    rows = db.session.execute(
        select(Reminder.kind, Reminder.ref_id).where(
            Reminder.ref_type == INVITATION,
            Reminder.ref_id.in_(ids),
            Reminder.occasion == key,
        )
    )
    return {(kind, ref_id) for kind, ref_id in rows}


def _reachable(invitation: Invitation, muted: set[int]) -> bool:
    return (
        invitation.withdrawn_at is None
        and invitation.rsvp is not Rsvp.DECLINED
        and bool(invitation.person.email)
        and invitation.person_id not in muted
    )


def _send_one(
    kind: ReminderKind, invitation: Invitation, key: str, now: datetime, event: EventData
) -> bool:
    """Add one reminder and its mail in a savepoint of the caller's transaction; False when
    another run got there first (its savepoint, mail included, is rolled back)."""
    message = compose_meeting_reminder(kind, invitation, event)
    try:
        with db.session.begin_nested():
            row = outbox.enqueue(
                kind=f"reminder_{kind.value}"[:40],
                recipient=invitation.person.email or "",
                subject=str(message["Subject"]),
                message=message.as_bytes(),
                ref_type=INVITATION,
                ref_id=invitation.id,
            )
            db.session.flush()
            db.session.add(
                Reminder(
                    kind=kind.value,
                    person_id=invitation.person_id,
                    ref_type=INVITATION,
                    ref_id=invitation.id,
                    occasion=key,
                    outbox_message_id=row.id,
                    sent_at=now,
                )
            )
            db.session.flush()  # the unique key is checked here, inside the savepoint
    except IntegrityError:
        log.info("reminder %s for invitation %s already sent", kind.value, invitation.id)
        return False
    return True


def send_due_reminders(now: datetime | None = None, *, limit: int | None = None) -> int:
    """Queue every meeting reminder due at ``now`` (default: the present); returns how many.

    Idempotent (see the module's doc). ``limit`` stops after that many, for the worker's
    batches; the rest follow on its next pass. Each reminder is committed with its mail,
    in commits of at most :data:`COMMIT_EVERY` (a write transaction on SQLite holds up
    every desk scan, so none is kept open for a whole forum's mail).
    """
    now = now or utcnow()
    muted = muted_ids()
    queued = 0
    for meeting in _meetings(now):
        key = occasion(meeting.start_at)
        sent = _sent(meeting, key)
        due = []
        for invitation in meeting.invitations:
            if not _reachable(invitation, muted):
                continue
            kind = due_meeting_reminder(meeting.start_at, now, reader_zone(invitation))
            if kind is not None and (kind.value, invitation.id) not in sent:
                due.append((kind, invitation))
        if not due:
            continue
        event = mailing.event_data(meeting)
        pending = 0
        for kind, invitation in due:
            if _send_one(kind, invitation, key, now, event):
                queued += 1
                pending += 1
            if pending >= COMMIT_EVERY:
                db.session.commit()
                pending = 0
            if limit is not None and queued >= limit:
                db.session.commit()
                return queued
        db.session.commit()
    db.session.commit()  # end the read transaction: nothing is held between passes
    return queued
