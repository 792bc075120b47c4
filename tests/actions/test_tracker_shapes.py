"""The tracker's query shapes that keep it fast on a province-year of data (the forum's
and series' filters through their meetings, the agency choices by EXISTS) give the same
answers: only the reader's reach, every matching action, nothing else."""

from __future__ import annotations

from typing import Any

from meetcoord.actions import filters, queries
from meetcoord.actions.queries import TrackerQuery
from meetcoord.extensions import db
from meetcoord.meetings.models import Series
from tests import factories
from tests.actions import support
from tests.actions.test_tracker import PAST, Tracker


def _ids(user: Any, **filters_: Any) -> set[int]:
    page = queries.list_actions(user, TrackerQuery(per_page=200, **filters_))
    return {action.id for action in page.items}


def test_series_and_forum_filters_keep_their_meetings_actions_only(app: Any) -> None:
    t = Tracker()
    series = Series(
        title="Evaluasi Triwulan Uji",
        rrule="FREQ=MONTHLY;INTERVAL=3",
        timezone="Asia/Makassar",
        institution_id=t.second.institution_id,
        forum_id=t.forum.id,
    )
    db.session.add(series)
    db.session.flush()
    t.second.series_id = series.id
    db.session.flush()
    assert _ids(t.staff, series_id=series.id) == {t.done_late.id, t.no_due.id}
    # The series belongs to the forum: its meeting's actions are the forum's too (as the
    # forum dashboard and the secretariat's overdue summary count them).
    assert _ids(t.staff, forum_id=t.forum.id) == {
        t.late.id,
        t.doing.id,
        t.done_late.id,
        t.no_due.id,
    }
    series.forum_id = None
    db.session.flush()
    assert _ids(t.staff, forum_id=t.forum.id) == {t.late.id, t.doing.id}
    series.forum_id = t.forum.id
    db.session.flush()
    assert _ids(t.staff, forum_id=t.forum.id, overdue=True) == {t.late.id}
    assert _ids(t.staff, series_id=series.id, organization_id=t.pupr.id) == {t.no_due.id}
    assert _ids(t.outsider, forum_id=t.forum.id) == set()


def test_the_agency_choices_are_the_agencies_with_an_action_in_reach(app: Any) -> None:
    t = Tracker()
    idle = factories.organization(name="Dinas Tanpa Tindak Lanjut Uji")
    elsewhere = factories.organization(name="Dinas Hanya NTB Uji")
    theirs = factories.meeting(by=t.outsider)
    support.action(theirs, title="Milik NTB", organization_id=elsewhere.id, due_on=PAST)
    mine = dict(filters.choices(t.staff)["organization_id"])
    assert {t.dinas.id, t.pupr.id} <= set(mine)
    assert not {idle.id, elsewhere.id} & set(mine)
    names = [name for _id, name in filters.choices(t.staff)["organization_id"]]
    assert names == sorted(names)
    theirs_choices = dict(filters.choices(t.outsider)["organization_id"])
    assert {elsewhere.id, t.dinas.id} <= set(theirs_choices)
    assert t.pupr.id not in theirs_choices
