"""The tracker as a spreadsheet: every action it would list, in its order, one row each.

The rows are the tracker's own (``queries.tracker_select``: the reader's institutions, the
same filters, the same sort), without its pages. A province-year holds ten thousand
actions, so nothing here holds them all: the ordered ids are read first (small), then the
actions a chunk at a time with what each row needs, and the rows are yielded for
``core.tabular`` to stream as CSV or write row by row into an XLSX.

Headings and status labels follow the reader's language; times are in the meeting's
zone with its label (a meeting in Ambon is "09.00 WIT" for everyone reading the file).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.actions import queries
from meetcoord.actions.labels import STATUS_LABELS
from meetcoord.actions.models import Action, ActionStatus, ActionUpdate
from meetcoord.actions.queries import TrackerQuery
from meetcoord.core import tabular
from meetcoord.core.i18n import current_language
from meetcoord.core.tabular import moment_text
from meetcoord.extensions import db
from meetcoord.meetings.models import Meeting
from meetcoord.meetings.zones import host_zone

CHUNK = 500
FORMATS = ("csv", "xlsx")
TITLE = _l("Tindak lanjut")

HEADER = (
    _l("ID"),
    _l("Judul rapat"),
    _l("Tanggal rapat"),
    _l("Penyelenggara"),
    _l("Forum rapat"),
    _l("Seri"),
    _l("Kesepakatan asal"),
    _l("Tindak lanjut"),
    _l("Instansi"),
    _l("Penanggung jawab"),
    _l("Lokus"),
    _l("Tenggat"),
    _l("Tenggat semula"),
    _l("Status"),
    _l("Perkembangan terakhir (%)"),
    _l("Pembaruan terakhir"),
    _l("Lewat tenggat"),
    _l("Ditutup pada"),
)


def header() -> list[str]:
    """The heading row in the reader's language."""
    return [str(label) for label in HEADER]


def _latest(ids: list[int]) -> tuple[dict[int, int], dict[int, datetime]]:
    """Per action: the last percentage reported and when it was last updated."""
    percent: dict[int, int] = {}
    last_at: dict[int, datetime] = {}
    rows = db.session.execute(
        select(ActionUpdate.action_id, ActionUpdate.percentage, ActionUpdate.at)
        .where(ActionUpdate.action_id.in_(ids))
        .order_by(ActionUpdate.action_id, ActionUpdate.id)
    )
    for action_id, percentage, at in rows:
        if percentage is not None:
            percent[action_id] = percentage
        last_at[action_id] = at
    return percent, last_at


def _chunk(ids: list[int]) -> dict[int, Action]:
    stmt = (
        select(Action)
        .where(Action.id.in_(ids))
        .options(
            selectinload(Action.organization),
            selectinload(Action.person),
            selectinload(Action.decision),
            selectinload(Action.meeting).selectinload(Meeting.host_venue),
            selectinload(Action.meeting).selectinload(Meeting.institution),
            selectinload(Action.meeting).selectinload(Meeting.forum),
            selectinload(Action.meeting).selectinload(Meeting.series),
        )
    )
    return {action.id: action for action in db.session.scalars(stmt)}


@dataclass(frozen=True)
class Words:
    """What a row says in the reader's language, settled while the request is there."""

    locale: str
    statuses: dict[ActionStatus, str]
    yes: str
    no: str
    today: date

    @classmethod
    def now(cls) -> Words:
        statuses = {status: str(label) for status, label in STATUS_LABELS.items()}
        return cls(current_language(), statuses, _("Ya"), _("Tidak"), queries.today())


def _rows(ids: Sequence[int], words: Words) -> list[list[Any]]:
    found = _chunk(list(ids))
    percent, last_at = _latest(list(ids))
    made = []
    for action_id in ids:
        action = found[action_id]
        meeting = action.meeting
        zone = host_zone(meeting)
        decision = action.decision
        made.append(
            [
                action.id,
                meeting.title,
                moment_text(meeting.start_at, zone, words.locale),
                meeting.institution.name,
                meeting.forum.name if meeting.forum else "",
                meeting.series.title if meeting.series else "",
                f"{decision.number}. {decision.text}" if decision else "",
                action.title,
                action.organization.name,
                action.person.name if action.person else "",
                action.locus or "",
                action.due_on,
                action.original_due_on,
                words.statuses[action.status],
                percent.get(action_id),
                moment_text(last_at.get(action_id), zone, words.locale),
                words.yes if queries.is_overdue(action, words.today) else words.no,
                moment_text(action.closed_at, zone, words.locale),
            ]
        )
    return made


def rows(user: Any, query: TrackerQuery) -> Iterator[list[Any]]:
    """The rows of every action the tracker shows ``user`` for ``query``, in its order.

    The ordered ids (the reader's reach, filters, sort) and the words are settled now;
    the actions are read ``CHUNK`` at a time as the rows are consumed.
    """
    ids = list(db.session.scalars(queries.tracker_select(user, query, Action.id)))
    words = Words.now()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return tabular.chunked(app, ids, CHUNK, lambda part: _rows(part, words))


def stem(on: date) -> str:
    """The file's name without extension: "tindak-lanjut-2026-03-15"."""
    return f"tindak-lanjut-{on.isoformat()}"


def download(user: Any, query: TrackerQuery, fmt: str) -> Response:
    """The attachment: the CSV streams its rows, the XLSX is written on disk first."""
    name = stem(queries.today())
    return tabular.download(header(), rows(user, query), fmt, name, str(TITLE))
