"""The secretariat's weekly summary of a forum's overdue follow-up actions.

Once per ISO week, from 08.00 in the installation's home zone (the day the tracker's
"overdue" filter counts from), each forum with overdue actions — actions of its meetings,
or of meetings of its series — gets one summary, grouped by agency, mailed to every staff
member who works for the forum's institution (admin or secretariat, active, with an
address), when that institution's ``forum_summary`` setting is on.

One :class:`Reminder` row per forum and week (kind :data:`KIND`, ref the forum, occasion
the ISO week, no person: it goes to accounts) is written with the mails in one savepoint,
so the summary goes out once a week however often the sender runs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from meetcoord.access.institutions import letterhead_for
from meetcoord.access.models import WORKING_ROLES, Institution, Membership
from meetcoord.accounts.models import User
from meetcoord.actions.models import Action, ActionStatus
from meetcoord.core import outbox
from meetcoord.directory.models import Forum, Organization
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting, Series
from meetcoord.reminders.action_mailing import SummaryLine, compose_forum_summary
from meetcoord.reminders.models import Reminder
from meetcoord.reminders.settings import settings_by_institution
from meetcoord.reminders.timing import digest_day, iso_week

log = logging.getLogger("meetcoord.reminders")

KIND = "forum_overdue"
FORUM = "forum"
PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _overdue_by_forum(today: date) -> dict[int, list[Action]]:
    """Overdue actions still owed, by the forum of their meeting (or its series)."""
    forum_id = func.coalesce(Meeting.forum_id, Series.forum_id)
    rows = db.session.execute(
        select(Action, forum_id)
        .join(Meeting, Meeting.id == Action.meeting_id)
        .outerjoin(Series, Series.id == Meeting.series_id)
        .where(
            Action.withdrawn_at.is_(None),
            Action.status.in_(PENDING),
            Action.due_on < today,
            forum_id.is_not(None),
        )
        .order_by(Action.due_on, Action.id)
    )
    found: dict[int, list[Action]] = defaultdict(list)
    for action, forum in rows:
        found[forum].append(action)
    return found


def _already(forum_ids: list[int], week: str) -> set[int]:
    rows = db.session.scalars(
        select(Reminder.ref_id).where(
            Reminder.kind == KIND,
            Reminder.ref_type == FORUM,
            Reminder.occasion == week,
            Reminder.ref_id.in_(forum_ids),
        )
    )
    return set(rows)


def staff_of(institution_id: int) -> list[User]:
    """Who works for the institution and can receive mail: admin or secretariat members."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.institution_id == institution_id,
                Membership.role.in_(WORKING_ROLES),
                User.is_active_account.is_(True),
                User.email != "",
            )
            .order_by(User.id)
        )
    )


def _grouped(actions: list[Action], today: date) -> list[tuple[str, list[SummaryLine]]]:
    names = dict(
        db.session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_({a.organization_id for a in actions})
            )
        ).all()
    )
    groups: dict[str, list[SummaryLine]] = defaultdict(list)
    for action in actions:
        assert action.due_on is not None
        agency = names.get(action.organization_id, "—")
        groups[agency].append(SummaryLine(agency, action, (today - action.due_on).days))
    return sorted(groups.items())


def _send_summary(
    forum: Forum, actions: list[Action], staff: list[User], today: date, week: str, now: datetime
) -> bool:
    zone = str(current_app.config["HOME_TIMEZONE"])
    institution = db.session.get(Institution, forum.institution_id)
    head = letterhead_for(actions[0].meeting)
    sender = (institution.name if institution else head.name, head.sender_name)
    groups = _grouped(actions, today)
    try:
        with db.session.begin_nested():
            first = None
            for user in staff:
                message = compose_forum_summary(
                    user.email, user.name, forum.name, forum.id, groups, today, zone, sender
                )
                row = outbox.enqueue(
                    kind=f"reminder_{KIND}",
                    recipient=user.email,
                    subject=str(message["Subject"]),
                    message=message.as_bytes(),
                    ref_type=FORUM,
                    ref_id=forum.id,
                )
                first = first or row
            db.session.flush()
            db.session.add(
                Reminder(
                    kind=KIND,
                    person_id=None,
                    ref_type=FORUM,
                    ref_id=forum.id,
                    occasion=week,
                    outbox_message_id=first.id if first else None,
                    sent_at=now,
                )
            )
            db.session.flush()  # the unique key is checked here, inside the savepoint
    except IntegrityError:
        log.info("overdue summary of forum %s for %s already sent", forum.id, week)
        return False
    return True


def send_forum_summaries(now: datetime, *, limit: int | None = None) -> int:
    """Queue this week's overdue summaries not yet sent; returns how many forums."""
    today = digest_day(now, str(current_app.config["HOME_TIMEZONE"]))
    if today is None:  # before 08.00 at home
        return 0
    overdue = _overdue_by_forum(today)
    week = iso_week(today)
    done = _already(sorted(overdue), week) if overdue else set()
    forums = {
        forum.id: forum
        for forum in db.session.scalars(select(Forum).where(Forum.id.in_(sorted(overdue))))
    }
    settings = settings_by_institution(forum.institution_id for forum in forums.values())
    queued = 0
    for forum_id, actions in sorted(overdue.items()):
        forum = forums.get(forum_id)
        if forum is None or forum_id in done:
            continue
        if not settings[forum.institution_id].forum_summary:
            continue
        staff = staff_of(forum.institution_id)
        if not staff:
            continue
        if _send_summary(forum, actions, staff, today, week, now):
            queued += 1
        if limit is not None and queued >= limit:
            break
    db.session.commit()
    return queued
