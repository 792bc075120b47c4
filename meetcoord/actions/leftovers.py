"""No evidence file outlives its row: removed after the commit that deletes the row.

An evidence file lives on disk (``actions.evidence``), its row in the database; the two
cannot share a transaction. The order is what keeps them honest: a file is removed only
*after* the commit that deleted its row succeeded, so a rolled-back deletion keeps both,
and a file is never missing for a row that still exists.

Two ways catch what goes:

- :func:`install` listens on every ORM session. Before a flush it notes the storage keys
  under each ``ActionEvidence``, ``ActionUpdate``, ``Action`` or ``Meeting`` being
  deleted (their evidence rows go with them by ``ON DELETE CASCADE``, which the ORM never
  sees row by row); after the commit it removes those files; a rollback forgets them.
- :func:`sweep` removes files of the evidence folder that no row names and that are older
  than :data:`GRACE` — what a bulk ``DELETE``, a cascade from elsewhere or a crash between
  writing a file and committing its row left behind. The grace period leaves alone an
  upload whose transaction is still open. The worker runs it hourly
  (:class:`SweepJob`); ``meetcoord sweep-evidence`` runs it from cron.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from meetcoord.actions import evidence
from meetcoord.actions.models import Action, ActionEvidence, ActionUpdate
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting

log = logging.getLogger("meetcoord.actions.leftovers")

PENDING = "meetcoord.evidence_gone"  # session.info: (instance path, keys) to remove
GRACE = 3600.0  # seconds: a file younger than this may belong to an open transaction
SWEEP_EVERY = 3600.0
SWEEP_BATCH = 1_000_000  # one sweep is one pass over the folder, never "a batch"
_CHUNK = 500
_NAME = re.compile(r"[0-9a-f]{48}(\.part)?")


def _keys_under(session: Session, obj: Any) -> list[str]:
    """The storage keys that go when ``obj`` is deleted (itself or by cascade)."""
    if isinstance(obj, ActionEvidence):
        return [obj.storage_key]
    column = None
    if isinstance(obj, ActionUpdate):
        column = ActionEvidence.update_id
    elif isinstance(obj, Action):
        column = ActionEvidence.action_id
    if column is not None:
        stmt = select(ActionEvidence.storage_key).where(column == obj.id)
    elif isinstance(obj, Meeting):
        stmt = (
            select(ActionEvidence.storage_key)
            .join(Action, Action.id == ActionEvidence.action_id)
            .where(Action.meeting_id == obj.id)
        )
    else:
        return []
    with session.no_autoflush:
        return list(session.scalars(stmt))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.deleted or not has_app_context():
        return  # without an app there is no folder to name: the sweep finds them later
    keys: set[str] = set()
    for obj in list(session.deleted):
        keys.update(_keys_under(session, obj))
    if keys:
        _folder, pending = session.info.setdefault(PENDING, (current_app.instance_path, set()))
        pending.update(keys)


def _after_commit(session: Session) -> None:
    found = session.info.pop(PENDING, None)
    if found is None:
        return
    folder, keys = found
    for key in keys:
        try:
            evidence.remove(folder, key)
        except OSError:  # the row is gone; the sweep tries the file again later
            log.warning("evidence file %s could not be removed", key, exc_info=True)


def _after_rollback(session: Session) -> None:
    """The deletions did not happen: their files stay."""
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen on every session (idempotent: ``create_app`` may run more than once)."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _chunks(names: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(names), _CHUNK):
        yield names[start : start + _CHUNK]


def sweep(instance_path: str | Path, *, grace: float = GRACE, now: float | None = None) -> int:
    """Remove evidence files no row names, older than ``grace`` seconds; how many went.

    Only names the tracker itself makes (48 hex digits, or a ``.part`` of one) are
    considered: nothing else in the folder is ours to delete.
    """
    folder = Path(instance_path) / evidence.FOLDER
    if not folder.is_dir():
        return 0
    moment = time.time() if now is None else now
    old: dict[str, Path] = {}
    for path in folder.iterdir():
        if not _NAME.fullmatch(path.name) or not path.is_file():
            continue
        try:
            if moment - path.stat().st_mtime < grace:
                continue
        except FileNotFoundError:
            continue
        old[path.name] = path
    keys = sorted({name.removesuffix(".part") for name in old})
    known: set[str] = set()
    for chunk in _chunks(keys):
        known.update(
            db.session.scalars(
                select(ActionEvidence.storage_key).where(ActionEvidence.storage_key.in_(chunk))
            )
        )
    removed = 0
    for name, path in old.items():
        if name.endswith(".part") or name not in known:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class SweepJob:
    """``run(batch)`` for ``core.worker.WorkerJob``: a sweep at most every hour."""

    def __init__(self, every: float = SWEEP_EVERY) -> None:
        self.every = every
        self.last: float | None = None

    def __call__(self, _batch: int) -> int:
        moment = time.monotonic()
        if self.last is not None and moment - self.last < self.every:
            return 0
        self.last = moment
        return sweep(current_app.instance_path)
