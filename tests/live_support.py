"""A running meeting with its roles, and Socket.IO clients connected to ``/live``: the
test client on the test's own app, and python-socketio's client on a real server process."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Flask

from meetcoord.access.actors import Actor
from meetcoord.accounts.models import Role
from meetcoord.accounts.services import create_token
from meetcoord.extensions import db, socketio
from meetcoord.live import state
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import agenda, invitations, links
from meetcoord.meetings.models import AgendaItem, Invitation, InviteeRole, Meeting
from tests import factories
from tests.kiosk_support import Rakor

if TYPE_CHECKING:
    from tests.support import ServerProcess

NAMESPACE = "/live"
TIMEOUT = 15.0  # for a real server process's answers (LiveClient)
_nonces = itertools.count(1)


def nonce() -> str:
    return f"t-{next(_nonces)}"


class LiveRakor(Rakor):
    """Rakor Pangan with a chair and a minute-taker at the host site, a coordinator in
    Ambon and a participant in Ambon, besides the three participants in Tambolaka."""

    def __init__(self, title: str = "Rakor Pangan", **when: Any) -> None:
        super().__init__(title, **when)
        # The three host-site participants, taken before the others join the list.
        self.participants = [Rakor.invitee(self, n) for n in range(3)]
        self.chair = self._invite("Ir. Yohanes Bili, M.Si.", InviteeRole.CHAIR, self.site.id)
        self.minute_taker = self._invite("Maria Kaka", InviteeRole.MINUTE_TAKER, self.site.id)
        self.coordinator = self._invite(
            "Koordinator Ambon", InviteeRole.SITE_COORDINATOR, self.other_site.id
        )
        self.ambon_participant = self._invite(
            "Peserta Ambon", InviteeRole.PARTICIPANT, self.other_site.id
        )
        self.participant = self.participants[0]

    def invitee(self, n: int) -> Invitation:
        """The n-th participant at the host site (not the chair, who sorts first)."""
        return self.participants[n]

    @property
    def staff_actor(self) -> Actor:
        """The secretariat, acting through the services directly (to set a scene)."""
        return Actor(user=self.staff)

    def add_items(self, *titles: str) -> list[AgendaItem]:
        """Agenda items prepared before the meeting, as the secretariat does."""
        return [
            agenda.add_agenda_item(
                self.staff,
                self.meeting,
                {"title": t, "planned_minutes": 20, "kind": "discussion"},
            )
            for t in titles
        ]

    def _invite(self, name: str, role: InviteeRole, site_id: int | None) -> Invitation:
        person = factories.person(name=name)
        invitations.invite(
            self.staff,
            self.meeting,
            {"person_ids": [person.id], "role": role.value, "site_id": site_id},
        )
        return next(i for i in self.meeting.invitations if i.person_id == person.id)


def connect(app: Flask, who: Invitation | None = None, **auth: Any) -> Any:
    """A /live client: ``who``'s personal token, or whatever ``auth`` says."""
    if who is not None:
        auth.setdefault("token", links.personal_token(who))
        auth.setdefault("meeting", who.meeting_id)
    return socketio.test_client(app, namespace=NAMESPACE, auth=auth)


def events(client: Any, name: str = "event") -> list[Any]:
    """The payloads of ``name`` received since the last call."""
    return [m["args"][0] for m in client.get_received(NAMESPACE) if m["name"] == name]


def command(client: Any, name: str, **data: Any) -> dict[str, Any]:
    data.setdefault("nonce", nonce())
    return client.emit(name, data, namespace=NAMESPACE, callback=True)


def account_client(app: Flask, meeting_id: int, role: Role | str = Role.SECRETARIAT) -> Any:
    """A /live client for a staff or viewer account, through a bearer token."""
    user = factories.user(role)
    _token, secret = create_token(None, user, "live")
    client = connect(app, meeting=meeting_id, bearer=secret)
    client.user = user
    return client


def fingerprint(meeting_id: int) -> dict[str, Any]:
    """Everything a command could change: the snapshot, plus the length of the log."""
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    events = db.session.query(MeetingEvent).filter_by(meeting_id=meeting_id).count()
    return {"events": events, "snapshot": state.snapshot(meeting)}


def assert_unchanged(meeting_id: int, before: dict[str, Any]) -> None:
    """Nothing a refused command could have touched has changed (one key at a time)."""
    after = fingerprint(meeting_id)
    assert after["events"] == before["events"], "the log grew"
    for key, value in before["snapshot"].items():
        if key == "server_time":  # the clock, for clients to correct theirs
            continue
        assert after["snapshot"][key] == value, key


# --- a meeting for real server processes ------------------------------------------------


def seed_for_server(out_path: str) -> None:
    """Create the Rakor with an agenda in the database the environment names, and write
    the meeting id and the personal tokens to ``out_path`` as JSON.

    Runs in its own process (``python -m tests.live_support seed out.json``) with the
    server's environment, so the tokens derive from the server's key, and the test
    process's own app and session are not involved.
    """
    import json

    from meetcoord import create_app

    app = create_app()
    with app.app_context():
        rakor = LiveRakor()
        items = rakor.add_items("Pembukaan", "Ketahanan pangan", "Lain-lain")
        db.session.commit()
        roles = ("chair", "minute_taker", "coordinator", "participant", "ambon_participant")
        seeded = {
            "meeting": rakor.meeting.id,
            "items": [item.id for item in items],
            "sites": [rakor.site.id, rakor.other_site.id],
            "tokens": {role: links.personal_token(getattr(rakor, role)) for role in roles},
        }
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(seeded, out)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["seed"]:
        seed_for_server(sys.argv[2])


# --- clients of a real server process --------------------------------------------------


class LiveClient:
    """One python-socketio client on ``/live``, collecting what the server sends."""

    def __init__(
        self,
        server: ServerProcess,
        seeded: dict[str, Any],
        role: str,
        last_seq: int | None = None,
        transport: str = "websocket",
    ) -> None:
        import socketio

        self.role = role
        self.events: list[dict[str, Any]] = []
        self.snapshots: list[dict[str, Any]] = []
        self.presence: list[dict[str, Any]] = []
        self.welcome: dict[str, Any] | None = None
        self._changed = threading.Condition()
        # No automatic reconnection: the tests decide when and with which last seq.
        self.sio = socketio.Client(reconnection=False)
        # Handle each message in the read loop, in the order it came off the wire: the
        # Engine.IO client would start a thread per message, and threads may append to
        # ``events`` in any order (a browser's socket.io-client keeps wire order).
        eio, trigger = self.sio.eio, self.sio.eio._trigger_event

        def in_wire_order(event: str, *args: Any, **kwargs: Any) -> Any:
            if event == "message":
                kwargs["run_async"] = False
            return trigger(event, *args, **kwargs)

        eio._trigger_event = in_wire_order
        self.sio.on("event", self._on("events"), namespace=NAMESPACE)
        self.sio.on("snapshot", self._on("snapshots"), namespace=NAMESPACE)
        self.sio.on("presence", self._on("presence"), namespace=NAMESPACE)
        self.sio.on("welcome", self._on_welcome, namespace=NAMESPACE)
        auth: dict[str, Any] = {"meeting": seeded["meeting"], "token": seeded["tokens"][role]}
        if last_seq is not None:
            auth["last_seq"] = last_seq
        self.sio.connect(
            server.base_url,
            namespaces=[NAMESPACE],
            auth=auth,
            transports=[transport],
            wait_timeout=TIMEOUT,
        )
        # The welcome comes before any replay; once it is here the catch-up has been sent.
        self.wait_until(lambda: self.welcome is not None, "welcome")

    def _on(self, attribute: str) -> Callable[[Any], None]:
        def handler(payload: Any) -> None:
            with self._changed:
                getattr(self, attribute).append(payload)
                self._changed.notify_all()

        return handler

    def _on_welcome(self, payload: Any) -> None:
        with self._changed:
            self.welcome = payload
            self._changed.notify_all()

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
        with self._changed:
            if not self._changed.wait_for(ready, timeout=timeout):
                raise AssertionError(f"{self.role}: no {what} within {timeout}s: {self.seqs}")

    def wait_for_seq(self, seq: int, timeout: float = TIMEOUT) -> None:
        self.wait_until(lambda: self.last_seq >= seq, f"event {seq}", timeout)

    @property
    def seqs(self) -> list[int]:
        return [e["seq"] for e in self.events]

    @property
    def last_seq(self) -> int:
        return max(self.seqs, default=0)

    def call(self, name: str, **data: Any) -> dict[str, Any]:
        data.setdefault("nonce", uuid.uuid4().hex)
        return self.sio.call(name, data, namespace=NAMESPACE, timeout=TIMEOUT)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
        self.sio.shutdown()  # python-socketio ≥ 5.12: stops its threads
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:  # closed by the server: the Engine.IO client leaves the socket
            ws.shutdown()


def carried_action(rakor: LiveRakor, **fields: Any) -> Any:
    """An open action of an earlier meeting of the same forum as ``rakor``'s meeting, owed
    by the host participants' agency: what the meeting's action review lists (issue 13)."""
    from datetime import timedelta

    from meetcoord.actions.models import Action

    forum = factories.forum()
    earlier = factories.meeting(
        forum_id=forum.id,
        **factories.meeting_times("Asia/Makassar", starts_in=-timedelta(days=90)),
    )
    rakor.meeting.forum_id = forum.id
    fields.setdefault("organization_id", rakor.participant.person.organization_id)
    fields.setdefault("title", "Menyusun data cadangan pangan desa")
    action = Action(meeting_id=earlier.id, **fields)
    db.session.add(action)
    db.session.commit()
    return action
