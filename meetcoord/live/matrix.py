"""The synchronisation matrix, live (issue 14, point 2).

``proposal.mark`` (the chair, the minute-taker, staff) and ``proposal.confirm`` (the
row's agency from a phone, or staff) change one row of the meeting's matrix; staff put
proposals on it before or during the meeting (``matrix.added``). Each runs through
``log.run``: the row, the proposal's status and the event are one commit, a repeated
nonce gets the first ack (from the socket or from the REST twin alike), and each event
carries the row *and* the matrix's new totals, so a client that applies events in seq
order holds exactly what the snapshot would give it (``state.snapshot``'s ``matrix``).
A locked matrix is refused with its own message (signed minutes or berita acara: an
addendum) before the room's closed-meeting rules speak of decisions and actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meetcoord.access.actors import Actor
from meetcoord.access.permissions import Permission
from meetcoord.live import log
from meetcoord.live.guards import require_correctable
from meetcoord.live.log import Command
from meetcoord.planning import matrix
from meetcoord.planning import totals as sums
from meetcoord.planning.locks import require_unlocked

# The command table's rows: marking is recording; answering is for anyone in the room,
# and the service decides whose row it is.
MARK_PERMISSION = Permission.LIVE_RECORD
CONFIRM_PERMISSION = Permission.LIVE_WATCH


def _totals(meeting_id: int) -> dict[str, Any]:
    return sums.totals(matrix.totals_rows(meeting_id))


def mark_proposal(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Mark one row; the ack carries the seq alone (a replay answers the same)."""

    def body(cmd: Command) -> None:
        require_unlocked(cmd.meeting.id)  # the matrix's own word before the room's
        require_correctable(cmd)
        mark = matrix.stage_mark(cmd.actor, cmd.meeting, data)
        cmd.append(
            "proposal.marked",
            {"mark": matrix.mark_dict(mark), "totals": _totals(cmd.meeting.id)},
        )

    return log.run(meeting_id, actor, nonce, body)


def confirm_proposal(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """The agency's answer to one row."""

    def body(cmd: Command) -> None:
        require_unlocked(cmd.meeting.id)
        require_correctable(cmd)
        mark = matrix.stage_confirm(cmd.actor, cmd.meeting, data)
        cmd.append(
            "proposal.confirmed",
            {"mark": matrix.mark_dict(mark), "totals": _totals(cmd.meeting.id)},
        )

    return log.run(meeting_id, actor, nonce, body)


def add_proposals(
    actor: Actor, meeting_id: int, chosen: matrix.Selection, nonce: Any = None
) -> tuple[int, int | None]:
    """Put proposals on the matrix (staff, any time until it is locked); returns the
    seq and how many rows were added (None on a replayed nonce)."""

    def body(cmd: Command) -> int:
        marks = matrix.stage_add(cmd.actor, cmd.meeting, chosen)
        cmd.append(
            "matrix.added",
            {"rows": [matrix.mark_dict(m) for m in marks], "totals": _totals(cmd.meeting.id)},
        )
        return len(marks)

    return log.run(meeting_id, actor, nonce, body)
