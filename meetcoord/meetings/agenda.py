"""The agenda of a meeting: items in order, moved by buttons or by drag and drop."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from meetcoord.accounts.models import User
from meetcoord.core import audit
from meetcoord.core.errors import ValidationError
from meetcoord.extensions import db
from meetcoord.meetings.cleaning import clean_agenda_item
from meetcoord.meetings.models import AgendaItem, Meeting
from meetcoord.meetings.services import commit, require_editor


def add_agenda_item(actor: User | None, meeting: Meeting, data: Mapping[str, Any]) -> AgendaItem:
    require_editor(actor, meeting)
    values = clean_agenda_item(data)
    position = max((item.position for item in meeting.agenda), default=0) + 1
    item = AgendaItem(meeting=meeting, position=position, **values)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "add_agenda", meeting, f"agenda: {item.title}")
    commit()
    return item


def update_agenda_item(actor: User | None, item: AgendaItem, data: Mapping[str, Any]) -> AgendaItem:
    require_editor(actor, item.meeting)
    values = clean_agenda_item(data, partial=True)
    for key, value in values.items():
        setattr(item, key, value)
    audit.record(actor, "update_agenda", item.meeting, f"agenda: {item.title}")
    commit()
    return item


def remove_agenda_item(actor: User | None, item: AgendaItem) -> None:
    require_editor(actor, item.meeting)
    meeting = item.meeting
    audit.record(actor, "remove_agenda", meeting, f"agenda removed: {item.title}")
    meeting.agenda.remove(item)
    _renumber(meeting.agenda)
    commit()


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def reorder_agenda(actor: User | None, meeting: Meeting, item_ids: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order (drag and drop sends the whole order)."""
    require_editor(actor, meeting)
    by_id = {item.id: item for item in meeting.agenda}
    if sorted(item_ids) != sorted(by_id):
        raise ValidationError(
            _l("Urutan agenda tidak lengkap."),
            errors={"order": [_l("Sebutkan setiap butir agenda tepat sekali.")]},
        )
    ordered = [by_id[item_id] for item_id in item_ids]
    _renumber(ordered)
    audit.record(actor, "reorder_agenda", meeting, f"agenda reordered: {meeting.title}")
    commit()
    return ordered


def move_agenda_item(actor: User | None, item: AgendaItem, offset: int) -> list[AgendaItem]:
    """One step up (-1) or down (+1): the buttons beside each item."""
    items = list(item.meeting.agenda)
    index = items.index(item)
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return reorder_agenda(actor, item.meeting, [entry.id for entry in items])


@dataclass(frozen=True)
class AgendaSlot:
    item: AgendaItem
    start_at: datetime
    end_at: datetime


def agenda_schedule(meeting: Meeting) -> list[AgendaSlot]:
    """Planned start and end of each item, one after another from the meeting's start."""
    slots, cursor = [], meeting.start_at
    for item in meeting.agenda:
        end = cursor + timedelta(minutes=item.planned_minutes)
        slots.append(AgendaSlot(item, cursor, end))
        cursor = end
    return slots
