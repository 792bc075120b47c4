"""The demo's follow-up story (issue 13): last week's actions moved, today's meeting carries
them, the forum's public page is open — through the real services, and not twice."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from meetcoord.actions.carryover import review_actions
from meetcoord.actions.models import Action, ActionEvidence, ActionStatus, ActionUpdate
from meetcoord.actions.queries import is_overdue
from meetcoord.demo import DEMO_LOGINS, load_demo
from meetcoord.demo.meetings import find_demo_meeting
from meetcoord.demo.past_meeting import find_past_meeting
from meetcoord.extensions import db
from meetcoord.meetings.models import AgendaKind
from meetcoord.public.models import Publication


@pytest.fixture
def demo(db_session):
    return load_demo()


def _actions() -> list[Action]:
    meeting = find_past_meeting()
    assert meeting is not None
    return list(
        db.session.scalars(
            select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
        )
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_last_weeks_actions_have_moved(demo):
    actions = _actions()
    statuses = Counter(a.status for a in actions)
    assert statuses == {
        ActionStatus.IN_PROGRESS: 3,
        ActionStatus.OPEN: 1,
        ActionStatus.DONE: 1,  # awaiting the secretariat's verification
        ActionStatus.VERIFIED: 1,
        ActionStatus.DROPPED: 1,
    }
    assert sum(is_overdue(a) for a in actions) >= 2
    dropped = next(a for a in actions if a.status is ActionStatus.DROPPED)
    assert "Bulan Penimbangan" in dropped.updates[-1].reason
    done = next(a for a in actions if a.status is ActionStatus.DONE)
    (evidence,) = db.session.scalars(
        select(ActionEvidence).where(ActionEvidence.action_id == done.id)
    ).all()
    assert evidence.content_type == "application/pdf"
    # the agencies reported through their personal links, the secretariat closed
    in_progress = [a for a in actions if a.status is ActionStatus.IN_PROGRESS]
    for action in in_progress:
        assert action.updates[0].by_label == action.person.name
        assert action.updates[0].percentage is not None
    verified = next(a for a in actions if a.status is ActionStatus.VERIFIED)
    assert verified.updates[-1].by_label == "Rambu Yuliana Kaka"
    assert demo["action updates"] == 7


def test_todays_meeting_carries_the_open_actions(demo):
    meeting = find_demo_meeting()
    kinds = [item.kind for item in meeting.agenda]
    assert kinds[:2] == [AgendaKind.PREVIOUS_MINUTES, AgendaKind.ACTION_REVIEW]
    carried = {a.id for a in review_actions(meeting)}
    still_owed = {
        a.id for a in _actions() if a.status not in (ActionStatus.VERIFIED, ActionStatus.DROPPED)
    }
    assert still_owed <= carried
    assert len(still_owed) == 5


def test_loading_twice_tells_the_story_once(demo):
    before = [_count(ActionUpdate), _count(ActionEvidence), _count(Publication)]
    agenda = len(find_demo_meeting().agenda)
    again = load_demo()
    assert again["action updates"] == again["public pages"] == 0
    assert [_count(ActionUpdate), _count(ActionEvidence), _count(Publication)] == before
    assert len(find_demo_meeting().agenda) == agenda


def test_the_forum_page_is_public_and_printed(demo, runner, app):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Public page \(no login\): http://[^/]+(/p/\S+)", result.output)
    assert found
    page = app.test_client().get(found.group(1))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Forum BangKIT" in html
    assert "Desa Karuni" in html
    for action in _actions():  # progress without personal data
        assert action.person.name not in html


def test_the_staff_pages_have_something_to_show(demo, auth):
    secretariat = next(login for login in DEMO_LOGINS if login.email.startswith("bappeda.sbd"))
    client = auth.client
    token = auth.token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": secretariat.email, "password": secretariat.password, "csrf_token": token},
    )
    assert response.status_code == 302
    forum_id = find_past_meeting().forum_id
    home = client.get("/home").get_data(as_text=True)
    overdue = re.search(r'data-count="actions_overdue"[^>]*>(\d+)<', home)
    assert overdue
    assert int(overdue.group(1)) >= 2
    tracker = client.get("/actions?overdue=1").get_data(as_text=True)
    assert "Mendampingi musyawarah desa" in tracker
    assert "Membangun kebun gizi" not in tracker  # not yet due
    dashboard = client.get(f"/forums/{forum_id}/dashboard")
    assert dashboard.status_code == 200
    assert "<svg" in dashboard.get_data(as_text=True)
