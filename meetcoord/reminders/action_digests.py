"""The responsible person's daily digest of follow-up actions due soon or overdue.

Once a day, from 08.00 on the person's own clock (their zone, else their organization's
region's, else the installation's home zone — the agency view's rule), each person
responsible for actions still owed (open or in progress) gets one mail listing:

- the actions due within ``days_before`` days (the setting of the action's meeting's
  institution, ``.settings``), once per due date — a moved date is reminded again;
- the overdue ones on their first overdue day, then every ``overdue_every_days`` days
  while they stay overdue.

Each action's reminder is a :class:`Reminder` row (kind :data:`KIND`, ref the action,
occasion from ``timing.action_occasion``); one person's rows and their single mail are
written in one savepoint, so a second run the same day — or a racing one — sends nothing.
Done, verified, dropped or withdrawn actions are never reminded; muted people and people
without an e-mail address get nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from meetcoord.actions.models import Action, ActionStatus
from meetcoord.core import outbox
from meetcoord.directory.models import Person
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_url
from meetcoord.meetings.models import Invitation, Meeting, MeetingStatus
from meetcoord.reminders.action_mailing import DigestItem, compose_digest
from meetcoord.reminders.models import Reminder
from meetcoord.reminders.mute import muted_ids
from meetcoord.reminders.settings import DAYS_BEFORE_MAX, Settings, settings_by_institution
from meetcoord.reminders.timing import action_occasion, digest_day

log = logging.getLogger("meetcoord.reminders")

KIND = "action_digest"
ACTION = "action"
PERSON = "person"
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
COMMIT_EVERY = 50


def _owed(now: datetime) -> list[Action]:
    """Actions still owed by a person, due at most the longest advance window ahead (a
    day's margin for the zones). Overdue ones are all of them: they are the point."""
    horizon = now.date() + timedelta(days=DAYS_BEFORE_MAX + 1)
    return list(
        db.session.scalars(
            select(Action)
            .where(
                Action.person_id.is_not(None),
                Action.withdrawn_at.is_(None),
                Action.status.in_(PENDING),
                Action.due_on.is_not(None),
                Action.due_on <= horizon,
            )
            .options(
                selectinload(Action.person).selectinload(Person.organization),
                selectinload(Action.meeting).selectinload(Meeting.host_venue),
            )
            .order_by(Action.person_id, Action.due_on, Action.id)
        )
    )


def _sent(actions: list[Action]) -> set[tuple[int, str]]:
    """(action id, occasion) of the digest reminders already sent for these actions."""
    found: set[tuple[int, str]] = set()
    ids = [action.id for action in actions]
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            select(Reminder.ref_id, Reminder.occasion).where(
                Reminder.kind == KIND,
                Reminder.ref_type == ACTION,
                Reminder.ref_id.in_(ids[start : start + 500]),
            )
        )
        found.update((ref_id, occasion) for ref_id, occasion in rows)
    return found


def person_zone(person: Person) -> str:
    return person.zone or str(current_app.config["HOME_TIMEZONE"])


def agency_link(person: Person, meeting_ids: set[int]) -> str | None:
    """The person's own agency view, through a personal link they hold: preferably an
    invitation to one of the actions' meetings, else their latest live invitation."""
    invitations = db.session.scalars(
        select(Invitation)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(
            Invitation.person_id == person.id,
            Invitation.withdrawn_at.is_(None),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Invitation.invited_at.desc(), Invitation.id.desc())
    ).all()
    if not invitations:
        return None
    chosen = next((i for i in invitations if i.meeting_id in meeting_ids), invitations[0])
    return f"{personal_url(chosen)}/actions"


def due_items(
    actions: list[Action], today: date, sent: set[tuple[int, str]], settings: dict[int, Settings]
) -> list[DigestItem]:
    """The actions of one person to remind on their ``today``, not yet reminded
    (``settings``: by institution id, for the institutions of the actions' meetings)."""
    items = []
    for action in actions:
        chosen = settings[action.meeting.institution_id]
        assert action.due_on is not None  # the query keeps dated actions only
        key = action_occasion(action.due_on, today, chosen.days_before, chosen.overdue_every_days)
        if key is not None and (action.id, key) not in sent:
            items.append(DigestItem(action, key, (action.due_on - today).days))
    items.sort(key=lambda item: (item.action.due_on, item.action.id))
    return items


def _send_digest(
    person: Person, items: list[DigestItem], zone: str, today: date, now: datetime
) -> bool:
    """The digest and its rows in one savepoint; False when another run got there first."""
    link = agency_link(person, {item.action.meeting_id for item in items})
    message = compose_digest(person, items, zone, today, link)
    try:
        with db.session.begin_nested():
            row = outbox.enqueue(
                kind=f"reminder_{KIND}",
                recipient=person.email or "",
                subject=str(message["Subject"]),
                message=message.as_bytes(),
                ref_type=PERSON,
                ref_id=person.id,
            )
            db.session.flush()
            for item in items:
                db.session.add(
                    Reminder(
                        kind=KIND,
                        person_id=person.id,
                        ref_type=ACTION,
                        ref_id=item.action.id,
                        occasion=item.occasion,
                        outbox_message_id=row.id,
                        sent_at=now,
                    )
                )
            db.session.flush()  # the unique keys are checked here, inside the savepoint
    except IntegrityError:
        log.info("action digest for person %s already sent", person.id)
        return False
    return True


def send_action_digests(now: datetime, *, limit: int | None = None) -> int:
    """Queue every digest due at ``now``; returns how many mails (one per person)."""
    by_person: dict[int, list[Action]] = defaultdict(list)
    owed = _owed(now)
    for action in owed:
        by_person[action.person_id].append(action)  # type: ignore[index]
    if not by_person:
        db.session.commit()
        return 0
    muted = muted_ids()
    sent = _sent(owed)
    settings = settings_by_institution(action.meeting.institution_id for action in owed)
    queued = pending = 0
    for actions in by_person.values():
        person = actions[0].person
        if person is None or not person.email or person.id in muted:
            continue
        zone = person_zone(person)
        today = digest_day(now, zone)
        if today is None:  # before 08.00 where they are
            continue
        items = due_items(actions, today, sent, settings)
        if items and _send_digest(person, items, zone, today, now):
            queued += 1
            pending += 1
        if pending >= COMMIT_EVERY:
            db.session.commit()
            pending = 0
        if limit is not None and queued >= limit:
            break
    db.session.commit()
    return queued
