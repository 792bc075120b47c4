"""Each institution's choice of how its follow-up actions are reminded.

An institution without a row has :data:`DEFAULTS` — three days before the due date,
weekly while overdue, a weekly summary per forum — so nothing has to be set up before the
first reminder goes out. Reading is for whoever sees the institution's work; changing
is for those who work for it (admin or secretariat, ``MEETING_ARRANGE``), audited. An
institution outside the actor's reach is not found, exactly like a missing id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.models import Institution
from meetcoord.access.permissions import Permission, require
from meetcoord.access.scope import NOT_FOUND
from meetcoord.core import audit
from meetcoord.core.cleaning import Collector
from meetcoord.core.db import utcnow
from meetcoord.core.errors import NotFound
from meetcoord.extensions import db
from meetcoord.reminders.models import ReminderSettings

DAYS_BEFORE_MAX = 30
EVERY_MIN, EVERY_MAX = 1, 30
FIELDS = ("days_before", "overdue_every_days", "forum_summary")
INVALID = _l("Pengaturan pengingat tidak valid.")


@dataclass(frozen=True)
class Settings:
    days_before: int = 3
    overdue_every_days: int = 7
    forum_summary: bool = True


DEFAULTS = Settings()


def _of(row: ReminderSettings | None) -> Settings:
    if row is None:
        return DEFAULTS
    return Settings(row.days_before, row.overdue_every_days, row.forum_summary)


def settings_for(institution_id: int) -> Settings:
    """An institution's settings (the defaults when it chose none)."""
    return _of(db.session.get(ReminderSettings, institution_id))


def settings_by_institution(institution_ids: Iterable[int]) -> dict[int, Settings]:
    """Settings of many institutions in one query; those without a row get the defaults."""
    ids = sorted(set(institution_ids))
    found = {
        row.institution_id: _of(row)
        for row in db.session.scalars(
            select(ReminderSettings).where(ReminderSettings.institution_id.in_(ids))
        )
    }
    return {i: found.get(i, DEFAULTS) for i in ids}


def _row(institution_id: int) -> ReminderSettings:
    """The stored row, or an unsaved one with the defaults (it carries ``institution_id``
    for the permission table, which judges by the owning institution)."""
    if db.session.get(Institution, institution_id) is None:
        raise NotFound(NOT_FOUND)
    row = db.session.get(ReminderSettings, institution_id)
    if row is None:
        row = ReminderSettings(
            institution_id=institution_id,
            days_before=DEFAULTS.days_before,
            overdue_every_days=DEFAULTS.overdue_every_days,
            forum_summary=DEFAULTS.forum_summary,
        )
    return row


def get_settings(actor: Any, institution_id: int) -> ReminderSettings:
    """The institution's settings for someone who sees its work; else not found."""
    row = _row(institution_id)
    require(actor, Permission.MEETING_VIEW, row)
    return row


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every field's problem at once; ``forum_summary`` absent means off (an unticked box)."""
    c = Collector(data)
    c.integer("days_before", minimum=0, maximum=DAYS_BEFORE_MAX, required=True)
    c.integer("overdue_every_days", minimum=EVERY_MIN, maximum=EVERY_MAX, required=True)
    c.flag("forum_summary")
    c.out.setdefault("forum_summary", False)
    return c.done(INVALID)


def save_settings(actor: Any, institution_id: int, data: Mapping[str, Any]) -> ReminderSettings:
    """Replace the institution's settings; refused input changes nothing."""
    row = _row(institution_id)
    require(actor, Permission.MEETING_ARRANGE, row)
    values = clean(data)
    changes = {
        name: [getattr(row, name), values[name]]
        for name in FIELDS
        if getattr(row, name) != values[name]
    }
    if row not in db.session:
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, values[name])
    if changes:
        row.updated_at = utcnow()
        institution = db.session.get(Institution, institution_id)
        summary = ", ".join(f"{name}={new}" for name, (_, new) in changes.items())
        audit.record(
            getattr(actor, "user", actor), "reminder_settings.update", institution, summary, changes
        )
    db.session.commit()
    return row
