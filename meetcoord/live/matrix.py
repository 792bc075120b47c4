"""The synchronisation matrix, live (issue 14, point 2).

``proposal.mark`` (the chair, the minute-taker, staff) and ``proposal.confirm`` (the
row's agency from a phone, or staff) change one row of the meeting's matrix; staff put
proposals on it before or during the meeting (``matrix.added``). Each runs through
``log.run``: the row, the proposal's status and the event are one commit, a repeated
nonce gets the first ack (from the socket or from the REST twin alike), and each event
carries the row *and* the totals it changed (``totals_changed``: the overall figures and
the agencies and villages the row left or joined, ``totals.changed``), so a client that
folds events in seq order (``totals.merge``) holds exactly what the snapshot would give
it (``state.snapshot``'s ``matrix``). The snapshot alone carries every agency's and
village's totals: sent with each mark to 200 phones they were most of its latency.
A locked matrix is refused with its own message (signed minutes or berita acara: an
addendum) before the room's closed-meeting rules speak of decisions and actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def _changed(meeting_id: int, touched: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return sums.changed(sums.totals(matrix.totals_rows(meeting_id)), touched)


def mark_proposal(
    actor: Actor, meeting_id: int, data: Mapping[str, Any], nonce: Any = None
) -> tuple[int, None]:
    """Mark one row; the ack carries the seq alone (a replay answers the same)."""

    def body(cmd: Command) -> None:
        require_unlocked(cmd.meeting.id)  # the matrix's own word before the room's
        require_correctable(cmd)
        before = matrix.row_keys(cmd.meeting, data.get("mark_id"))
        mark = matrix.stage_mark(cmd.actor, cmd.meeting, data)
        row = matrix.mark_dict(mark)
        cmd.append(
            "proposal.marked",
            {"mark": row, "totals_changed": _changed(cmd.meeting.id, [before, row])},
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
        row = matrix.mark_dict(mark)
        cmd.append(
            "proposal.confirmed",
            {"mark": row, "totals_changed": _changed(cmd.meeting.id, [row])},
        )

    return log.run(meeting_id, actor, nonce, body)


def add_proposals(
    actor: Actor, meeting_id: int, chosen: matrix.Selection, nonce: Any = None
) -> tuple[int, int | None]:
    """Put proposals on the matrix (staff, any time until it is locked); returns the
    seq and how many rows were added (None on a replayed nonce)."""

    def body(cmd: Command) -> int:
        marks = matrix.stage_add(cmd.actor, cmd.meeting, chosen)
        rows = [matrix.mark_dict(m) for m in marks]
        cmd.append(
            "matrix.added",
            {"rows": rows, "totals_changed": _changed(cmd.meeting.id, rows)},
        )
        return len(marks)

    return log.run(meeting_id, actor, nonce, body)
