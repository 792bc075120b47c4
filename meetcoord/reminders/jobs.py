"""The worker's reminder job: ``make run``'s in-process worker sends reminders by itself.

The worker calls each job after every mail pass (every ``MEETCOORD_WORKER_INTERVAL``
seconds, 2 by default); looking for due reminders that often would be a query of the
coming meetings every two seconds for nothing, so a pass looks at most once per
:data:`EVERY` unless the previous one filled its batch. ``meetcoord send-reminders`` (cron)
calls the same run (``run.send_all``: meeting reminders, action digests, forum
summaries); both may run, the reminder's unique key keeps it to one mail.
"""

from __future__ import annotations

import time
from datetime import datetime

from meetcoord.reminders.run import send_all

BATCH = 100
EVERY = 60.0  # seconds between looks when nothing was left over


class ReminderJob:
    """``run(batch)`` for ``core.worker.WorkerJob``; remembers when it last looked."""

    def __init__(self, every: float = EVERY) -> None:
        self.every = every
        self.last: float | None = None
        self.full = False

    def __call__(self, batch: int, now: datetime | None = None) -> int:
        moment = time.monotonic()
        if not self.full and self.last is not None and moment - self.last < self.every:
            return 0
        self.last = moment
        done = send_all(now, limit=batch).total
        self.full = done >= batch
        return done
