"""The job table: one row per piece of background work a person asked for.

A request that would take seconds (mailing 1,000 invitations) writes a ``Job`` and answers
``202 Accepted`` at once; the worker runs it in batches (``jobs.runner``), each batch in its
own transaction together with the job's progress, so what a client polls is what was
committed. The work itself belongs to the feature that registered the job's ``kind``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from meetcoord.core.db import str_enum, utcnow
from meetcoord.extensions import db

# At most this many per-unit errors are kept on a job: enough to act on, bounded in size.
ERRORS_KEPT = 100


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


OPEN = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Whose work it is: a job is read only by people who see this institution's work.
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, 20), default=JobStatus.QUEUED)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)  # units handled; the runner's cursor
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_jobs_status_id", "status", "id"),)

    def add_error(self, error: dict[str, Any]) -> None:
        """Count one failed unit; keep its reason while there is room."""
        self.failed += 1
        if len(self.errors or []) < ERRORS_KEPT:
            self.errors = [*(self.errors or []), error]  # a new list: JSON is not mutable
