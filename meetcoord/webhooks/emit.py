"""Writing webhook deliveries into the caller's transaction (the outbox pattern).

A feature's service calls one of the functions below right where its change is made,
before its own commit: one delivery row per active endpoint subscribed to the event, for
the institutions that own the object (a meeting's owner and co-host). So a rolled-back
change announces nothing, and a committed one is delivered even if the process dies.

Payloads carry ids and the fields an integrator needs to act, never a personal link, a
token, a video-call URL or anything else that works as a credential; names and contact
details stay behind the API, where access is checked. Objects are read by attribute, so
this module knows no feature's models (it sits below them, DESIGN §3).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from meetcoord.access import scope
from meetcoord.extensions import db
from meetcoord.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint


def plain(value: Any) -> Any:
    """A value as JSON: enums by value, dates and times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def fields_of(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name, None)) for name in names}


def emit(
    institution_id: int | Iterable[int | None] | None,
    event_type: str,
    payload: Mapping[str, Any],
) -> list[WebhookDelivery]:
    """One pending delivery per subscribed active endpoint of ``institution_id`` (or of
    each of several), added to the session; they exist only if the caller commits."""
    if event_type not in EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    ids = [institution_id] if isinstance(institution_id, int) else list(institution_id or [])
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return []
    endpoints = db.session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.institution_id.in_(wanted), WebhookEndpoint.active.is_(True))
        .order_by(WebhookEndpoint.id)
    ).all()
    event_id = str(uuid.uuid4())
    rows = []
    for endpoint in endpoints:
        if not endpoint.subscribes(event_type):
            continue
        row = WebhookDelivery(
            endpoint_id=endpoint.id,
            event_type=event_type,
            event_id=event_id,
            payload={"institution_id": endpoint.institution_id, **payload},
        )
        db.session.add(row)
        rows.append(row)
    return rows


def emit_for(obj: Any, event_type: str, payload: Mapping[str, Any]) -> list[WebhookDelivery]:
    """:func:`emit` to the institutions that own ``obj`` (``access.scope.owners``)."""
    return emit(scope.owners(obj), event_type, payload)


# --- the events, one function each: what a feature's service calls ---------------------

MEETING_FIELDS = (
    "id",
    "uid",
    "title",
    "kind",
    "status",
    "start_at",
    "end_at",
    "institution_id",
    "cohost_institution_id",
    "series_id",
    "sequence",
)


def meeting_scheduled(meeting: Any) -> None:
    emit_for(meeting, "meeting.scheduled", {"meeting": fields_of(meeting, MEETING_FIELDS)})


def meeting_changed(meeting: Any, changed: Iterable[str]) -> None:
    """Only for a meeting people already know of (not a draft) and a change at all."""
    fields = sorted(changed)
    if fields and plain(meeting.status) != "draft":
        payload = {"meeting": fields_of(meeting, MEETING_FIELDS), "changed": fields}
        emit_for(meeting, "meeting.changed", payload)


def meeting_cancelled(meeting: Any) -> None:
    emit_for(meeting, "meeting.cancelled", {"meeting": fields_of(meeting, MEETING_FIELDS)})


def invitation_rsvp(invitation: Any) -> None:
    names = ("id", "meeting_id", "person_id", "site_id", "rsvp", "rsvp_at")
    emit_for(invitation, "invitation.rsvp", {"invitation": fields_of(invitation, names)})


def attendance_checked_in(attendance: Any, meeting: Any) -> None:
    names = (
        "id",
        "meeting_id",
        "person_id",
        "invitation_id",
        "site_id",
        "method",
        "checked_in_at",
        "is_walk_in",
    )
    emit_for(meeting, "attendance.checked_in", {"attendance": fields_of(attendance, names)})


def decision_recorded(decision: Any, meeting: Any) -> None:
    names = ("id", "meeting_id", "agenda_item_id", "number", "kind", "text", "recorded_at")
    emit_for(meeting, "decision.recorded", {"decision": fields_of(decision, names)})


def document_signed(document: Any) -> None:
    names = ("id", "meeting_id", "kind", "number", "title", "sha256", "signed_at")
    emit_for(document, "document.signed", {"document": fields_of(document, names)})


def action_status_changed(action: Any, before: Any) -> None:
    names = ("id", "meeting_id", "decision_id", "organization_id", "title", "due_on", "status")
    payload = {"action": fields_of(action, names), "status_before": plain(before)}
    emit_for(action, "action.status_changed", payload)
