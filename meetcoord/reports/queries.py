"""The dashboards' one entry each: load the forum or series, check the reader may see it
(another institution's answers 404, exactly like a missing id), and build its figures."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access.actors import as_actor
from meetcoord.access.permissions import visible
from meetcoord.core.i18n import current_language
from meetcoord.directory.models import Forum
from meetcoord.extensions import db
from meetcoord.meetings.models import Series
from meetcoord.reports import figures
from meetcoord.reports.figures import Dashboard

FORUM_NOT_FOUND = _l("Forum tidak ditemukan.")
SERIES_NOT_FOUND = _l("Seri tidak ditemukan.")
NOT_IN_SET = _l("Rapat itu tidak termasuk di sini atau belum berlangsung.")


def get_forum(user: Any, forum_id: int) -> Forum:
    return visible(as_actor(user), db.session.get(Forum, forum_id), FORUM_NOT_FOUND)


def get_series(user: Any, series_id: int) -> Series:
    return visible(as_actor(user), db.session.get(Series, series_id), SERIES_NOT_FOUND)


def forum_dashboard(
    user: Any, forum_id: int, meeting_id: int | None = None
) -> tuple[Forum, Dashboard]:
    """The forum and every figure of its meetings the reader sees (its own and its series')."""
    forum = get_forum(user, forum_id)
    return forum, figures.build(
        user,
        kind="forum",
        obj=forum,
        owner=figures.forum_meetings(forum.id),
        meeting_id=meeting_id,
        online=_("Daring"),
        not_in_set=NOT_IN_SET,
        language=current_language(),
    )


def series_dashboard(
    user: Any, series_id: int, meeting_id: int | None = None
) -> tuple[Series, Dashboard]:
    """The series and every figure of its meetings the reader sees."""
    series = get_series(user, series_id)
    return series, figures.build(
        user,
        kind="series",
        obj=series,
        owner=figures.series_meetings(series.id),
        meeting_id=meeting_id,
        online=_("Daring"),
        not_in_set=NOT_IN_SET,
        language=current_language(),
    )
