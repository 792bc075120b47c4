"""The outbox worker: delivers due mail, retries with backoff, never loses a message.

It is also the background worker for the features' jobs: after each mail pass it runs
every :class:`WorkerJob` that ``create_app`` registered (today: rendering frozen documents
waiting for their PDF, ``documents.jobs``), so a request or a socket handler never renders.
Core offers the mechanism and knows no job by name (DESIGN §3).

Rules, and why:

- Each message is claimed, sent and marked ``sent`` in **its own transaction**, committed
  right after the server accepted it. A crash can therefore repeat at most the one message
  in flight, never a whole batch. On PostgreSQL the claim is ``FOR UPDATE SKIP LOCKED``, so
  two workers (an in-process one and ``meetcoord worker``, or two of the latter) never take
  the same row; SQLite ignores the clause and has only one writer anyway.
- A message the server refuses costs it one attempt and is tried again after
  :func:`backoff`; after ``MEETCOORD_MAIL_MAX_ATTEMPTS`` it becomes ``failed`` and waits for
  a person (``outbox.services.retry``).
- A failure of the connection itself (server down, login refused, line dropped) is nobody's
  message's fault. It is counted once, on the message at the head of the queue, so the
  outage shows on the outbox page; every other message claimed in that pass is only
  postponed to the same moment, with the reason, and keeps its attempts. And it never
  turns a message ``failed``: an SMTP server down for a day delays mail, it does not lose it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from meetcoord.core.db import utcnow
from meetcoord.core.mail import ConnectionFailure, MailError, Transport, build_transport
from meetcoord.core.outbox import OutboxMessage, OutboxStatus
from meetcoord.extensions import db

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger("meetcoord.worker")


@dataclass(frozen=True)
class WorkerJob:
    """Background work a feature hands the worker, run after each mail pass.

    ``run(batch)`` does at most ``batch`` units of work inside the app context and returns
    how many it did; a full batch means more may be waiting, so the worker loops at once
    instead of sleeping. It commits its own work; an exception is logged and rolled back.
    """

    name: str
    run: Callable[[int], int]
    batch: int


JOBS_KEY = "meetcoord_worker_jobs"


def register_job(app: Flask, job: WorkerJob) -> None:
    """Add ``job`` to ``app``'s worker (``create_app`` calls this; once per name)."""
    jobs: dict[str, WorkerJob] = app.extensions.setdefault(JOBS_KEY, {})
    jobs[job.name] = job


def registered_jobs(app: Flask) -> list[WorkerJob]:
    return list(app.extensions.get(JOBS_KEY, {}).values())


BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)
BACKOFF_JITTER = 0.1  # ±10 %: workers restarted together must not retry in lockstep


def backoff(attempts: int, rand: float = 0.5) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, 4 min … at most 30 min.

    ``rand`` in [0, 1) spreads the wait by ±10 % (0.5 = no spread), and is a parameter so
    that the schedule is a pure function a test can pin down.
    """
    steps = max(0, attempts - 1)
    base = BACKOFF_FIRST.total_seconds() * 2 ** min(steps, 20)
    base = min(base, BACKOFF_CAP.total_seconds())
    spread = 1 + BACKOFF_JITTER * (2 * rand - 1)
    return timedelta(seconds=round(base * spread, 3))


def _random() -> float:
    return secrets.randbelow(1_000_000) / 1_000_000


@dataclass
class DeliveryReport:
    """What one pass did; ``connection_error`` is set when the pass stopped early."""

    sent: int = 0
    retrying: int = 0  # refused, will be tried again
    failed: int = 0  # refused for the last allowed time
    postponed: int = 0  # untried because the connection failed
    connection_error: str | None = None

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def _claim_next(now: datetime, skip: set[int]) -> OutboxMessage | None:
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if skip:
        stmt = stmt.where(OutboxMessage.id.not_in(skip))
    return db.session.scalars(stmt).first()


def _postpone_rest(now: datetime, until: datetime, reason: str, limit: int) -> int:
    """Move the other due messages (up to ``limit``) to ``until`` without costing attempts."""
    if limit <= 0:
        return 0
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.next_attempt_at = until
        row.last_error = reason
    db.session.commit()
    return len(rows)


def deliver_due(
    transport: Transport,
    *,
    limit: int = 50,
    sender: str | None = None,
    max_attempts: int | None = None,
    clock: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Deliver up to ``limit`` due messages through one connection; needs an app context.

    Works on ``db.session`` (so a test's transaction sees it) and commits per message.
    ``clock`` lets tests move time instead of sleeping; ``should_stop`` is checked between
    messages so that SIGTERM finishes the current message and no more.
    """
    sender = sender or current_app.config["MAIL_FROM"]
    max_attempts = max_attempts or current_app.config["MAIL_MAX_ATTEMPTS"]
    report = DeliveryReport()
    now = clock()
    seen: set[int] = set()
    row = _claim_next(now, seen)
    if row is None:
        db.session.commit()  # end the read transaction; nothing is held open between passes
        return report
    # On SQLite nothing may be held while talking to the mail server: one writer at a time,
    # and under eventlet the server hands the database out in turns, so a slow SMTP
    # conversation inside a transaction would stall every desk scan. A single worker is
    # the rule there (no SKIP LOCKED), so letting go of the claim is safe. On PostgreSQL
    # the row lock is what keeps a second worker off this message, so it stays held.
    release = db.session.get_bind().dialect.name == "sqlite"
    if release:
        db.session.commit()
    try:
        with transport.open() as connection:
            while row is not None:
                seen.add(row.id)
                message_id, recipient, message = row.id, row.recipient, row.message
                if release:
                    db.session.commit()
                try:
                    connection.send(message_id, sender, recipient, message)
                except ConnectionFailure:
                    raise
                except MailError as exc:
                    _record_failure(row, str(exc), clock(), max_attempts, report)
                else:
                    row.status = OutboxStatus.SENT
                    row.sent_at = clock()
                    row.attempts += 1
                    row.last_error = None
                    report.sent += 1
                db.session.commit()
                if len(seen) >= limit or should_stop():
                    break
                row = _claim_next(now, seen)
            else:
                db.session.commit()
    except ConnectionFailure as exc:
        reason = str(exc)
        report.connection_error = reason
        log.warning("mail: connection failed, pass stopped: %s", reason)
        if row is not None:
            # The head message carries the count, so the outage shows and backs off.
            row.attempts += 1
            row.last_error = reason
            row.next_attempt_at = clock() + backoff(row.attempts, _random())
            report.postponed += 1
            until = row.next_attempt_at
            db.session.commit()
            report.postponed += _postpone_rest(now, until, reason, limit - len(seen))
    return report


def _record_failure(
    row: OutboxMessage, reason: str, now: datetime, max_attempts: int, report: DeliveryReport
) -> None:
    row.attempts += 1
    row.last_error = reason
    if row.attempts >= max_attempts:
        row.status = OutboxStatus.FAILED
        report.failed += 1
        log.error("mail #%s to %s failed for good: %s", row.id, row.recipient, reason)
    else:
        row.next_attempt_at = now + backoff(row.attempts, _random())
        report.retrying += 1
        log.warning("mail #%s to %s refused, will retry: %s", row.id, row.recipient, reason)


def run_worker(
    app: Flask,
    *,
    stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], Any] | None = None,
    once: bool = False,
    limit: int = 50,
) -> DeliveryReport:
    """Drain the outbox until ``stop()``; ``sleep`` defaults to ``socketio.sleep``.

    The in-process worker runs this as a Socket.IO background task, so it must only ever
    wait through ``sleep`` (green under eventlet/gevent). A full batch loops at once; an
    empty or failed one waits ``MEETCOORD_WORKER_INTERVAL`` seconds, in short steps so that
    a stop request is noticed quickly. Returns the last pass's report (``--once``).
    """
    if sleep is None:
        from meetcoord.extensions import socketio

        sleep = socketio.sleep
    transport = build_transport(app.config)
    interval = float(app.config["WORKER_INTERVAL"])
    report = DeliveryReport()
    while not stop():
        with app.app_context():
            try:
                report = deliver_due(transport, limit=limit, should_stop=stop)
            except Exception:  # a database hiccup must not end the worker for good
                log.exception("mail: delivery pass failed")
                db.session.rollback()
                report = DeliveryReport(connection_error="internal error")
            more = _run_jobs(registered_jobs(app))
        if once:
            break
        busy = report.handled >= limit and report.connection_error is None
        if busy or more:
            continue
        waited = 0.0
        while waited < interval and not stop():
            step = min(0.5, interval - waited)
            sleep(step)
            waited += step
    return report


def _run_jobs(jobs: list[WorkerJob]) -> bool:
    """One pass of every registered job; True when one filled its batch. Never raises."""
    more = False
    for job in jobs:
        try:
            done = job.run(job.batch)
        except Exception:
            log.exception("%s: background pass failed", job.name)
            db.session.rollback()
            continue
        more = more or done >= job.batch
    return more
