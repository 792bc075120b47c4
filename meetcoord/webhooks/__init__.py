"""Webhooks: institutions' HTTPS endpoints told of changes, through an outbox (issue 17).

Features call the event functions re-exported here inside their own transaction; the
worker delivers (``delivery``); staff manage endpoints over the API (``api``) and see
deliveries on a page (``views``). This package sits below the features: it imports
only ``access``, ``core``, ``api`` and the extensions.
"""

from meetcoord.webhooks.emit import (
    action_status_changed,
    attendance_checked_in,
    decision_recorded,
    document_signed,
    emit,
    invitation_rsvp,
    meeting_cancelled,
    meeting_changed,
    meeting_scheduled,
)

__all__ = [
    "action_status_changed",
    "attendance_checked_in",
    "decision_recorded",
    "document_signed",
    "emit",
    "invitation_rsvp",
    "meeting_cancelled",
    "meeting_changed",
    "meeting_scheduled",
]
