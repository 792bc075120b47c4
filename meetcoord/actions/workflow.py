"""The status workflow of a follow-up action, as data (pure: no Flask, no database).

open → in_progress → done → verified, with two side doors: an action may be marked done
straight from open (small tasks are reported once), a done action the secretariat does
not accept goes back to in_progress, and any action not yet final may be dropped with a
reason. Verified and dropped are final. Who may take which step is the permission
table's (``access.permissions``): verifying and dropping are the secretariat's.
"""

from __future__ import annotations

from meetcoord.actions.models import ActionStatus

OPEN, IN_PROGRESS, DONE = ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE
VERIFIED, DROPPED = ActionStatus.VERIFIED, ActionStatus.DROPPED

FINAL = frozenset({VERIFIED, DROPPED})

NEXT: dict[ActionStatus, frozenset[ActionStatus]] = {
    OPEN: frozenset({IN_PROGRESS, DONE, DROPPED}),
    IN_PROGRESS: frozenset({DONE, DROPPED}),
    DONE: frozenset({VERIFIED, IN_PROGRESS, DROPPED}),
    VERIFIED: frozenset(),
    DROPPED: frozenset(),
}

# Steps that only the secretariat (MEETING_ARRANGE on the action's meeting) may take.
SECRETARIAT_STEPS = frozenset({VERIFIED, DROPPED})


def allowed(current: ActionStatus, target: ActionStatus) -> bool:
    """Whether ``current`` → ``target`` is a step of the workflow (not staying put)."""
    return target in NEXT[current]


def parse_status(raw: object) -> ActionStatus | None:
    """A status from a form or JSON value, or None when it names none."""
    if isinstance(raw, ActionStatus):
        return raw
    if isinstance(raw, str):
        try:
            return ActionStatus(raw.strip())
        except ValueError:
            return None
    return None


# The steps an agency takes itself, through its personal or standing link: forward to done.
AGENCY_ORDER = (IN_PROGRESS, DONE)


def agency_allowed(current: ActionStatus, target: ActionStatus) -> bool:
    """Whether the agency may move ``current`` → ``target`` (never verify, drop or reopen)."""
    return current in (OPEN, IN_PROGRESS) and target in AGENCY_ORDER and allowed(current, target)
