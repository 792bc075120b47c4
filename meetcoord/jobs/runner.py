"""Running jobs in the worker: claim an open job, let its kind's runner do one batch.

A feature registers a runner per ``kind`` (``create_app`` does it, as for worker jobs).
``run(job, limit)`` handles at most ``limit`` units, moves ``job.position`` past them,
counts ``done``/``failed`` and **commits** — the units' effects and the progress in one
transaction. A process killed mid-batch therefore loses the batch's uncommitted work and
its progress together, and the next pass starts the batch again: a runner that marks each
unit as handled (and skips marked ones) never does a unit twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from meetcoord.core.db import utcnow
from meetcoord.extensions import db
from meetcoord.jobs.models import OPEN, Job, JobStatus

log = logging.getLogger("meetcoord.jobs")

Runner = Callable[[Job, int], int]
RUNNERS_KEY = "meetcoord_job_runners"
# Units per worker pass across all jobs: mail waits at most this much rendering (~15 ms each).
BATCH = 50


def register_runner(app: object, kind: str, run: Runner) -> None:
    runners: dict[str, Runner] = app.extensions.setdefault(RUNNERS_KEY, {})  # type: ignore[attr-defined]
    runners[kind] = run


def _runner(kind: str) -> Runner | None:
    return current_app.extensions.get(RUNNERS_KEY, {}).get(kind)


def finish(job: Job, status: JobStatus = JobStatus.DONE) -> None:
    job.status = status
    job.finished_at = utcnow()


def fail(job: Job, reason: str) -> None:
    """The whole job stops (not one unit): what was done stays done."""
    job.errors = [*(job.errors or []), {"detail": reason}]
    finish(job, JobStatus.FAILED)


def _claim(skip: set[int]) -> Job | None:
    stmt = (
        select(Job)
        .where(Job.status.in_(OPEN))
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if skip:
        stmt = stmt.where(Job.id.not_in(skip))
    return db.session.scalars(stmt).first()


def run_due(limit: int = BATCH) -> int:
    """One worker pass: up to ``limit`` units of the oldest open jobs; returns how many."""
    handled = 0
    seen: set[int] = set()
    while handled < limit:
        job = _claim(seen)
        if job is None:
            db.session.commit()
            break
        seen.add(job.id)
        handled += run_one(job, limit - handled)
    return handled


def run_one(job: Job, limit: int) -> int:
    """One batch of ``job``; finishes it when its runner has nothing left."""
    job_id = job.id
    run = _runner(job.kind)
    if run is None:
        fail(job, f"unknown job kind {job.kind!r}")
        db.session.commit()
        return 0
    if job.status is JobStatus.QUEUED:
        job.status = JobStatus.RUNNING
        job.started_at = utcnow()
    try:
        count = run(job, limit)
    except Exception as exc:
        log.exception("job %s (%s): batch failed", job_id, job.kind)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        if job is not None and job.status in OPEN:
            fail(job, f"{type(exc).__name__}: {exc}"[:500])
        db.session.commit()
        return 0
    if job.status in OPEN and job.position >= job.total:
        finish(job)
    db.session.commit()
    return count
