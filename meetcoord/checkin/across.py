"""Attendance across a series or a forum as a spreadsheet: who was invited, who came.

One row per invitation per meeting (walk-ins have no invitation and are in each
meeting's own daftar hadir, ``checkin.exports``): the forum's quarterly evaluation reads
from it who keeps missing meetings and who sends a stand-in. Meetings come in date
order, a few at a time with what their rows need, so a forum-year of sixty thousand
invitations streams without being held. Cancelled meetings are left out.

Headings and labels follow the reader's language; times are in the site's zone (the
meeting host's for online participants) with its label, as on the daftar hadir.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetcoord.access import scope
from meetcoord.access.permissions import visible
from meetcoord.checkin.models import Attendance
from meetcoord.core import tabular
from meetcoord.core.i18n import current_language
from meetcoord.core.tabular import moment_text
from meetcoord.directory.forms import CATEGORY_LABELS, GENDER_LABELS
from meetcoord.directory.models import Forum, Person
from meetcoord.extensions import db
from meetcoord.meetings.labels import INVITEE_ROLE_LABELS, RSVP_LABELS
from meetcoord.meetings.models import Invitation, Meeting, MeetingSite, MeetingStatus, Series
from meetcoord.meetings.zones import host_zone

FORMATS = ("csv", "xlsx")
MEETINGS_PER_CHUNK = 20
TITLE = _l("Kehadiran")

HEADER = (
    _l("Judul rapat"),
    _l("Tanggal"),
    _l("Lokasi"),
    _l("Nama"),
    _l("Jabatan"),
    _l("Instansi"),
    _l("Kategori"),
    _l("Jenis kelamin"),
    _l("Peran"),
    _l("Jawaban undangan"),
    _l("Waktu hadir"),
    _l("Diwakili oleh"),
)


def header() -> list[str]:
    return [str(label) for label in HEADER]


def get_series(actor: Any, series_id: int) -> Series:
    """The series, if ``actor`` sees its institution's work; else not found."""
    return visible(actor, db.session.get(Series, series_id))


def get_forum(actor: Any, forum_id: int) -> Forum:
    return visible(actor, db.session.get(Forum, forum_id))


def meeting_ids(
    actor: Any, *, series: Series | None = None, forum: Forum | None = None
) -> list[int]:
    """The meetings of ``series`` or ``forum`` that ``actor`` sees, oldest first."""
    stmt = select(Meeting.id).where(Meeting.status != MeetingStatus.CANCELLED)
    if series is not None:
        stmt = stmt.where(Meeting.series_id == series.id)
    if forum is not None:
        stmt = stmt.where(Meeting.forum_id == forum.id)
    if (mine := scope.owned_by_reach(actor, Meeting)) is not None:
        stmt = stmt.where(mine)
    return list(db.session.scalars(stmt.order_by(Meeting.start_at, Meeting.id)))


def _attended(ids: list[int]) -> dict[int, Attendance]:
    """The first check-in of each invitation of these meetings."""
    found: dict[int, Attendance] = {}
    stmt = (
        select(Attendance)
        .where(Attendance.meeting_id.in_(ids), Attendance.invitation_id.is_not(None))
        .order_by(Attendance.checked_in_at, Attendance.id)
    )
    for attendance in db.session.scalars(stmt):
        found.setdefault(attendance.invitation_id or 0, attendance)
    return found


def _invitations(ids: list[int]) -> list[Invitation]:
    order = {meeting_id: n for n, meeting_id in enumerate(ids)}
    stmt = (
        select(Invitation)
        .where(Invitation.meeting_id.in_(ids), Invitation.withdrawn_at.is_(None))
        .options(
            selectinload(Invitation.meeting).selectinload(Meeting.host_venue),
            selectinload(Invitation.site).selectinload(MeetingSite.venue),
            selectinload(Invitation.person).selectinload(Person.organization),
        )
    )
    return sorted(db.session.scalars(stmt), key=lambda i: (order[i.meeting_id], i.id))


def _stand_in(name: str | None, position: str | None) -> str:
    if not name:
        return ""
    return f"{name} ({position})" if position else name


@dataclass(frozen=True)
class Words:
    """Labels in the reader's language, settled while the request is there."""

    locale: str
    online: str
    categories: dict[str, str]
    genders: dict[str, str]
    roles: dict[str, str]
    answers: dict[str, str]

    @classmethod
    def now(cls) -> Words:
        def texts(labels: dict[Any, Any]) -> dict[str, str]:
            return {str(key): str(label) for key, label in labels.items()}

        return cls(
            current_language(),
            _("Daring"),
            texts(CATEGORY_LABELS),
            texts(GENDER_LABELS),
            texts(INVITEE_ROLE_LABELS),
            texts(RSVP_LABELS),
        )


def _rows(meetings: Sequence[int], words: Words) -> list[list[Any]]:
    attended = _attended(list(meetings))
    made = []
    for invitation in _invitations(list(meetings)):
        meeting, person, site = invitation.meeting, invitation.person, invitation.site
        zone = site.venue.timezone if site is not None else host_zone(meeting)
        came = attended.get(invitation.id)
        stand_in = (came.stand_in_name, came.stand_in_position) if came else (None, None)
        if not stand_in[0]:
            stand_in = (invitation.stand_in_name, invitation.stand_in_position)
        made.append(
            [
                meeting.title,
                moment_text(meeting.start_at, host_zone(meeting), words.locale),
                site.venue.name if site is not None else words.online,
                person.name,
                person.position or "",
                person.organization.name if person.organization else "",
                words.categories.get(str(person.category), str(person.category)),
                words.genders.get(str(person.gender), "") if person.gender else "",
                words.roles[str(invitation.role)],
                words.answers[str(invitation.rsvp)],
                moment_text(came.checked_in_at, zone, words.locale) if came else "",
                _stand_in(*stand_in),
            ]
        )
    return made


def rows(meetings: list[int]) -> Iterator[list[Any]]:
    """One row per invitation of ``meetings`` (ids, in the order given), read
    ``MEETINGS_PER_CHUNK`` meetings at a time as the rows are consumed."""
    words = Words.now()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return tabular.chunked(app, meetings, MEETINGS_PER_CHUNK, lambda part: _rows(part, words))


def download(meetings: list[int], fmt: str, name: str) -> Response:
    """The attachment: the CSV streams, the XLSX is written on disk first."""
    return tabular.download(header(), rows(meetings), fmt, name, str(TITLE))


def series_download(actor: Any, series: Series, fmt: str) -> Response:
    name = f"kehadiran-seri-{series.id}-{series.title}"
    return download(meeting_ids(actor, series=series), fmt, name)


def forum_download(actor: Any, forum: Forum, fmt: str) -> Response:
    name = f"kehadiran-forum-{forum.id}-{forum.short_name or forum.name}"
    return download(meeting_ids(actor, forum=forum), fmt, name)
