"""A running meeting with its roles, and Socket.IO clients connected to ``/live``."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask

from meetcoord.accounts.models import Role
from meetcoord.accounts.services import create_token
from meetcoord.extensions import db, socketio
from meetcoord.live import state
from meetcoord.live.actors import LiveActor
from meetcoord.live.models import MeetingEvent
from meetcoord.meetings import agenda, invitations, links
from meetcoord.meetings.models import AgendaItem, Invitation, InviteeRole, Meeting
from tests import factories
from tests.kiosk_support import Rakor

NAMESPACE = "/live"
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
    def staff_actor(self) -> LiveActor:
        """The secretariat, acting through the services directly (to set a scene)."""
        return LiveActor(user=self.staff)

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
