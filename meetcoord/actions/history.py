"""History rows written by other features inside their own transaction.

The live room corrects an action's wording, agency, person, locus or due date
(``live.corrections``); the tracker's history must show those changes too, so the
correction appends a ``fields`` row here before its command commits. Nothing is
committed in this module: the caller's transaction decides.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from meetcoord.actions.models import Action, ActionUpdate, UpdateKind
from meetcoord.core.db import utcnow
from meetcoord.extensions import db

FIELDS = ("title", "decision_id", "organization_id", "person_id", "locus", "due_on")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot(action: Action) -> dict[str, Any]:
    """The followed-up fields of ``action`` as JSON values, to compare after a change."""
    return {name: _plain(getattr(action, name)) for name in FIELDS}


def record_fields(who: Any, action: Action, before: dict[str, Any]) -> ActionUpdate | None:
    """Append a ``fields`` history row for what differs from ``before`` (None: nothing)."""
    after = snapshot(action)
    changes = {k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]}
    if not changes:
        return None
    user_id, invitation_id = who.ids
    row = ActionUpdate(
        action_id=action.id,
        kind=UpdateKind.FIELDS,
        status_before=action.status.value,
        status_after=action.status.value,
        changes=changes,
        user_id=user_id,
        invitation_id=invitation_id,
        by_label=who.label[:200],
        at=utcnow(),
    )
    db.session.add(row)
    return row
