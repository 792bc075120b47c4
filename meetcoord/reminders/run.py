"""One reminder run: meeting reminders, action digests, forum summaries, in that order.

The CLI (cron) and the worker's job both call :func:`send_all`, so one run sends every
kind that is due; each kind is idempotent on its own keys, so running twice sends
nothing twice. ``limit`` is the worker's batch: what is left over follows next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meetcoord.core.db import utcnow
from meetcoord.reminders.action_digests import send_action_digests
from meetcoord.reminders.forum_summary import send_forum_summaries
from meetcoord.reminders.services import send_due_reminders


@dataclass(frozen=True)
class RunReport:
    meetings: int = 0  # meeting reminders (one per invitee and reminder)
    action_digests: int = 0  # digests (one per person)
    forum_summaries: int = 0  # forums summarised (each to all of its secretariat)

    @property
    def total(self) -> int:
        return self.meetings + self.action_digests + self.forum_summaries

    def line(self) -> str:
        return (
            f"reminders: queued {self.total} (meetings {self.meetings}, "
            f"action digests {self.action_digests}, forum summaries {self.forum_summaries})"
        )


def send_all(now: datetime | None = None, *, limit: int | None = None) -> RunReport:
    """Queue every reminder of every kind due at ``now`` (default: the present)."""
    now = now or utcnow()
    meetings = send_due_reminders(now, limit=limit)
    left = None if limit is None else max(limit - meetings, 0)
    if left == 0:
        return RunReport(meetings)
    digests = send_action_digests(now, limit=left)
    left = None if left is None else max(left - digests, 0)
    if left == 0:
        return RunReport(meetings, digests)
    return RunReport(meetings, digests, send_forum_summaries(now, limit=left))
