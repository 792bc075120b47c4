"""Actions × actors: who may do what to Rakor Pangan, over pages, the API and sockets.

One meeting (owned by the default institution, "SBD"; co-hosted by Lombok Timur), ten
actors, and for each action a row of expected answers read against the permission table:
``ok``, or the status a refusal gives (404 outside the actor's reach, 403 inside it, 401
without a usable credential; ``refused`` for a socket). Every refusal is checked to change
nothing. Actors use their own door: staff the session (pages), a bearer token (API and
sockets); a personal link its token.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from meetcoord.access.models import MemberRole
from meetcoord.accounts.services import create_token, revoke_token
from meetcoord.checkin import keys
from meetcoord.checkin.models import Attendance
from meetcoord.core.outbox import OutboxMessage
from meetcoord.extensions import db
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import links
from meetcoord.meetings.models import Invitation, InviteeRole, Meeting
from tests import factories
from tests.conftest import AuthActions
from tests.live_support import LiveRakor, command, connect

ACTORS = (
    "owner",  # secretariat of the owning institution
    "cohost",  # secretariat of the co-host
    "other",  # secretariat of another institution
    "viewer",  # viewer member of the owner
    "admin",  # administrator of the installation, member of nothing
    "link",  # a participant's personal link to this meeting
    "link_other",  # a personal link to another meeting
    "coordinator",  # the coordinator of the Ambon site
    "coordinator_other",  # the coordinator of the host site, acting on Ambon
    "revoked",  # the owner's secretariat with a revoked API token
)


@dataclass
class Who:
    name: str
    user: Any = None
    token: str | None = None  # bearer secret
    invitation: Invitation | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    @property
    def link(self) -> str | None:
        return links.personal_token(self.invitation) if self.invitation else None


_worlds = itertools.count(1)


class World:
    def __init__(self, app: Flask) -> None:
        n = next(_worlds)  # names are unique: a row may need several worlds
        self.app = app
        self.rakor = LiveRakor(f"Rakor Pangan {n}")
        self.rakor.add_items("Pembukaan")
        self.meeting: Meeting = self.rakor.meeting
        lotim = factories.institution(name=f"Bappeda Kabupaten Lombok Timur {n}")
        ntb = factories.institution(name=f"Bappeda Provinsi Nusa Tenggara Barat {n}")
        self.meeting.cohost_institution_id = lotim.id
        db.session.commit()
        owner = self.meeting.institution
        viewer = factories.user("secretariat", member=False)
        factories.membership(viewer, owner, MemberRole.VIEWER)
        host_coordinator = self.rakor._invite(
            "Koordinator Tambolaka", InviteeRole.SITE_COORDINATOR, self.rakor.site.id
        )
        elsewhere = LiveRakor(f"Rapat Lain {n}")
        users = {
            "owner": self.rakor.staff,
            "cohost": factories.user("secretariat", institution=lotim),
            "other": factories.user("secretariat", institution=ntb),
            "viewer": viewer,
            "admin": factories.user("admin", member=False),
            "revoked": self.rakor.staff,
        }
        self.who: dict[str, Who] = {}
        for name, user in users.items():
            token, secret = create_token(None, user, f"matrix {name}")
            if name == "revoked":
                revoke_token(user, token)
            self.who[name] = Who(name, user=user, token=secret)
        self.who["link"] = Who("link", invitation=self.rakor.participant)
        self.who["link_other"] = Who("link_other", invitation=elsewhere.participant)
        self.who["coordinator"] = Who("coordinator", invitation=self.rakor.coordinator)
        self.who["coordinator_other"] = Who("coordinator_other", invitation=host_coordinator)
        self.ambon = self.rakor.other_site
        self.guest = self.rakor.ambon_participant

    def state(self) -> dict[str, Any]:
        db.session.expire_all()
        meeting = db.session.get(Meeting, self.meeting.id)

        def rows(model: Any) -> int:
            return db.session.scalar(select(func.count()).select_from(model)) or 0

        return {
            "meeting": (meeting.title, meeting.status, meeting.updated_at),
            "invitations": [(i.id, i.withdrawn_at) for i in meeting.invitations],
            **{m.__name__: rows(m) for m in (Attendance, MeetingEvent, OutboxMessage)},
        }


# --- the actions ---------------------------------------------------------------------


def _page_client(world: World, who: Who) -> tuple[Any, AuthActions]:
    client = world.app.test_client()
    auth = AuthActions(client)
    if who.user is not None and who.name != "revoked":
        auth.login(user=who.user)
    return client, auth


LOGIN = "login"  # sent to the sign-in page


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    return int(response.status_code)


def view_meeting_page(world: World, who: Who) -> int | str:
    """A link holder has no door to the staff page: it sends them to sign in."""
    client, _ = _page_client(world, who)
    return _answer(client.get(f"/meetings/{world.meeting.id}"))


def open_edit_form(world: World, who: Who) -> int | str:
    """The form that changes the meeting (the change itself is the API row's)."""
    client, _ = _page_client(world, who)
    return _answer(client.get(f"/meetings/{world.meeting.id}/edit"))


def cancel_meeting_page(world: World, who: Who) -> int | str:
    client, auth = _page_client(world, who)
    if auth.csrf_token is None:  # not signed in: the sign-in page gives this session one
        auth.csrf_token = AuthActions.token_from(client.get("/login").get_data(as_text=True))
    response = auth.post(f"/meetings/{world.meeting.id}/cancel")
    cancelled = db.session.get(Meeting, world.meeting.id)
    db.session.refresh(cancelled)
    return OK if cancelled.status.value == "cancelled" else _answer(response)


def patch_meeting_api(world: World, who: Who) -> int:
    client = world.app.test_client()
    return client.patch(
        f"/api/v1/meetings/{world.meeting.id}", json={"title": "Diubah"}, headers=who.headers
    ).status_code


def list_invitations_api(world: World, who: Who) -> int:
    client = world.app.test_client()
    url = f"/api/v1/meetings/{world.meeting.id}/invitations"
    return client.get(url, headers=who.headers).status_code


def check_in_at_ambon_api(world: World, who: Who) -> int:
    client = world.app.test_client()
    return client.post(
        f"/api/v1/checkin/sites/{world.ambon.code}/redeem",
        json={"credential": keys.credential_for(world.guest), "nonce": f"m-{who.name}"},
        headers=who.headers,
    ).status_code


def check_in_at_ambon_desk(world: World, who: Who) -> int | str:
    """The desk page's own door: staff by session, a coordinator through their link."""
    client, _ = _page_client(world, who)
    if who.invitation is not None:
        entry = client.get(f"/i/{who.link}/desk/{world.ambon.code}")
        if entry.status_code != 302:
            return int(entry.status_code)
    page = client.get(f"/desk/{world.ambon.code}")
    if page.status_code != 200:
        return _answer(page)
    import re

    csrf = re.search(r'data-csrf="([^"]+)"', page.get_data(as_text=True))
    assert csrf is not None
    return client.post(
        f"/desk/{world.ambon.code}/scan",
        json={"credential": keys.credential_for(world.guest), "nonce": f"d-{who.name}"},
        headers={"X-CSRFToken": csrf.group(1)},
    ).status_code


def _socket(world: World, who: Who) -> Any:
    auth: dict[str, Any] = {"meeting": world.meeting.id}
    if who.invitation is not None:
        auth["token"] = who.link
    elif who.token:
        auth["bearer"] = who.token
    return connect(world.app, **auth)


def _command(name: str, **data: Any) -> Callable[[World, Who], int | str]:
    def run(world: World, who: Who) -> int | str:
        client = _socket(world, who)
        if not client.is_connected("/live"):
            return "refused"
        values = {k: (v(world) if callable(v) else v) for k, v in data.items()}
        ack = command(client, name, **values)
        client.disconnect("/live")
        if ack.get("ok"):
            return "ok"
        return 403 if ack["error"]["code"] == "forbidden" else ack["error"]["code"]

    return run


OK = "ok"
NO = "refused"
# actor order: owner cohost other viewer admin link link_other coordinator coordinator_other revoked
TABLE: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {
    "page: see the meeting": (
        view_meeting_page,
        (OK, OK, 404, OK, OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ),
    "page: open the form that changes it": (
        open_edit_form,
        (OK, OK, 404, 403, OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ),
    "page: cancel the meeting": (
        cancel_meeting_page,
        (OK, OK, 404, 403, OK, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ),
    "api: change the meeting": (
        patch_meeting_api,
        (OK, OK, 404, 403, OK, 401, 401, 401, 401, 401),
    ),
    "api: list its invitations": (
        list_invitations_api,
        (OK, OK, 404, OK, OK, 401, 401, 401, 401, 401),
    ),
    "api: check a guest in at Ambon": (
        check_in_at_ambon_api,
        (OK, OK, 404, 403, OK, 401, 401, 401, 401, 401),
    ),
    "desk: check a guest in at Ambon": (
        check_in_at_ambon_desk,
        (OK, OK, 404, 403, OK, 403, 404, OK, 403, LOGIN),
    ),
    "socket: open the meeting": (
        _command("open"),
        (OK, OK, NO, 403, OK, 403, NO, 403, 403, NO),
    ),
    "socket: count the votes at Ambon": (
        _command(
            "decision.tally",
            decision_id=lambda w: _decision(w),
            site_id=lambda w: w.ambon.id,
            **{"for": 12, "against": 3, "abstain": 1},
        ),
        (OK, OK, NO, 403, OK, 403, NO, OK, 403, NO),
    ),
    "socket: ask for the floor for a guest at Ambon": (
        _command("speaker.request", invitation_id=lambda w: w.guest.id),
        (OK, OK, NO, 403, OK, 403, NO, OK, 403, NO),
    ),
}


def _decision(world: World) -> int:
    """A decision to count votes on, recorded by the chair beforehand (not measured)."""
    if getattr(world, "decision_id", None) is None:
        chair = connect(world.app, world.rakor.chair)
        command(chair, "open")
        item = world.meeting.agenda[0]
        command(chair, "item.activate", item_id=item.id)
        ack = command(chair, "decision.record", text="Jadwal tanam disepakati.", kind="vote")
        assert ack.get("ok"), ack
        world.decision_id = ack["id"]
        chair.disconnect("/live")
    return world.decision_id  # type: ignore[no-any-return]


def _open(world: World) -> None:
    """The meeting under way, its first item on the floor (not measured)."""
    chair = connect(world.app, world.rakor.chair)
    command(chair, "open")
    assert command(chair, "item.activate", item_id=world.meeting.agenda[0].id).get("ok")
    chair.disconnect("/live")


def _outcome(value: Any) -> Any:
    if isinstance(value, int) and 200 <= value < 300:
        return OK
    return value


def _prepared(app: Flask, action: str) -> World:
    world = World(app)
    if "votes" in action:
        _decision(world)
    if "floor" in action:
        _open(world)
    return world


@pytest.mark.parametrize("action", list(TABLE))
def test_actions_by_actors(app: Flask, action: str) -> None:
    """One row of the table: every actor tries the action; a refusal changes nothing.

    Actors share a meeting while nothing changes it (refusals, reads); after an allowed
    change the next actor gets a meeting of its own, so each meets the same state.
    """
    run, expected = TABLE[action]
    world = _prepared(app, action)
    found: dict[str, Any] = {}
    for actor in ACTORS:
        before = world.state()
        found[actor] = got = _outcome(run(world, world.who[actor]))
        after = world.state()
        if got != OK:
            assert after == before, f"{action}: the refusal of {actor} changed something"
        elif after != before:
            world = _prepared(app, action)
    assert found == dict(zip(ACTORS, expected, strict=True))
