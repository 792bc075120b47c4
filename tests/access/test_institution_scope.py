"""Every institution's work is its own (issue 12): another institution's staff find nothing.

Rakor Pangan belongs to the first institution (the owner, "SBD" here). A secretariat of
another institution ("NTB") is refused every page and API operation of it, with 404 as
for an id that does not exist, and nothing changes; the owner's staff, an administrator
of the installation and the staff of a co-host work on it; a viewer member sees it and
changes nothing. The routes are enumerated from the application, so a new route under a
meeting, document or forum is in the table the day it is added.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from meetcoord.access.actors import Actor
from meetcoord.access.models import Institution, MemberRole
from meetcoord.accounts.services import create_token
from meetcoord.checkin import keys
from meetcoord.checkin.models import Attendance
from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Forum, ForumMember
from meetcoord.documents import workflow
from meetcoord.documents.models import Document
from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import services as meetings
from meetcoord.meetings.models import AgendaItem, Invitation, Meeting, MeetingSite
from tests import factories
from tests.conftest import AuthActions
from tests.documents_support import ClosedRakor
from tests.live_support import LiveRakor, connect

NTB = "Badan Perencanaan Pembangunan Daerah Provinsi Nusa Tenggara Barat"
LOTIM = "Badan Perencanaan Pembangunan Daerah Kabupaten Lombok Timur"
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
# Routes under an owned object whose ids the table fills; a route that needs a value the
# table does not know fails the test (add it here).
OWNED_PREFIXES = (
    "/meetings/<int:meeting_id>",
    "/api/v1/meetings/<int:id>",
    "/documents/<int:document_id>",
    "/api/v1/documents/<int:id>",
    "/directory/forums/<int:forum_id>",
    "/api/v1/forums/<int:id>",
    "/live/<int:meeting_id>",
    "/attendance/<int:meeting_id>",
)


class Scene:
    """Rakor Pangan of the first institution, held and closed, a forum and a draft of
    its minutes."""

    def __init__(self, app: Flask, *, closed: bool = True) -> None:
        # Closed, so that its minutes can be drafted; open, to check people in and edit it.
        self.rakor = ClosedRakor(app) if closed else LiveRakor()
        if not closed:
            self.rakor.add_items("Pembukaan")
        self.meeting = self.rakor.meeting
        self.owner = db.session.get(Institution, self.meeting.institution_id)
        self.item = self.meeting.agenda[0]
        self.forum = factories.forum(members=1, institution_id=self.owner.id)
        staff = Actor(user=self.rakor.staff)
        self.document = workflow.start_minutes(staff, self.meeting) if closed else None
        self.ntb = factories.institution(name=NTB)
        self.outsider = factories.user("secretariat", institution=self.ntb)

    def values(self, rule: str) -> dict[str, int | str]:
        """URL values for ``rule``: the owned object its prefix names, and its parts."""
        invitation = self.rakor.participant
        meeting_id = self.meeting.id
        if rule.startswith(("/documents/", "/api/v1/documents/")):
            own = self.document.id if self.document else 0
        elif rule.startswith(("/directory/forums/", "/api/v1/forums/")):
            own = self.forum.id
        else:
            own = meeting_id
        return {
            "meeting_id": meeting_id,
            "id": own,
            "document_id": self.document.id if self.document else 0,
            "forum_id": self.forum.id,
            "item_id": self.item.id,
            "invitation_id": invitation.id,
            "site_id": self.rakor.site.id,
            "member_id": self.forum.members[0].id,
            "attendance_id": 1,
            "mark_id": 1,
            "question_id": 1,
            "conflict_id": 1,
            "channel_id": 1,
            "step": "circulate",
            "key": "all",
            "source": "person",
            "kind": "minutes",
            "fmt": "csv",
            "format": "csv",
            "code": self.rakor.site.code,
            "import_id": 1,
            "participant_id": 1,
            "material_id": 1,
            "link_id": 1,
        }


def state(meeting_id: int) -> dict[str, Any]:
    """What any of these requests could change."""
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)

    def rows(model: Any) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "meeting": (meeting.title, meeting.status, meeting.start_at, meeting.updated_at),
        "forum": [(f.name, f.updated_at) for f in db.session.scalars(select(Forum))],
        "documents": [(d.status, d.updated_at) for d in db.session.scalars(select(Document))],
        **{
            model.__name__: rows(model)
            for model in (
                Meeting,
                MeetingSite,
                AgendaItem,
                Invitation,
                Attendance,
                Document,
                Forum,
                ForumMember,
                MeetingEvent,
                OutboxMessage,
            )
        },
    }


def owned_routes(app: Flask) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(OWNED_PREFIXES):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.rule, method))
    return sorted(found)


def url(rule: str, values: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{rule}: the table has no value for <{name}>"
        return str(values[name])

    return PARAM.sub(fill, rule)


def bearer(user: Any) -> dict[str, str]:
    _token, secret = create_token(None, user, "scope")
    return {"Authorization": f"Bearer {secret}"}


def test_the_table_covers_every_owned_route(app: Flask) -> None:
    routes = owned_routes(app)
    paths = {rule for rule, _method in routes}
    # Pages and API alike, reads and changes alike.
    assert any(r.startswith("/api/v1/meetings/") for r in paths)
    assert any(r.startswith("/meetings/") for r in paths)
    assert {m for _r, m in routes} >= {"GET", "POST", "PATCH", "DELETE"}
    assert len(routes) > 60


def test_another_institutions_staff_find_nothing_and_change_nothing(
    app: Flask, client: Any
) -> None:
    """Each answer to the outsider is the answer for an id that does not exist: a 404, or
    for an API body its schema refuses first, the same 422 a missing id gets."""
    scene = Scene(app)
    auth = AuthActions(client)
    auth.login(user=scene.outsider)
    headers = bearer(scene.outsider)
    before = state(scene.meeting.id)

    def ask(rule: str, method: str, values: dict[str, Any]) -> int:
        path = url(rule, values)
        if rule.startswith("/api/"):
            return client.open(path, method=method, json={}, headers=headers).status_code
        if method == "GET":
            return client.get(path).status_code
        return auth.post(path, {"title": "Diubah NTB", "reason": "x"}, method=method).status_code

    differs, seen = [], []
    for rule, method in owned_routes(app):
        real = scene.values(rule)
        missing = {**real, "id": 999_999, "meeting_id": 999_999}
        missing |= {"document_id": 999_999, "forum_id": 999_999}
        answer, for_missing = ask(rule, method, real), ask(rule, method, missing)
        seen.append(answer)
        if answer != for_missing or answer < 400:
            differs.append((method, rule, answer, for_missing))
    assert not differs, differs
    assert seen.count(404) > len(seen) // 2  # most are plain "not found"
    assert state(scene.meeting.id) == before


def test_lists_and_exports_leave_out_another_institutions_work(app: Flask, client: Any) -> None:
    scene = Scene(app)
    headers = bearer(scene.outsider)
    listed = client.get("/api/v1/meetings?per_page=100", headers=headers).get_json()
    assert scene.meeting.id not in {m["id"] for m in listed["items"]}
    forums = client.get("/api/v1/forums?per_page=100", headers=headers).get_json()
    assert scene.forum.id not in {f["id"] for f in forums["items"]}
    auth = AuthActions(client)
    auth.login(user=scene.outsider)
    page = client.get("/meetings/").get_data(as_text=True)
    assert scene.meeting.title not in page
    assert scene.forum.name not in client.get("/directory/forums").get_data(as_text=True)
    # The owner's staff see both (another client: this one's cookies sign the outsider in).
    mine = bearer(scene.rakor.staff)
    listed = app.test_client().get("/api/v1/meetings?per_page=100", headers=mine).get_json()
    assert scene.meeting.id in {m["id"] for m in listed["items"]}, listed


def test_inviting_another_institutions_forum_is_an_unknown_forum(app: Flask, client: Any) -> None:
    scene = Scene(app)
    own = factories.venue()
    theirs = meetings.create_meeting(
        scene.outsider,
        {"title": "Rakor NTB", "kind": "coordination", "host_venue_id": own.id}
        | factories.meeting_times("Asia/Makassar"),
    )
    response = client.post(
        f"/api/v1/meetings/{theirs.id}/invitations",
        json={"forum_id": scene.forum.id},
        headers=bearer(scene.outsider),
    )
    assert response.status_code == 422
    assert "forum_id" in response.get_json()["errors"]
    assert len(theirs.invitations) == 0


@pytest.mark.parametrize("who", ["owner", "admin", "cohost", "viewer"])
def test_who_may_work_on_a_meeting(app: Flask, client: Any, who: str) -> None:
    scene = Scene(app, closed=False)
    lotim = factories.institution(name=LOTIM)
    if who == "owner":
        actor = scene.rakor.staff
    elif who == "admin":
        actor = factories.user("admin", member=False)
    elif who == "cohost":
        scene.meeting.cohost_institution_id = lotim.id
        db.session.commit()
        actor = factories.user("secretariat", institution=lotim)
    else:
        actor = factories.user("secretariat", member=False)
        factories.membership(actor, scene.owner, MemberRole.VIEWER)
    headers = bearer(actor)
    path = f"/api/v1/meetings/{scene.meeting.id}"
    assert client.get(path, headers=headers).status_code == 200
    response = client.patch(path, json={"title": "Rakor Pangan (diubah)"}, headers=headers)
    db.session.expire_all()
    if who == "viewer":
        assert response.status_code == 403
        assert scene.meeting.title == "Rakor Pangan"
    else:
        assert response.status_code == 200, response.get_json()
        assert scene.meeting.title == "Rakor Pangan (diubah)"


def test_the_live_room_and_the_desk_refuse_another_institutions_staff(
    app: Flask, client: Any
) -> None:
    scene = Scene(app, closed=False)
    _token, secret = create_token(None, scene.outsider, "live")
    outsider = connect(app, meeting=scene.meeting.id, bearer=secret)
    assert not outsider.is_connected("/live")
    _token, mine = create_token(None, scene.rakor.staff, "live")
    assert connect(app, meeting=scene.meeting.id, bearer=mine).is_connected("/live")

    credential = keys.credential_for(scene.rakor.participant)
    response = client.post(
        f"/api/v1/checkin/sites/{scene.rakor.site.code}/redeem",
        json={"credential": credential, "nonce": "ntb-1"},
        headers=bearer(scene.outsider),
    )
    assert response.status_code in (403, 404), response.get_json()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    ok = client.post(
        f"/api/v1/checkin/sites/{scene.rakor.site.code}/redeem",
        json={"credential": credential, "nonce": "sbd-1"},
        headers=bearer(scene.rakor.staff),
    )
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["status"] == "checked_in"


def test_another_institutions_staff_cannot_watch_the_attendance_counts(
    app: Flask, client: Any
) -> None:
    """The /checkin namespace streams a meeting's counts to its staff's screens: an
    account of another institution is refused, as its pages are."""
    from meetcoord.extensions import socketio

    scene = Scene(app, closed=False)
    AuthActions(client).login(user=scene.outsider)
    outsider = socketio.test_client(
        app, namespace="/checkin", flask_test_client=client, auth={"meeting": scene.meeting.id}
    )
    assert not outsider.is_connected("/checkin")
    mine = app.test_client()
    AuthActions(mine).login(user=scene.rakor.staff)
    owner = socketio.test_client(
        app, namespace="/checkin", flask_test_client=mine, auth={"meeting": scene.meeting.id}
    )
    assert owner.is_connected("/checkin")
    owner.disconnect(namespace="/checkin")
