"""The action review of a series' or forum's next meeting, live (issue 13, carry-over).

``action.review`` changes the status of an action carried over from an earlier meeting
(and/or notes a short remark) while the meeting runs: the chair or the minute-taker from
the console, the responsible agency's person from their phone. The tracker's workflow
rules apply (``actions.carryover.stage_review``); the history row names this meeting, and
the ``action.reviewed`` event goes into the meeting's log in the same transaction, so
every site sees the change, a reconnecting client replays it, and the tracker (which
reads the same rows) shows it at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.actions import carryover
from meetcoord.live import log
from meetcoord.live.guards import require_running
from meetcoord.live.log import Command

# Who may send the command at all (the table's row, checked before its data is read):
# anyone in the room; whose action it is and which step it is, the service decides.
PERMISSION = Permission.LIVE_WATCH


def review_action(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Update one reviewed action. The ack carries the seq alone, so that a repeated
    nonce (which answers without running the command again) gets the very same ack."""

    def body(cmd: Command) -> None:
        require_running(cmd)
        row = carryover.stage_review(cmd.actor, cmd.meeting, data.get("action_id"), data)
        cmd.append(
            "action.reviewed",
            {
                "action": carryover.review_dict(row.action, cmd.meeting.id),
                "update_id": row.id,
            },
        )

    return log.run(meeting_id, actor, nonce, body)
