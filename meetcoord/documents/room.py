"""The minutes' side of a correction made in the live room after it closed (issue 11).

The chair and the minute-taker may withdraw or correct a decision or an action until the
minutes are final (``live.corrections``, through the room's event log). Two things here,
each for that one caller:

- :func:`require_open` refuses once the minutes are frozen: the first signature certifies
  that content, so a correction is then an addendum (``workflow.create_addendum``);
- :func:`take_corrections` carries a correction into a draft that already exists, so it
  cannot be finalised with a withdrawn decision still in it: its decisions, actions and
  withdrawn items are read again from the room (its notes and the rest stay as edited),
  its version moves on (an editor holding the old one is told to reload), and its history
  records the correction. Without a draft there is nothing to do: ``start_minutes`` reads
  the room as it is.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.actors import Actor
from meetcoord.core.errors import Conflict
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.documents.rules import log_step
from meetcoord.documents.snapshot import to_json
from meetcoord.documents.sources import minutes_data
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting

FROM_THE_ROOM = ("decisions", "actions", "withdrawn", "review")


def minutes_of(meeting: Meeting, *, lock: bool = False) -> Document | None:
    query = select(Document).where(
        Document.meeting_id == meeting.id, Document.kind == DocumentKind.MINUTES
    )
    return db.session.scalars(query.with_for_update() if lock else query).first()


def require_open(meeting: Meeting) -> None:
    minutes = minutes_of(meeting)
    if minutes is not None and minutes.is_frozen:
        raise Conflict(
            _l(
                "Notulen rapat ini sudah final; kesepakatan dan tindak lanjutnya tidak dapat "
                "diubah lagi. Buat adendum notulen untuk koreksinya."
            )
        )


def take_corrections(meeting: Meeting, actor: Actor, detail: dict[str, Any]) -> None:
    """In the caller's transaction: the draft takes the room's corrected records."""
    minutes = minutes_of(meeting, lock=True)
    if minutes is None or minutes.is_frozen:
        return
    db.session.flush()
    fresh = to_json(minutes_data(meeting))
    minutes.content = {**minutes.content, **{key: fresh[key] for key in FROM_THE_ROOM}}
    minutes.version += 1
    log_step(minutes, "room_corrected", actor, detail)
